#include "ui/vq/VqEvaluatePanel.h"

#include "ui/widgets/ResponseMatrixPlot.h"

#include "ui/widgets/PlotSupport.h"
#include "ui/compute/TaskBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace lx::ui {
namespace {

QString percent(double v)
{
    return std::isnan(v) ? QStringLiteral("–") : QStringLiteral("%1%").arg(100.0 * v, 0, 'f', 1);
}

} // namespace

VqEvaluatePanel::VqEvaluatePanel(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 6, 4, 4);
    layout->setSpacing(6);
    auto* row = new QHBoxLayout;
    row->setSpacing(6);
    mPairs = new QSpinBox(this);
    mPairs->setRange(1, 1000000);
    mPairs->setValue(1000);
    mPairs->setSuffix(tr(" pairs"));
    mPairs->setToolTip(tr("Pairs (x, y) of the dataset, y = x with one factor stepped by one (lx::VqPairs)"));
    mSeed = new QSpinBox(this);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setPrefix(tr("seed "));
    mEvaluate = new QPushButton(tr("Evaluate"), this);
    mEvaluate->setAutoDefault(false);
    mEvaluate->setToolTip(tr("Action retrieval on the pairs: argmax p(a | x, y) against the true action"));
    row->addWidget(mPairs);
    row->addWidget(mSeed);
    row->addWidget(mEvaluate);
    row->addStretch(1);
    layout->addLayout(row);
    connect(mEvaluate, &QPushButton::clicked, this,
            [this] { Q_EMIT evaluateRequested(mPairs->value(), static_cast<quint64>(mSeed->value())); });
    mTasks = new TaskBar(controller, this);
    layout->addWidget(mTasks);
    connect(mTasks, &TaskBar::runningChanged, this,
            [this](bool running) { mEvaluate->setEnabled(mUsable && !running); });
    mNote = new QLabel(this);
    mNote->setWordWrap(true);
    mNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(mNote);
    mResult = new QLabel(this);
    mResult->setWordWrap(true);
    mResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mResult);
    mConfusion = new ResponseMatrixPlot(this);
    layout->addWidget(mConfusion, 1);
    clear();
}

void VqEvaluatePanel::setModel(const VqModelInfo& info)
{
    mUsable = info.pairsUsable;
    mEvaluate->setEnabled(mUsable && !mTasks->isRunning());
    mNote->setText(mUsable
                       ? QString()
                       : tr("Evaluation needs a dataset whose factors are the actions': %1.").arg(info.datasetNote));
    mNote->setVisible(!mUsable);
    clear();
}

void VqEvaluatePanel::clear()
{
    mResult->setText(
        tr("Action accuracy: argmax p(a | x, y) is the true action; factor accuracy: the same "
           "factor, either direction."));
    mConfusion->clearMatrix(tr("Evaluate to see the confusion matrix here"));
}

void VqEvaluatePanel::showResult(const VqEvaluationResult& result, const VqModelInfo& info)
{
    const lx::VqEvaluation& e = result.evaluation;
    QString text = tr("<b>%1</b> pairs (seed %2) in %3 s<br>Action accuracy <b>%4</b> (chance %5)")
                       .arg(e.pairs)
                       .arg(result.seed)
                       .arg(result.seconds, 0, 'f', 1)
                       .arg(percent(e.actionAccuracy), percent(e.actionChance));
    if (e.factorCount > 0)
        text += tr(" · factor accuracy <b>%1</b> (chance %2)").arg(percent(e.factorAccuracy), percent(e.factorChance));
    text += tr("<br>Mean p(true action | x, y) %1").arg(e.meanTrueProbability, 0, 'f', 3);
    mResult->setText(text);

    const int a = e.actionCount;
    if (a <= 0 || e.confusion.numel() != qint64(a) * a) {
        mConfusion->clearMatrix(tr("No confusion matrix"));
        return;
    }
    // Rows normalised to the fraction of each true action's pairs.
    QVector<float> values(a * a, 0.0f);
    QStringList rows, cols;
    for (int t = 0; t < a; ++t) {
        double sum = 0.0;
        for (int p = 0; p < a; ++p)
            sum += e.confusion.ptr()[t * a + p];
        for (int p = 0; p < a; ++p)
            values[t * a + p] = sum > 0 ? static_cast<float>(e.confusion.ptr()[t * a + p] / sum) : 0.0f;
        const double accuracy = e.perActionAccuracy.size() > size_t(t) ? e.perActionAccuracy[size_t(t)] : NAN;
        rows << tr("%1 %2").arg(info.actionName(t),
                                std::isnan(accuracy) ? QStringLiteral("–")
                                                     : QStringLiteral("%1%").arg(100.0 * accuracy, 0, 'f', 0));
        cols << info.actionName(t);
    }
    ResponseMatrixPlot::Labels labels;
    labels.title = tr("Confusion (rows sum to 1)");
    labels.rowTitle = tr("true action, its accuracy");
    labels.columnTitle = tr("predicted action");
    labels.scaleTitle = tr("fraction");
    labels.rows = rows;
    labels.columns = cols;
    mConfusion->setMatrix(values, a, a, labels);
    // Action names under narrow columns: slanted.
    if (QCPAxisRect* rect = mConfusion->plot()->axisRects().value(0)) {
        rect->axis(QCPAxis::atBottom)->setTickLabelRotation(-60);
        PlotSupport::replot(mConfusion->plot());
    }
}

QString VqEvaluatePanel::resultText() const { return mResult->text(); }

} // namespace lx::ui
