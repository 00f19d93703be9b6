#include "ui/cgn/CgnGridView.h"

#include "ui/cgn/CgnGridCanvas.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace lx::ui {

CgnGridView::CgnGridView(QWidget* parent)
    : QWidget(parent)
    , mRandom(QRandomGenerator::securelySeeded())
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    auto* controls = new QHBoxLayout;
    controls->setSpacing(8);
    const auto spin = [this](int low, int high, const QString& toolTip) {
        auto* box = new QSpinBox(this);
        box->setRange(low, high);
        box->setKeyboardTracking(false);
        box->setToolTip(toolTip);
        connect(box, &QSpinBox::valueChanged, this, [this] {
            if (!mSetting)
                Q_EMIT edited();
        });
        return box;
    };
    mRows = spin(1, CgnMixerState::kMaxGridSide, tr("Rows of counterfactuals"));
    mCols = spin(1, CgnMixerState::kMaxGridSide, tr("Columns of counterfactuals"));
    mSeed = spin(0, std::numeric_limits<int>::max(),
                 tr("Seed of the grid's draws: every cell's texture and background class and noise follow from it"));
    mSeed->setMinimumWidth(100);
    mDraw = new QPushButton(tr("New draw"), this);
    mDraw->setAutoDefault(false);
    mDraw->setToolTip(tr("Draw new textures and backgrounds for every cell (a random grid seed)"));
    connect(mDraw, &QPushButton::clicked, mSeed,
            [this] { mSeed->setValue(static_cast<int>(mRandom.bounded(1, 1000000))); });
    controls->addWidget(new QLabel(tr("Rows"), this));
    controls->addWidget(mRows);
    controls->addWidget(new QLabel(tr("Columns"), this));
    controls->addWidget(mCols);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Seed"), this));
    controls->addWidget(mSeed);
    controls->addWidget(mDraw);
    controls->addStretch(1);
    layout->addLayout(controls);
    mHeading = new QLabel(this);
    mHeading->setWordWrap(true);
    mHeading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mHeading);
    mCanvas = new CgnGridCanvas(this);
    layout->addWidget(mCanvas, 1);
}

void CgnGridView::setSettings(int rows, int cols, quint64 seed)
{
    const QScopedValueRollback<bool> setting(mSetting, true);
    mRows->setValue(rows);
    mCols->setValue(cols);
    mSeed->setValue(static_cast<int>(std::min<quint64>(seed, std::numeric_limits<int>::max())));
}

int CgnGridView::rows() const { return mRows->value(); }

int CgnGridView::cols() const { return mCols->value(); }

quint64 CgnGridView::seed() const { return static_cast<quint64>(mSeed->value()); }

void CgnGridView::setHeading(const QString& text) { mHeading->setText(text); }

QString CgnGridView::headingText() const { return mHeading->text(); }

} // namespace lx::ui
