#pragma once
// The controls of one CGN mechanism (shape, texture or background): its class, a second class and the
// interpolation slider between the two (class weights (1 - t) * onehot(a) + t * onehot(b)), and the seed
// of its noise u with previous / next / random. Emits `edited` for every change made by the user; set*
// calls do not emit.
#include "lx/CgnModel.h"

#include <QRandomGenerator>
#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace lx::ui {

class CgnMechanismPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMixSteps = 100; // slider steps from class A to class B

    CgnMechanismPanel(const QString& title, const QString& toolTip, QWidget* parent);

    void setClasses(const QStringList& classes);
    void setInput(const lx::CgnMechanismInput& input);
    lx::CgnMechanismInput input() const;
    // Shared noise (ImageNet-style CGNs): the seed follows another mechanism's and its controls are off.
    void setSeedFollows(bool follows, const QString& reason = QString());

    // True while the user holds the mix slider (its edits form one undo step).
    bool sliderHeld() const;
    quint64 gesture() const { return mGesture; }

    QComboBox* classBox() const { return mClass; }
    QComboBox* mixClassBox() const { return mMixClass; }
    QSlider* mixSlider() const { return mMix; }
    QSpinBox* seedBox() const { return mSeed; }
    QPushButton* previousButton() const { return mPrevious; }
    QPushButton* nextButton() const { return mNext; }
    QPushButton* randomButton() const { return mRandom; }

Q_SIGNALS:
    void edited();

private:
    void onEdited();
    void updateMixLabel();

    QGroupBox* mBox = nullptr;
    QComboBox* mClass = nullptr;
    QComboBox* mMixClass = nullptr;
    QSlider* mMix = nullptr;
    QLabel* mMixLabel = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mPrevious = nullptr;
    QPushButton* mNext = nullptr;
    QPushButton* mRandom = nullptr;
    QRandomGenerator mRandomSource;
    bool mSetting = false;
    quint64 mGesture = 0; // counts slider presses
};

} // namespace lx::ui
