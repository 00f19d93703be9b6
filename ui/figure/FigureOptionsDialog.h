#pragma once
// "Figure Options…": the look of exported figures (FigureStyle): tile size, font family and size, PNG
// resolution, title, seed labels and coloured marks.
#include "lx/FigureSpec.h"

#include <QDialog>

class QCheckBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLineEdit;
class QSpinBox;

namespace lx::ui {

class FigureOptionsDialog : public QDialog {
    Q_OBJECT
public:
    FigureOptionsDialog(const lx::FigureStyle& style, const QString& defaultTitle, QWidget* parent);
    lx::FigureStyle style() const;

private:
    QDoubleSpinBox* mTileMm = nullptr;
    QFontComboBox* mFont = nullptr;
    QDoubleSpinBox* mFontPt = nullptr;
    QSpinBox* mDpi = nullptr;
    QLineEdit* mTitle = nullptr;
    QCheckBox* mShowTitle = nullptr;
    QCheckBox* mShowSeeds = nullptr;
    QCheckBox* mShowBands = nullptr;
};

} // namespace lx::ui
