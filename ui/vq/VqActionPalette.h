#pragma once
// The action palette of a CT-VAE's causal transition: one button per action, laid out as a factor x
// {+, −} grid when the card's action names follow the paper's convention (A = 2F, action f =
// "<factor f>+", action F + f = "<factor f>-"), else in reading order. A click asks for the action
// applied `repeat` times (the repeat box: a trajectory, as apply_action.ipynb's five steps); Reset asks
// to go back to the encoded codes.
#include <QStringList>
#include <QVector>
#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class VqActionPalette : public QWidget {
    Q_OBJECT
public:
    explicit VqActionPalette(QWidget* parent);

    // No actions: a note that the model has no transition.
    void setActions(const QStringList& names);
    int actionCount() const { return static_cast<int>(mButtons.size()); }
    bool isFactorGrid() const { return mFactorGrid; }
    QPushButton* button(int action) const { return mButtons.value(action); }
    // The grid cell of an action's button (row, column), or (-1, -1).
    QPair<int, int> buttonCell(int action) const;
    QSpinBox* repeatBox() const { return mRepeat; }
    QPushButton* resetButton() const { return mReset; }
    void setResetEnabled(bool enabled);

    // True when the names are "<f>+" for f < F and "<f>-" for F + f, F = A / 2.
    static bool followsConvention(const QStringList& names);

Q_SIGNALS:
    void actionRequested(int action, int times);
    void resetRequested();

private:
    QGridLayout* mGrid = nullptr;
    QVector<QPushButton*> mButtons;
    QVector<QWidget*> mGridWidgets; // buttons and headers, rebuilt by setActions
    QSpinBox* mRepeat = nullptr;
    QPushButton* mReset = nullptr;
    QLabel* mNote = nullptr;
    bool mFactorGrid = false;
};

} // namespace lx::ui
