#include "ui/cgn/CgnMechanismPanel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lx::ui {
namespace {

QPushButton* smallButton(const QString& text, const QString& toolTip, QWidget* parent)
{
    auto* button = new QPushButton(text, parent);
    button->setToolTip(toolTip);
    button->setAutoDefault(false);
    button->setFocusPolicy(Qt::TabFocus);
    return button;
}

} // namespace

CgnMechanismPanel::CgnMechanismPanel(const QString& title, const QString& toolTip, QWidget* parent)
    : QWidget(parent)
    , mRandomSource(QRandomGenerator::securelySeeded())
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    mBox = new QGroupBox(title, this);
    mBox->setToolTip(toolTip);
    outer->addWidget(mBox);
    auto* grid = new QGridLayout(mBox);
    grid->setContentsMargins(8, 6, 8, 8);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(5);

    mClass = new QComboBox(mBox);
    mClass->setToolTip(tr("The class this mechanism is conditioned on"));
    mMixClass = new QComboBox(mBox);
    mMixClass->setToolTip(tr("A second class: the slider interpolates the class weights between the two"));
    mMix = new QSlider(Qt::Horizontal, mBox);
    mMix->setRange(0, kMixSteps);
    mMix->setPageStep(10);
    mMix->setToolTip(
        tr("Class interpolation: 0 = the first class, 1 = the second; the weights are "
           "(1 − t)·onehot(a) + t·onehot(b)"));
    mMixLabel = new QLabel(mBox);
    mMixLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("t = 0.00")));
    mSeed = new QSpinBox(mBox);
    mSeed->setRange(0, std::numeric_limits<int>::max());
    mSeed->setAccelerated(true);
    mSeed->setKeyboardTracking(false);
    mSeed->setToolTip(tr("Seed of this mechanism's noise u (standard normal, drawn from the seed)"));
    mPrevious = smallButton(QStringLiteral("◀"), tr("Previous seed"), mBox);
    mNext = smallButton(QStringLiteral("▶"), tr("Next seed"), mBox);
    mRandom = smallButton(tr("Random"), tr("A random seed"), mBox);
    for (QPushButton* b : {mPrevious, mNext})
        b->setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("◀")) + 24);

    grid->addWidget(new QLabel(tr("Class"), mBox), 0, 0);
    grid->addWidget(mClass, 0, 1, 1, 4);
    grid->addWidget(new QLabel(tr("Mix with"), mBox), 1, 0);
    grid->addWidget(mMixClass, 1, 1, 1, 4);
    grid->addWidget(mMix, 2, 1, 1, 3);
    grid->addWidget(mMixLabel, 2, 4);
    grid->addWidget(new QLabel(tr("Seed"), mBox), 3, 0);
    grid->addWidget(mSeed, 3, 1);
    grid->addWidget(mPrevious, 3, 2);
    grid->addWidget(mNext, 3, 3);
    grid->addWidget(mRandom, 3, 4);
    grid->setColumnStretch(1, 1);

    connect(mClass, &QComboBox::currentIndexChanged, this, &CgnMechanismPanel::onEdited);
    connect(mMixClass, &QComboBox::currentIndexChanged, this, &CgnMechanismPanel::onEdited);
    connect(mMix, &QSlider::valueChanged, this, &CgnMechanismPanel::onEdited);
    connect(mMix, &QSlider::sliderPressed, this, [this] { ++mGesture; });
    connect(mSeed, &QSpinBox::valueChanged, this, &CgnMechanismPanel::onEdited);
    connect(mPrevious, &QPushButton::clicked, mSeed, [this] { mSeed->setValue(mSeed->value() - 1); });
    connect(mNext, &QPushButton::clicked, mSeed, [this] { mSeed->setValue(mSeed->value() + 1); });
    connect(mRandom, &QPushButton::clicked, mSeed,
            [this] { mSeed->setValue(static_cast<int>(mRandomSource.bounded(1, 1000000))); });
    updateMixLabel();
}

void CgnMechanismPanel::setClasses(const QStringList& classes)
{
    const QScopedValueRollback<bool> setting(mSetting, true);
    for (QComboBox* box : {mClass, mMixClass}) {
        box->clear();
        for (int k = 0; k < classes.size(); ++k)
            box->addItem(
                classes[k] == QString::number(k) ? classes[k] : QStringLiteral("%1  %2").arg(k).arg(classes[k]), k);
    }
}

void CgnMechanismPanel::setInput(const lx::CgnMechanismInput& input)
{
    const QScopedValueRollback<bool> setting(mSetting, true);
    mClass->setCurrentIndex(input.classA);
    mMixClass->setCurrentIndex(input.classB);
    if (!mMix->isSliderDown()) // the user's drag stays where the hand is
        mMix->setValue(static_cast<int>(std::lround(input.mix * kMixSteps)));
    mSeed->setValue(static_cast<int>(std::min<quint64>(input.seed, std::numeric_limits<int>::max())));
    updateMixLabel();
}

lx::CgnMechanismInput CgnMechanismPanel::input() const
{
    lx::CgnMechanismInput input;
    input.classA = std::max(0, mClass->currentIndex());
    input.classB = std::max(0, mMixClass->currentIndex());
    input.mix = static_cast<double>(mMix->value()) / kMixSteps;
    input.seed = static_cast<quint64>(mSeed->value());
    return input;
}

void CgnMechanismPanel::setSeedFollows(bool follows, const QString& reason)
{
    for (QWidget* w : std::initializer_list<QWidget*>{mSeed, mPrevious, mNext, mRandom})
        w->setEnabled(!follows);
    mSeed->setToolTip(follows ? reason : tr("Seed of this mechanism's noise u (standard normal, drawn from the seed)"));
}

bool CgnMechanismPanel::sliderHeld() const { return mMix->isSliderDown(); }

void CgnMechanismPanel::onEdited()
{
    updateMixLabel();
    if (!mSetting)
        Q_EMIT edited();
}

void CgnMechanismPanel::updateMixLabel()
{
    mMixLabel->setText(QStringLiteral("t = %1").arg(static_cast<double>(mMix->value()) / kMixSteps, 0, 'f', 2));
    // The slider does nothing while both classes are the same: say so.
    const bool same = mClass->currentIndex() == mMixClass->currentIndex();
    mMix->setEnabled(mClass->count() > 1);
    mMixLabel->setEnabled(!same);
}

} // namespace lx::ui
