#include "ui/responses/ConditionedPanel.h"

#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ResponseMatrixPlot.h"
#include "ui/widgets/ViewSettings.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace lx::ui {

ConditionedPanel::ConditionedPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* bar = new QHBoxLayout;
    mTraversals = new QSpinBox(this);
    mTraversals->setRange(1, 1000);
    mTraversals->setValue(kDefaultTraversals);
    mTraversals->setToolTip(tr("Traversals per factor (the paper's notebook: 20; its code's default: 50)"));
    mBatch = new QSpinBox(this);
    mBatch->setRange(1, 4096);
    mBatch->setValue(kDefaultBatch);
    mBatch->setToolTip(tr("Base points per traversal's response matrix (the paper's code: 32)"));
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mCompute = new QPushButton(tr("Compute Conditioned Matrix"), this);
    mCompute->setToolTip(
        tr("Per factor: traverse it, encode, and keep the diagonal of the traversal's response "
           "matrix (Ctrl+Shift+R)"));
    mCompute->setAutoDefault(false);
    mOpen = new QPushButton(tr("Open Conditioned Matrix…"), this);
    mOpen->setToolTip(
        tr("Show a conditioned matrix computed elsewhere: a C.npy written by latent-explorer-cli "
           "conditioned, or merged from a cluster job"));
    mOpen->setAutoDefault(false);
    mExportButton = new QToolButton(this);
    mExportButton->setText(tr("Export"));
    mExportButton->setPopupMode(QToolButton::InstantPopup);
    mExport = new ExportMenu(tr("Export"), this);
    mExport->addPlot(QStringLiteral("conditioned-matrix"),
                     [this](const QString& path, QString* error) { return mPlot->savePlot(path, error); });
    mExport->addArrays(QStringLiteral("conditioned-matrix"), [this] { return arrays(); });
    mExportButton->setMenu(mExport);
    bar->addWidget(new QLabel(tr("Traversals"), this));
    bar->addWidget(mTraversals);
    bar->addWidget(new QLabel(tr("Batch"), this));
    bar->addWidget(mBatch);
    bar->addWidget(new QLabel(tr("Seed"), this));
    bar->addWidget(mSeed);
    bar->addWidget(mCompute);
    bar->addWidget(mOpen);
    bar->addWidget(mExportButton);
    bar->addStretch(1);
    layout->addLayout(bar);
    mCds = new QLabel(this);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    mCds->setFont(big);
    mCds->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mCds);
    mUnavailable = new QLabel(this);
    mUnavailable->setWordWrap(true);
    mUnavailable->setStyleSheet(QStringLiteral("color: #b35c00;"));
    layout->addWidget(mUnavailable);
    mPlot = new ResponseMatrixPlot(this);
    layout->addWidget(mPlot, 1);

    connect(mCompute, &QPushButton::clicked, this, &ConditionedPanel::computeRequested);
    connect(mOpen, &QPushButton::clicked, this, &ConditionedPanel::openRequested);
    connect(mExport, &ExportMenu::message, this, &ConditionedPanel::message);
    setModelInfo(ResponseModelInfo());
}

void ConditionedPanel::setModelInfo(const ResponseModelInfo& info)
{
    mAvailable = info.datasetUsable;
    clear();
    for (QWidget* w : {static_cast<QWidget*>(mTraversals), static_cast<QWidget*>(mBatch), static_cast<QWidget*>(mSeed),
                       static_cast<QWidget*>(mCompute), static_cast<QWidget*>(mOpen)})
        w->setEnabled(mAvailable);
    if (mAvailable) {
        mUnavailable->clear();
        mUnavailable->hide();
        mPlot->clearMatrix(tr("Compute (Ctrl+Shift+R): how strongly each latent dimension responds to each "
                              "factor of %1 (%2)")
                               .arg(info.dataset, info.factorNames.join(QStringLiteral(", "))));
    } else {
        const QString why = info.datasetNote.isEmpty() ? tr("no model loaded") : info.datasetNote;
        mUnavailable->setText(tr("The conditioned matrix needs a dataset with known factors: %1.").arg(why));
        mUnavailable->show();
        mPlot->clearMatrix(tr("Unavailable for this model"));
    }
}

void ConditionedPanel::clear()
{
    mResult = ConditionedMatrixResult();
    mCds->clear();
}

void ConditionedPanel::showResult(const ConditionedMatrixResult& result)
{
    mResult = result;
    ResponseMatrixPlot::Labels labels;
    labels.title = tr("Conditioned response matrix (%1)").arg(result.dataset);
    labels.rowTitle = tr("factor");
    labels.columnTitle = tr("latent dim");
    labels.scaleTitle = tr("RMS response");
    labels.rows = result.factorNames;
    mPlot->setMatrix(result.matrix, result.factors, result.dims, labels);
    const QString range = QString::number(result.factors > 0 ? 1.0 / result.factors : 0.0, 'f', 3);
    if (result.isOpened()) {
        mCds->setText(
            tr("CDS = %1   (range 1/F = %2 … 1; %3)").arg(result.cds, 0, 'f', 4).arg(range, result.sourceText));
        return;
    }
    mCds->setText(tr("CDS = %1   (range 1/F = %2 … 1; %3 traversals per factor, batch %4, seed %5, %6 s)")
                      .arg(result.cds, 0, 'f', 4)
                      .arg(range)
                      .arg(result.traversals)
                      .arg(result.batch)
                      .arg(result.seed)
                      .arg(result.computeMs / 1000.0, 0, 'f', 1));
}

QString ConditionedPanel::cdsText() const { return mCds->text(); }

QString ConditionedPanel::unavailableText() const { return mUnavailable->text(); }

QMap<QString, lx::Array> ConditionedPanel::arrays() const
{
    QMap<QString, lx::Array> arrays;
    if (hasResult())
        arrays.insert(QStringLiteral("conditioned-matrix"), arrayOf(mResult.matrix, {mResult.factors, mResult.dims}));
    return arrays;
}

int ConditionedPanel::traversals() const { return mTraversals->value(); }

int ConditionedPanel::batch() const { return mBatch->value(); }

quint64 ConditionedPanel::seed() const { return static_cast<quint64>(mSeed->value()); }

QJsonObject ConditionedPanel::sessionJson() const { return viewSettings().toJson(); }

void ConditionedPanel::restoreSessionJson(const QJsonObject& json) { viewSettings().restore(json); }

ViewSettings ConditionedPanel::viewSettings() const
{
    return ViewSettings()
        .add(QStringLiteral("traversals"), mTraversals)
        .add(QStringLiteral("batch"), mBatch)
        .add(QStringLiteral("seed"), mSeed);
}

} // namespace lx::ui
