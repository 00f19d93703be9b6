#include "ui/vq/VqActionPalette.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lx::ui {

VqActionPalette::VqActionPalette(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    mGrid = new QGridLayout;
    mGrid->setHorizontalSpacing(4);
    mGrid->setVerticalSpacing(3);
    layout->addLayout(mGrid);
    mNote = new QLabel(this);
    mNote->setWordWrap(true);
    mNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(mNote);

    auto* row = new QHBoxLayout;
    row->setSpacing(6);
    auto* times = new QLabel(tr("Apply ×"), this);
    mRepeat = new QSpinBox(this);
    mRepeat->setRange(1, 50);
    mRepeat->setValue(1);
    mRepeat->setToolTip(tr("How many times a click applies its action (each application is a step of the trajectory)"));
    times->setBuddy(mRepeat);
    mReset = new QPushButton(tr("Reset"), this);
    mReset->setAutoDefault(false);
    mReset->setToolTip(tr("Back to the encoded codes of x (drops the edits and actions)"));
    connect(mReset, &QPushButton::clicked, this, &VqActionPalette::resetRequested);
    row->addWidget(times);
    row->addWidget(mRepeat);
    row->addStretch(1);
    row->addWidget(mReset);
    layout->addLayout(row);
    setActions({});
}

bool VqActionPalette::followsConvention(const QStringList& names)
{
    if (names.isEmpty() || names.size() % 2 != 0)
        return false;
    const int f = int(names.size()) / 2;
    for (int i = 0; i < f; ++i) {
        const QString& plus = names[i];
        const QString& minus = names[f + i];
        if (!plus.endsWith(QLatin1Char('+')) || !minus.endsWith(QLatin1Char('-'))
            || plus.chopped(1) != minus.chopped(1))
            return false;
    }
    return true;
}

void VqActionPalette::setActions(const QStringList& names)
{
    qDeleteAll(mGridWidgets);
    mGridWidgets.clear();
    mButtons.clear();
    mFactorGrid = followsConvention(names);
    const auto add = [this](QWidget* w, int r, int c) {
        mGrid->addWidget(w, r, c);
        mGridWidgets << w;
    };
    for (int a = 0; a < names.size(); ++a) {
        auto* button = new QPushButton(names[a], this);
        button->setAutoDefault(false);
        button->setToolTip(tr("Apply %1 to the current codes (the causal transition's argmax)").arg(names[a]));
        connect(button, &QPushButton::clicked, this, [this, a] { Q_EMIT actionRequested(a, mRepeat->value()); });
        mButtons << button;
    }
    if (mFactorGrid) {
        const int f = int(names.size()) / 2;
        for (const auto& [text, column] : {std::pair{QStringLiteral("+"), 1}, std::pair{QStringLiteral("−"), 2}}) {
            auto* head = new QLabel(text, this);
            head->setAlignment(Qt::AlignCenter);
            add(head, 0, column);
        }
        for (int i = 0; i < f; ++i) {
            auto* label = new QLabel(names[i].chopped(1), this);
            add(label, i + 1, 0);
            add(mButtons[i], i + 1, 1);
            add(mButtons[f + i], i + 1, 2);
        }
    } else {
        for (int a = 0; a < mButtons.size(); ++a)
            add(mButtons[a], a / 2, a % 2);
    }
    mNote->setText(names.isEmpty() ? tr("This model has no causal transition: no actions (edit codes by hand).")
                                   : QString());
    mNote->setVisible(names.isEmpty());
    mRepeat->setEnabled(!names.isEmpty());
}

QPair<int, int> VqActionPalette::buttonCell(int action) const
{
    QPushButton* b = button(action);
    const int index = b ? mGrid->indexOf(b) : -1;
    if (index < 0)
        return {-1, -1};
    int row = 0, column = 0, rowSpan = 0, columnSpan = 0;
    mGrid->getItemPosition(index, &row, &column, &rowSpan, &columnSpan);
    return {row, column};
}

void VqActionPalette::setResetEnabled(bool enabled) { mReset->setEnabled(enabled); }

} // namespace lx::ui
