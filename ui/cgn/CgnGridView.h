#pragma once
// The CGN mixer's "Counterfactual grid" page: rows x cols spin boxes, the grid's seed with "New draw",
// and the canvas (CgnGridCanvas): the shape mechanism of the mixer stays fixed (one mask) while every
// cell draws its own texture and background. Emits `edited` for the user's changes; setSettings does not.
#include "ui/cgn/CgnTypes.h"

#include <QRandomGenerator>
#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class CgnGridCanvas;

class CgnGridView : public QWidget {
    Q_OBJECT
public:
    explicit CgnGridView(QWidget* parent);

    void setSettings(int rows, int cols, quint64 seed);
    int rows() const;
    int cols() const;
    quint64 seed() const;
    void setHeading(const QString& text);

    QSpinBox* rowsBox() const { return mRows; }
    QSpinBox* colsBox() const { return mCols; }
    QSpinBox* seedBox() const { return mSeed; }
    QPushButton* drawButton() const { return mDraw; }
    CgnGridCanvas* canvas() const { return mCanvas; }
    QString headingText() const;

Q_SIGNALS:
    void edited();

private:
    QSpinBox* mRows = nullptr;
    QSpinBox* mCols = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mDraw = nullptr;
    QLabel* mHeading = nullptr;
    CgnGridCanvas* mCanvas = nullptr;
    QRandomGenerator mRandom;
    bool mSetting = false;
};

} // namespace lx::ui
