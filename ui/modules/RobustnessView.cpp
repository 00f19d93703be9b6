#include "ui/modules/RobustnessView.h"

#include "ui/modules/ModuleTasks.h"
#include "ui/modules/RobustnessPlot.h"
#include "ui/compute/TaskBar.h"
#include "ui/widgets/ViewSettings.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace lx::ui {

RobustnessView::RobustnessView(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    registerModuleAssayTypes();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    auto* form = new QGridLayout;
    form->setHorizontalSpacing(8);
    mClassifier = new QLineEdit(this);
    mClassifier->setPlaceholderText(tr("a TorchScript classifier with a card of kind \"classifier\""));
    mClassifier->setToolTip(
        tr("Classifier file (models/CONTRACT.md). Its input shape must equal the "
           "generator's output shape; pixels are mapped from the generator's "
           "output_range to its input_range."));
    mBrowse = new QPushButton(tr("Browse…"), this);
    mBrowse->setAutoDefault(false);
    mPairs = new QSpinBox(this);
    mPairs->setRange(1, ModuleTasks::kMaxPairs);
    mPairs->setValue(kDefaultPairs);
    mPairs->setToolTip(tr("Pairs (z1, z2): pair i takes seeds S + i and S + N + i"));
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setValue(0);
    mSeed->setToolTip(tr("First seed S of the pairs"));
    mDiffering = new QCheckBox(tr("Only pairs whose originals differ in class"), this);
    mDiffering->setToolTip(
        tr("Fractions over the pairs where x(z1) and x(z2) get different classes, "
           "so that keeping one class and taking the other exclude each other"));
    mRun = new QPushButton(tr("Run assay"), this);
    mRun->setAutoDefault(false);
    mRun->setToolTip(tr("Classify x(z1), x(z2) and every module's hybrids for all pairs"));
    form->addWidget(new QLabel(tr("Classifier"), this), 0, 0);
    form->addWidget(mClassifier, 0, 1, 1, 4);
    form->addWidget(mBrowse, 0, 5);
    form->addWidget(new QLabel(tr("Pairs"), this), 1, 0);
    form->addWidget(mPairs, 1, 1);
    form->addWidget(new QLabel(tr("First seed"), this), 1, 2);
    form->addWidget(mSeed, 1, 3);
    form->addWidget(mDiffering, 1, 4);
    form->addWidget(mRun, 1, 5);
    form->setColumnStretch(4, 1);
    layout->addLayout(form);

    mTasks = new TaskBar(controller, this);
    layout->addWidget(mTasks);
    mSummaryLabel = new QLabel(this);
    mSummaryLabel->setWordWrap(true);
    mSummaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mSummaryLabel);
    mPlot = new RobustnessPlot(this);
    layout->addWidget(mPlot, 1);

    connect(mBrowse, &QPushButton::clicked, this, &RobustnessView::browse);
    connect(mRun, &QPushButton::clicked, this, &RobustnessView::run);
    connect(mClassifier, &QLineEdit::textChanged, this, &RobustnessView::updateState);
    connect(mDiffering, &QCheckBox::toggled, this, [this] {
        if (mHasResult)
            showResult();
    });
    connect(mTasks, &TaskBar::runningChanged, this, &RobustnessView::updateState);
    connect(mTasks, &TaskBar::message, this, &RobustnessView::message);
    updateState();
}

QString RobustnessView::defaultClassifierFor(const QString& modelPath)
{
    const QFileInfo model(modelPath);
    if (model.fileName() != QLatin1String("fashion_dcgan.pt"))
        return {};
    const QString classifier = model.dir().filePath(QStringLiteral("fashion_classifier.pt"));
    return QFileInfo::exists(classifier) ? classifier : QString();
}

void RobustnessView::setModel(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = true;
    mHasResult = false;
    mResult = RobustnessData();
    const QString proposed = defaultClassifierFor(summary.path);
    if (!proposed.isEmpty())
        mClassifier->setText(proposed);
    setModules(-1, ModulesResult());
}

void RobustnessView::setModules(int layer, const ModulesResult& result)
{
    const bool changed = layer != mLayer || result.assignment != mModules.assignment;
    mLayer = layer;
    mModules = result;
    if (changed && mHasResult) {
        mHasResult = false;
        mResult = RobustnessData();
    }
    if (!mHasResult)
        mPlot->clear(mModules.k > 0 ? tr("Press Run assay") : tr("Find modules first (Modules panel, Ctrl+M)"));
    updateState();
}

