#include "ui/vq/VqRetrievalPanel.h"

#include "ui/widgets/ImageView.h"
#include "ui/vq/VqFactorPicker.h"
#include "ui/vq/VqRetrievalPlot.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace lx::ui {

VqRetrievalPanel::VqRetrievalPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 6, 4, 4);
    layout->setSpacing(6);

    auto* top = new QHBoxLayout;
    top->setSpacing(8);
    auto* pick = new QGroupBox(tr("Image y"), this);
    auto* pickLayout = new QVBoxLayout(pick);
    pickLayout->setContentsMargins(6, 4, 6, 6);
    mTarget = new VqFactorPicker(pick);
    pickLayout->addWidget(mTarget);
    auto* pairRow = new QHBoxLayout;
    mRandomPair = new QPushButton(tr("Random pair"), pick);
    mRandomPair->setAutoDefault(false);
    mRandomPair->setToolTip(
        tr("Draw a true one-step pair (x, y) of the dataset from the seed (lx::VqPairs): "
           "x and y change, and the seed moves on"));
    mPairSeed = new QSpinBox(pick);
    mPairSeed->setRange(0, std::numeric_limits<int>::max());
    mPairSeed->setValue(1);
    mPairSeed->setPrefix(tr("seed "));
    pairRow->addWidget(mRandomPair);
    pairRow->addWidget(mPairSeed);
    pickLayout->addLayout(pairRow);
    connect(mRandomPair, &QPushButton::clicked, this,
            [this] { Q_EMIT randomPairRequested(static_cast<quint64>(mPairSeed->value())); });
    top->addWidget(pick);
    mTargetView = new ImageView(tr("y"), this);
    mTargetView->setPlaceholderText(tr("y"));
    mTargetView->setMinimumSize(110, 110);
    top->addWidget(mTargetView, 1);
    layout->addLayout(top);

    mNote = new QLabel(this);
    mNote->setWordWrap(true);
    mNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(mNote);
    mPlot = new VqRetrievalPlot(this);
    layout->addWidget(mPlot, 1);
    mResult = new QLabel(this);
    mResult->setWordWrap(true);
    mResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mResult);
}

void VqRetrievalPanel::setModel(const VqModelInfo& info)
{
    mTarget->setDataset(info.dataset.get(), info.datasetNote);
    const bool usable = info.pairsUsable;
    mRandomPair->setEnabled(usable);
    mPairSeed->setEnabled(usable);
    mTarget->setEnabled(usable);
    mNote->setText(
        usable ? QString()
               : tr("Action retrieval needs a dataset whose factors are the actions': %1.").arg(info.datasetNote));
    mNote->setVisible(!usable);
    clear();
}

void VqRetrievalPanel::clear()
{
    mTargetView->clear();
    mPlot->clear(tr("Pick y to see which action takes x to it"));
    mResult->clear();
}

void VqRetrievalPanel::setPairNote(const QString& text) { mResult->setText(text); }

void VqRetrievalPanel::showRetrieval(const VqRetrievalData& data, const VqModelInfo& info)
{
    mTargetView->setImage(data.y);
    mTargetView->setSubtitle(tr("index %1").arg(data.target));
    const QString truth =
        data.trueAction >= 0 ? info.actionName(data.trueAction) : tr("none (y is not one step from x)");
    mPlot->setProbabilities(data.p, info.actions, data.trueAction,
                            tr("p(a | x, y): x = %1, y = %2").arg(data.source).arg(data.target));
    const double best = data.predicted >= 0 ? data.p.value(data.predicted) : 0.0;
    QString text = tr("Predicted <b>%1</b> (p = %2) · true: %3")
                       .arg(info.actionName(data.predicted).toHtmlEscaped())
                       .arg(best, 0, 'f', 3)
                       .arg(truth.toHtmlEscaped());
    if (data.trueAction >= 0) {
        const bool right = data.predicted == data.trueAction;
        const int f = info.factorCount;
        const bool factorRight = f > 0 && data.predicted % f == data.trueAction % f;
        text += right     ? tr(" · <span style='color:#2ca02c'>right</span>")
            : factorRight ? tr(" · right factor, wrong direction")
                          : tr(" · <span style='color:#d62728'>wrong</span>");
    }
    mResult->setText(text);
}

QString VqRetrievalPanel::resultText() const { return mResult->text(); }

} // namespace lx::ui
