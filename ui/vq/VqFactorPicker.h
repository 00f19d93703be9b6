#pragma once
// Picks one image of a dataset with known factors (lx::FactorDataset): a spin box per factor (named,
// with its range) and the flat index they make (mixed radix, last factor fastest), kept in step. Without
// a dataset it offers a seed instead (the Codes tab then decodes random codes). Only user edits emit
// indexEdited; setIndex is silent.
#include <QVector>
#include <QWidget>

class QFormLayout;
class QLabel;
class QSpinBox;

namespace lx {
class FactorDataset;
}

namespace lx::ui {

class VqFactorPicker : public QWidget {
    Q_OBJECT
public:
    explicit VqFactorPicker(QWidget* parent);

    // The dataset (not owned; it must outlive its use here, null: a seed box) and the note shown
    // without one.
    void setDataset(const lx::FactorDataset* dataset, const QString& note = QString());
    bool hasDataset() const { return mSizes.size() > 0; }

    void setIndex(qint64 index);
    qint64 index() const { return mIndex; }
    qint64 count() const; // images (0: no dataset, any seed)

    int factorCount() const { return static_cast<int>(mFactorBoxes.size()); }
    QSpinBox* factorBox(int factor) const { return mFactorBoxes.value(factor); }
    QSpinBox* indexBox() const { return mIndexBox; }
    QVector<qint64> factors() const;

Q_SIGNALS:
    // A user edit: the new flat index, and the factor whose box changed (-1: the flat index box).
    void indexEdited(qint64 index, int factor);

private:
    void onFactorChanged(int factor);
    void onIndexChanged();
    void showIndex();

    QFormLayout* mForm = nullptr;
    QVector<QSpinBox*> mFactorBoxes;
    QVector<qint64> mSizes;
    QSpinBox* mIndexBox = nullptr;
    QLabel* mNote = nullptr;
    qint64 mIndex = 0;
    bool mSetting = false;
};

} // namespace lx::ui