bool RobustnessView::isRunning() const { return mTasks->isRunning(); }

QString RobustnessView::summaryText() const { return mSummaryLabel->text(); }

QJsonObject RobustnessView::sessionJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("classifier"), mClassifier->text());
    return viewSettings().toJson(o);
}

void RobustnessView::restoreSessionJson(const QJsonObject& json)
{
    // An empty classifier keeps the one proposed for the model.
    const QString classifier = json.value(QStringLiteral("classifier")).toString();
    if (!classifier.isEmpty())
        mClassifier->setText(classifier);
    viewSettings().restore(json);
}

ViewSettings RobustnessView::viewSettings() const
{
    return ViewSettings()
        .add(QStringLiteral("pairs"), mPairs)
        .add(QStringLiteral("first_seed"), mSeed)
        .add(QStringLiteral("differing_only"), mDiffering);
}

void RobustnessView::browse()
{
    const QString start = mClassifier->text().isEmpty() ? QFileInfo(mSummary.path).absolutePath() : mClassifier->text();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a classifier"), start,
                                                      tr("TorchScript models (*.pt *.pth *.zip);;All files (*)"));
    if (!path.isEmpty())
        mClassifier->setText(path);
}

void RobustnessView::run()
{
    if (!mRun->isEnabled())
        return;
    RobustnessRequest request;
    request.layer = mLayer;
    request.assignment = mModules.assignment;
    request.pairs = mPairs->value();
    request.firstSeed = static_cast<quint64>(mSeed->value());
    request.classifierPath = mClassifier->text().trimmed();
    const QString layerName = mSummary.layerNames.value(mLayer);
    mHasResult = false;
    mResult = RobustnessData();
    mPlot->clear(tr("Classifying %1 pairs × %2 modules at %3…").arg(request.pairs).arg(mModules.k).arg(layerName));
    mTasks->start(Task::onModel(tr("Robustness assay"), ModuleTasks::robustnessTask(request), mSummary.generation),
                  [this, request](const QVariant& v) {
                      // Ignore a result for modules that changed meanwhile.
                      if (request.layer != mLayer || request.assignment != mModules.assignment)
                          return;
                      mResult = v.value<RobustnessData>();
                      mHasResult = true;
                      showResult();
                      Q_EMIT message(tr("Robustness assay: %1 pairs in %2 s")
                                         .arg(mResult.result.originals.pairs)
                                         .arg(mResult.result.computeMs / 1000.0, 0, 'f', 1));
                  });
}

void RobustnessView::showResult()
{
    const lx::RobustnessResult& r = mResult.result;
    const lx::OriginalsSummary& o = r.originals;
    const bool differing = mDiffering->isChecked();
    const qint64 differingPairs = r.modules.empty() ? 0 : r.modules.front().differingPairs;
    const QString layerName = mSummary.layerNames.value(r.layer);
    mPlot->setResult(r, differing,
                     tr("%1 at %2 · %3 modules (%4) · %5 pairs%6")
                         .arg(mResult.classifierName, layerName)
                         .arg(r.modules.size())
                         .arg(methodName(mModules.method))
                         .arg(differing ? differingPairs : o.pairs)
                         .arg(differing ? tr(" with different classes") : QString()));
    mSummaryLabel->setText(tr("Originals: x(z1) and x(z2) get the same class in %1% of the %2 pairs; mean "
                              "classifier confidence %3. Kept = the hybrid keeps x(z1)'s class (z1 keeps "
                              "everything but the module); donor = it takes x(z2)'s class (z2 gives the module).")
                               .arg(100.0 * lx::ModuleRobustness::ratio(o.sameClassPairs, o.pairs), 0, 'f', 1)
                               .arg(o.pairs)
                               .arg(o.meanConfidence, 0, 'f', 2));
}

void RobustnessView::updateState()
{
    const bool ready = mHasModel && mLayer >= 0 && mModules.k > 0 && !mClassifier->text().trimmed().isEmpty();
    mRun->setEnabled(ready && !isRunning());
    if (!mHasResult)
        mSummaryLabel->setText(
            !mHasModel            ? tr("Open a model first.")
                : mModules.k <= 0 ? tr("Find modules first: influence maps (Ctrl+E), then modules (Ctrl+M).")
                : mClassifier->text().trimmed().isEmpty()
                ? tr("Choose a classifier file.")
                : tr("%1 modules at %2 ready.").arg(mModules.k).arg(mSummary.layerNames.value(mLayer)));
}

} // namespace lx::ui
