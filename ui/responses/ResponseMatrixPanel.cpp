#include "ui/responses/ResponseMatrixPanel.h"

#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ResponseMatrixPlot.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace lx::ui {

ResponseMatrixPanel::ResponseMatrixPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* bar = new QHBoxLayout;
    mCompute = new QPushButton(tr("Compute Response Matrix"), this);
    mCompute->setToolTip(tr("M[i, j] = RMS over samples of R_j(z with z_i := v) − R_j(z) (Ctrl+R)"));
    mCompute->setAutoDefault(false);
    mOpen = new QPushButton(tr("Open Response Matrix…"), this);
    mOpen->setToolTip(
        tr("Show a response matrix computed elsewhere: an M.npy written by latent-explorer-cli "
           "responses, or merged from a cluster job"));
    mOpen->setAutoDefault(false);
    mExportButton = new QToolButton(this);
    mExportButton->setText(tr("Export"));
    mExportButton->setPopupMode(QToolButton::InstantPopup);
    mExport = new ExportMenu(tr("Export"), this);
    mExport->addPlot(QStringLiteral("response-matrix"),
                     [this](const QString& path, QString* error) { return mPlot->savePlot(path, error); });
    mExport->addArrays(QStringLiteral("response-matrix"), [this] { return arrays(); });
    mExportButton->setMenu(mExport);
    mSummary = new QLabel(this);
    mSummary->setWordWrap(true);
    mSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(mCompute);
    bar->addWidget(mOpen);
    bar->addWidget(mExportButton);
    bar->addWidget(mSummary, 1);
    layout->addLayout(bar);
    mNote = new QLabel(this);
    mNote->setWordWrap(true);
    mNote->setStyleSheet(QStringLiteral("color: #b35c00;"));
    mNote->hide();
    layout->addWidget(mNote);
    mPlot = new ResponseMatrixPlot(this);
    layout->addWidget(mPlot, 1);

    connect(mCompute, &QPushButton::clicked, this, &ResponseMatrixPanel::computeRequested);
    connect(mOpen, &QPushButton::clicked, this, &ResponseMatrixPanel::openRequested);
    connect(mPlot, &ResponseMatrixPlot::cellClicked, this, &ResponseMatrixPanel::cellClicked);
    connect(mExport, &ExportMenu::message, this, &ResponseMatrixPanel::message);
    clear(
        tr("Compute the response matrix (Ctrl+R): how much each latent dimension of the response moves "
           "when one dimension is intervened on"));
}

void ResponseMatrixPanel::clear(const QString& placeholder)
{
    mResult = ResponseMatrixResult();
    mPlot->clearMatrix(placeholder);
    mSummary->clear();
    mNote->clear();
    mNote->hide();
}

void ResponseMatrixPanel::showResult(const ResponseMatrixResult& result)
{
    mResult = result;
    ResponseMatrixPlot::Labels labels;
    // An opened matrix's values came from the file's job: its name stands in for the value source.
    labels.title =
        tr("Latent response matrix (%1)")
            .arg(result.isOpened() ? QFileInfo(result.sourcePath).fileName() : valueSourceName(result.values));
    labels.rowTitle = tr("intervened dim");
    labels.columnTitle = tr("responding dim");
    labels.scaleTitle = tr("RMS response");
    mPlot->setMatrix(result.matrix, result.dims, result.dims, labels);
    if (result.isOpened())
        mSummary->setText(result.sourceText);
    else
        mSummary->setText(tr("%1 · seed %2 · %3 s")
                              .arg(result.sourceText)
                              .arg(result.seed)
                              .arg(result.computeMs / 1000.0, 0, 'f', 1));
    mNote->setText(result.note.isEmpty()
                       ? QString()
                       : tr("Computed with the prior: there was no data for the aggregate posterior."));
    mNote->setVisible(!result.note.isEmpty());
}

QString ResponseMatrixPanel::summaryText() const { return mSummary->text(); }

QString ResponseMatrixPanel::noteText() const { return mNote->text(); }

QMap<QString, lx::Array> ResponseMatrixPanel::arrays() const
{
    QMap<QString, lx::Array> arrays;
    if (hasResult())
        arrays.insert(QStringLiteral("response-matrix"), arrayOf(mResult.matrix, {mResult.dims, mResult.dims}));
    return arrays;
}

} // namespace lx::ui
