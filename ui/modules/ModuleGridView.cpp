#include "ui/modules/ModuleGridView.h"

#include "ui/figure/FigureMenu.h"
#include "ui/modules/ModuleGridCanvas.h"
#include "ui/modules/ModuleTasks.h"
#include "ui/compute/TaskBar.h"
#include "ui/widgets/ViewSettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace lx::ui {
namespace {

constexpr int kCustom = -1; // the module box's "channels" entry

} // namespace

ModuleGridView::ModuleGridView(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    registerModuleAssayTypes();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    auto* form = new QGridLayout;
    form->setHorizontalSpacing(8);
    mModule = new QComboBox(this);
    mModule->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    mModule->setToolTip(
        tr("The channels each hybrid takes from its column's sample z2: a module from the "
           "Modules panel, or a channel list"));
    mLayer = new QComboBox(this);
    mLayer->setToolTip(tr("The layer whose channels are swapped (a module's own layer)"));
    mChannels = new QLineEdit(this);
    mChannels->setPlaceholderText(tr("e.g. 3, 5-9 · all · empty = none"));
    mChannels->setToolTip(tr("Channels taken from z2: a list with ranges, 'all', or nothing"));
    mRows = new QLineEdit(QStringLiteral("0-5"), this);
    mRows->setToolTip(tr("Seeds of the rows' samples z1 (they keep everything but the module)"));
    mCols = new QLineEdit(QStringLiteral("6-11"), this);
    mCols->setToolTip(tr("Seeds of the columns' samples z2 (they give the module)"));
    mCompute = new QPushButton(tr("Compute grid"), this);
    mCompute->setAutoDefault(false);
    form->addWidget(new QLabel(tr("Swap"), this), 0, 0);
    form->addWidget(mModule, 0, 1);
    form->addWidget(new QLabel(tr("Layer"), this), 0, 2);
    form->addWidget(mLayer, 0, 3);
    form->addWidget(new QLabel(tr("Channels"), this), 0, 4);
    form->addWidget(mChannels, 0, 5);
    form->addWidget(new QLabel(tr("Rows z1"), this), 1, 0);
    form->addWidget(mRows, 1, 1);
    form->addWidget(new QLabel(tr("Columns z2"), this), 1, 2);
    form->addWidget(mCols, 1, 3);
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setToolTip(
        tr("Save the grid as a paper figure (PDF, SVG, PNG; Ctrl+Shift+E), copy it "
           "(Ctrl+Shift+C), or save its data (.npy + CSV)"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    mFigureMenu = new FigureMenu(tr("Export"), this);
    exportButton->setMenu(mFigureMenu);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(mCompute, 1);
    buttons->addWidget(exportButton);
    form->addLayout(buttons, 1, 5);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    form->setColumnStretch(5, 2);
    layout->addLayout(form);
    mClassRow = new QWidget(this);
    auto* classes = new QHBoxLayout(mClassRow);
    classes->setContentsMargins(0, 0, 0, 0);
    mRowClass = new QComboBox(mClassRow);
    mRowClass->setToolTip(tr("The class every row's sample z1 is generated with"));
    mColClass = new QComboBox(mClassRow);
    mColClass->setToolTip(tr("The class every column's sample z2 is generated with"));
    mClassFromDonor = new QCheckBox(tr("Layers after the cut take the column's class"), mClassRow);
    mClassFromDonor->setToolTip(
        tr("Besserve et al.'s cross-class hybrids: the class input after the layer comes from z2"));
    classes->addWidget(new QLabel(tr("Row class"), mClassRow));
    classes->addWidget(mRowClass);
    classes->addWidget(new QLabel(tr("Column class"), mClassRow));
    classes->addWidget(mColClass);
    classes->addWidget(mClassFromDonor);
    classes->addStretch(1);
    mClassRow->setVisible(false);
    layout->addWidget(mClassRow);
    mTasks = new TaskBar(controller, this);
    layout->addWidget(mTasks);
    mHeading = new QLabel(this);
    mHeading->setWordWrap(true);
    mHeading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mHeading);
    mCanvas = new ModuleGridCanvas(this);
    layout->addWidget(mCanvas, 1);

    connect(mModule, &QComboBox::currentIndexChanged, this, &ModuleGridView::onModuleChosen);
    connect(mCompute, &QPushButton::clicked, this, &ModuleGridView::compute);
    for (QLineEdit* edit : {mRows, mCols, mChannels})
        connect(edit, &QLineEdit::returnPressed, this, &ModuleGridView::compute);
    connect(mTasks, &TaskBar::runningChanged, this, &ModuleGridView::updateState);
    connect(mTasks, &TaskBar::message, this, &ModuleGridView::message);
    connect(mFigureMenu, &FigureMenu::message, this, &ModuleGridView::message);
    rebuildModuleList();
}

void ModuleGridView::setModel(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = true;
    mHasResult = false;
    mResult = ModuleGridData();
    mFigureMenu->clearFigure();
    {
        const QSignalBlocker blocker(mLayer);
        mLayer->clear();
        mLayer->addItems(summary.layerNames);
        mLayer->setCurrentIndex(summary.defaultLayer());
    }
    for (QComboBox* box : {mRowClass, mColClass}) {
        box->clear();
        for (int i = 0; i < summary.classNames.size(); ++i)
            box->addItem(QStringLiteral("%1  %2").arg(i).arg(summary.classNames[i]));
    }
    mColClass->setCurrentIndex(std::min(1, static_cast<int>(summary.classNames.size()) - 1));
    mClassFromDonor->setChecked(false);
    mClassRow->setVisible(!summary.classNames.isEmpty());
    mCanvas->clear(tr("Choose a module (or channels) and seeds, then press Compute grid"));
    setModules(-1, ModulesResult());
}

void ModuleGridView::setModules(int layer, const ModulesResult& result)
{
    mModulesLayer = layer;
    mModules = result;
    rebuildModuleList();
}

void ModuleGridView::rebuildModuleList()
{
    {
        const QSignalBlocker blocker(mModule);
        mModule->clear();
        for (int m = 0; m < mModules.k; ++m)
            mModule->addItem(tr("M%1 · %2 ch").arg(m + 1).arg(mModules.members(m).size()), m);
        mModule->addItem(tr("Channels…"), kCustom);
        mModule->setCurrentIndex(0);
    }
    onModuleChosen();
}

void ModuleGridView::selectModuleByChannels(const QVector<int>& channels)
{
    for (int m = 0; m < mModules.k; ++m) {
        if (mModules.members(m) == channels) {
            mModule->setCurrentIndex(m);
            return;
        }
    }
}

bool ModuleGridView::customChannels() const { return mModule->currentData().toInt() == kCustom; }

void ModuleGridView::onModuleChosen()
{
    if (!customChannels() && mModulesLayer >= 0)
        mLayer->setCurrentIndex(mModulesLayer);
    updateState();
}

bool ModuleGridView::isRunning() const { return mTasks->isRunning(); }

QString ModuleGridView::headingText() const { return mHeading->text(); }

void ModuleGridView::compute()
{
    if (!mCompute->isEnabled())
        return;
    ModuleGridRequest request;
    request.layer = mLayer->currentIndex();
    QString error;
    if (!ModuleTasks::parseSeeds(mRows->text(), ModuleTasks::kMaxGridSide, &request.rowSeeds, &error)
        || !ModuleTasks::parseSeeds(mCols->text(), ModuleTasks::kMaxGridSide, &request.colSeeds, &error)) {
        mHeading->setText(tr("Seeds: %1").arg(error));
        return;
    }
    const int channelCount = static_cast<int>(mSummary.layerShapes.value(request.layer).value(0));
    if (customChannels()) {
        if (!ModuleTasks::parseChannels(mChannels->text(), channelCount, &request.channels, &error)) {
            mHeading->setText(tr("Channels: %1").arg(error));
            return;
        }
        request.label = request.channels.isEmpty()    ? tr("no channel")
            : request.channels.size() == channelCount ? tr("all %1 channels").arg(channelCount)
                                                      : tr("%1 channels").arg(request.channels.size());
    } else {
        const int m = mModule->currentData().toInt();
        request.channels = mModules.members(m);
        request.label = tr("module M%1 (%2 of %3 channels, %4)")
                            .arg(m + 1)
                            .arg(request.channels.size())
                            .arg(channelCount)
                            .arg(methodName(mModules.method));
    }
    if (!mSummary.classNames.isEmpty()) {
        request.rowClass = mRowClass->currentIndex();
        request.colClass = mColClass->currentIndex();
        request.classFromDonor = mClassFromDonor->isChecked();
    }
    mTasks->start(Task::onModel(tr("Hybrid grid"), ModuleTasks::gridTask(request), mSummary.generation),
                  [this](const QVariant& v) {
                      mResult = v.value<ModuleGridData>();
                      mHasResult = true;
                      const ModuleGridRequest& r = mResult.request;
                      mHeading->setText(
                          tr("<b>%1</b> of layer <b>%2</b> taken from each column's z2 · %3 × %4 hybrids in %5 ms<br>"
                             "<span style='color:#e8822f'>top row: donors x(z2)</span> · "
                             "<span style='color:#2f6fb5'>left column: originals x(z1)</span> · "
                             "cell (i, j): x(z1 = row i) with the channels of x(z2 = column j)")
                              .arg(r.label.toHtmlEscaped(), mSummary.layerNames.value(r.layer))
                              .arg(r.rowSeeds.size())
                              .arg(r.colSeeds.size())
                              .arg(mResult.computeMs, 0, 'f', 0)
                          + (r.rowClass < 0
                                 ? QString()
                                 : tr("<br>rows of class <b>%1</b>, columns of class <b>%2</b>; after the cut: "
                                      "the %3's class")
                                       .arg(mSummary.classNames.value(r.rowClass).toHtmlEscaped(),
                                            mSummary.classNames.value(r.colClass).toHtmlEscaped(),
                                            r.classFromDonor ? tr("column") : tr("row"))));
                      mCanvas->setData(mResult);
                      lx::FigureSpec spec;
                      spec.layer = mSummary.layerNames.value(r.layer).toStdString();
                      spec.channels.assign(r.channels.begin(), r.channels.end());
                      spec.label = r.label.toStdString();
                      spec.rowSeeds.assign(r.rowSeeds.begin(), r.rowSeeds.end());
                      spec.colSeeds.assign(r.colSeeds.begin(), r.colSeeds.end());
                      spec.rowClasses = r.rowClasses();
                      spec.colClasses = r.colClasses();
                      spec.classFromDonor = r.classFromDonor;
                      mFigureMenu->setFigure(mResult.grid, mSummary.outputLow, mSummary.outputHigh, spec);
                  });
}

void ModuleGridView::updateState()
{
    const bool custom = customChannels();
    mChannels->setEnabled(custom);
    mLayer->setEnabled(custom || mModulesLayer < 0);
    mCompute->setEnabled(mHasModel && mSummary.layerCount() > 0 && !isRunning());
    if (!mHasResult)
        mHeading->setText(!mHasModel ? tr("Open a model first.")
                              : mModules.k > 0
                              ? tr("Modules of layer %1 ready: pick one and press Compute grid.")
                                    .arg(mSummary.layerNames.value(mModulesLayer))
                              : tr("No modules yet (Modules panel, Ctrl+M): type channels, or find modules first."));
}

QJsonObject ModuleGridView::sessionJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("layer"), mLayer->currentText());
    return viewSettings().toJson(o);
}

void ModuleGridView::restoreSessionJson(const QJsonObject& json)
{
    const int layer = mLayer->findText(json.value(QStringLiteral("layer")).toString());
    if (layer >= 0)
        mLayer->setCurrentIndex(layer);
    viewSettings().restore(json);
}

ViewSettings ModuleGridView::viewSettings() const
{
    return ViewSettings()
        .add(QStringLiteral("channels"), mChannels)
        .add(QStringLiteral("rows"), mRows)
        .add(QStringLiteral("cols"), mCols)
        .add(QStringLiteral("row_class"), mRowClass)
        .add(QStringLiteral("col_class"), mColClass)
        .add(QStringLiteral("class_from_donor"), mClassFromDonor);
}

} // namespace lx::ui
