#include "ui/figure/FigureOptionsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace lx::ui {

FigureOptionsDialog::FigureOptionsDialog(const lx::FigureStyle& style, const QString& defaultTitle, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Figure Options"));
    auto* form = new QFormLayout(this);
    mTileMm = new QDoubleSpinBox(this);
    mTileMm->setRange(2, 100);
    mTileMm->setDecimals(1);
    mTileMm->setSuffix(tr(" mm"));
    mTileMm->setValue(style.tileMm);
    mTileMm->setToolTip(tr("Side of one image tile on the page (a 6 x 6 grid of 10 mm tiles fits a column)"));
    mFont = new QFontComboBox(this);
    mFont->setCurrentFont(QFont(QString::fromStdString(style.fontFamily)));
    mFontPt = new QDoubleSpinBox(this);
    mFontPt->setRange(3, 72);
    mFontPt->setDecimals(1);
    mFontPt->setSuffix(tr(" pt"));
    mFontPt->setValue(style.fontPt);
    mDpi = new QSpinBox(this);
    mDpi->setRange(36, 2400);
    mDpi->setSuffix(tr(" dpi"));
    mDpi->setValue(qRound(style.dpi));
    mDpi->setToolTip(tr("Resolution of PNG exports and the clipboard (PDF and SVG are vector)"));
    mTitle = new QLineEdit(QString::fromStdString(style.title), this);
    mTitle->setPlaceholderText(defaultTitle);
    mShowTitle = new QCheckBox(tr("Show the title"), this);
    mShowTitle->setChecked(style.showTitle);
    mShowSeeds = new QCheckBox(tr("Label rows and columns with their seeds"), this);
    mShowSeeds->setChecked(style.showSeeds);
    mShowBands = new QCheckBox(tr("Mark the donor row (orange) and original column (blue)"), this);
    mShowBands->setChecked(style.showBands);
    form->addRow(tr("Tile size"), mTileMm);
    form->addRow(tr("Font"), mFont);
    form->addRow(tr("Font size"), mFontPt);
    form->addRow(tr("PNG resolution"), mDpi);
    form->addRow(tr("Title"), mTitle);
    form->addRow(QString(), mShowTitle);
    form->addRow(QString(), mShowSeeds);
    form->addRow(QString(), mShowBands);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

lx::FigureStyle FigureOptionsDialog::style() const
{
    lx::FigureStyle s;
    s.tileMm = mTileMm->value();
    s.fontFamily = mFont->currentFont().family().toStdString();
    s.fontPt = mFontPt->value();
    s.dpi = mDpi->value();
    s.title = mTitle->text().trimmed().toStdString();
    s.showTitle = mShowTitle->isChecked();
    s.showSeeds = mShowSeeds->isChecked();
    s.showBands = mShowBands->isChecked();
    return s;
}

} // namespace lx::ui
