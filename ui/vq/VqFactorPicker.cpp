#include "ui/vq/VqFactorPicker.h"

#include "lx/FactorDataset.h"

#include <QFormLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QSpinBox>

#include <algorithm>
#include <limits>

namespace lx::ui {

VqFactorPicker::VqFactorPicker(QWidget* parent)
    : QWidget(parent)
{
    mForm = new QFormLayout(this);
    mForm->setContentsMargins(0, 0, 0, 0);
    mForm->setVerticalSpacing(3);
    mForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    setDataset(nullptr);
}

void VqFactorPicker::setDataset(const lx::FactorDataset* dataset, const QString& note)
{
    const QScopedValueRollback<bool> setting(mSetting, true);
    while (mForm->rowCount() > 0)
        mForm->removeRow(0);
    mFactorBoxes.clear();
    mSizes.clear();
    mIndex = 0;
    mNote = nullptr;
    if (dataset) {
        for (int64_t s : dataset->factorSizes())
            mSizes << s;
        for (int f = 0; f < mSizes.size(); ++f) {
            auto* box = new QSpinBox(this);
            box->setRange(0, static_cast<int>(std::min<qint64>(mSizes[f] - 1, std::numeric_limits<int>::max())));
            box->setToolTip(tr("Value index of %1 (0 – %2)")
                                .arg(QString::fromStdString(dataset->factorNames()[size_t(f)]))
                                .arg(mSizes[f] - 1));
            box->setMinimumWidth(64);
            mForm->addRow(tr("%1 (%2)").arg(QString::fromStdString(dataset->factorNames()[size_t(f)])).arg(mSizes[f]),
                          box);
            connect(box, &QSpinBox::valueChanged, this, [this, f] { onFactorChanged(f); });
            mFactorBoxes << box;
        }
    }
    mIndexBox = new QSpinBox(this);
    mIndexBox->setMinimumWidth(90);
    if (dataset) {
        mIndexBox->setRange(0, static_cast<int>(std::min<qint64>(count() - 1, std::numeric_limits<int>::max())));
        mIndexBox->setToolTip(
            tr("Flat index into %1 (mixed radix, last factor fastest)").arg(QString::fromStdString(dataset->name())));
        mForm->addRow(tr("index"), mIndexBox);
    } else {
        mIndexBox->setRange(0, std::numeric_limits<int>::max());
        mIndexBox->setToolTip(tr("Seed of random codes: x is their decoding"));
        mForm->addRow(tr("seed"), mIndexBox);
        if (!note.isEmpty()) {
            mNote = new QLabel(tr("No dataset: %1. x decodes random codes.").arg(note), this);
            mNote->setWordWrap(true);
            mNote->setForegroundRole(QPalette::PlaceholderText);
            mForm->addRow(mNote);
        }
    }
    connect(mIndexBox, &QSpinBox::valueChanged, this, &VqFactorPicker::onIndexChanged);
}

qint64 VqFactorPicker::count() const
{
    qint64 n = mSizes.isEmpty() ? 0 : 1;
    for (qint64 s : mSizes)
        n *= s;
    return n;
}

QVector<qint64> VqFactorPicker::factors() const
{
    QVector<qint64> out(mSizes.size());
    qint64 rest = mIndex;
    for (int f = int(mSizes.size()) - 1; f >= 0; --f) {
        out[f] = rest % mSizes[f];
        rest /= mSizes[f];
    }
    return out;
}

void VqFactorPicker::setIndex(qint64 index)
{
    const qint64 n = count();
    mIndex = n > 0 ? std::clamp<qint64>(index, 0, n - 1) : std::max<qint64>(0, index);
    showIndex();
}

void VqFactorPicker::showIndex()
{
    const QScopedValueRollback<bool> setting(mSetting, true);
    const QVector<qint64> values = factors();
    for (int f = 0; f < mFactorBoxes.size(); ++f)
        mFactorBoxes[f]->setValue(static_cast<int>(values[f]));
    mIndexBox->setValue(static_cast<int>(std::min<qint64>(mIndex, std::numeric_limits<int>::max())));
}

void VqFactorPicker::onFactorChanged(int factor)
{
    if (mSetting)
        return;
    qint64 index = 0;
    for (int f = 0; f < mFactorBoxes.size(); ++f)
        index = index * mSizes[f] + mFactorBoxes[f]->value();
    mIndex = index;
    showIndex();
    Q_EMIT indexEdited(mIndex, factor);
}

void VqFactorPicker::onIndexChanged()
{
    if (mSetting)
        return;
    mIndex = mIndexBox->value();
    showIndex();
    Q_EMIT indexEdited(mIndex, -1);
}

} // namespace lx::ui
