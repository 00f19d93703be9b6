#pragma once
// Dock panel of the layer's interventions (GAN Dissection-style unit interventions): pick an
// operation (scale, set, offset, ablate, copy from z2) and a value (slider + spin box, a range fit for
// the operation), then "Add" makes an intervention of the channels selected in the channel panel. The
// list shows the layer's edit: each intervention with a checkbox (on/off) and a remove button. Selecting
// one makes the slider edit its value live.
//
// The panel does not change the edit itself: it asks (addRequested, removeRequested, enabledRequested,
// valueRequested), the window records the change as an undo step and shows the result with setEdit().
// Value edits carry a gesture number: one slider drag (press to release) keeps one number, so the window
// can fold a drag into a single undo step.
//
// Spatial mask (GAN Dissection's masked interventions): "Brush" (Mask row) turns the hybrid view into a brush
// (the window connects brushToggled to ImageView::setBrushEnabled and the view's strokes to
// maskPainted). A stroke edits the selected intervention's mask (maskRequested) or, with none selected,
// the mask the next "Add" takes. Core area-pools the image-resolution mask to the layer's H x W.
#include "lx/LayerEdit.h"

#include <QImage>
#include <QVector>
#include <QWidget>

class QAbstractButton;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace lx::ui {

class InterventionPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSliderSteps = 1000;

    explicit InterventionPanel(QWidget* parent);

    // Shows `edit` (after an add, remove, toggle, value change, undo or redo). Keeps the selected row
    // when it still exists; a longer list selects its new last row. Emits nothing.
    void setEdit(const lx::LayerEdit& edit);
    const lx::LayerEdit& edit() const { return mEdit; }
    // The channels "Add" acts on, and the layer they belong to (for the caption).
    void setSelection(const QString& layerName, const QVector<int>& channels);
    // Enables the panel when there is a layer to intervene on.
    void setAvailable(bool available);
    // Spatial layers ([C, H, W]) take a mask; flat layers ([F]) do not.
    void setSpatial(bool spatial);
    // A brush stroke ended on the hybrid view with this mask (image resolution, Grayscale8).
    void maskPainted(const QImage& mask);
    const QImage& pendingMask() const { return mPendingMask; }

    int currentIndex() const; // the selected intervention, -1 when none
    void setCurrentIndex(int index);
    lx::EditOp currentOp() const;
    double value() const;
    // Sets the operation for the next intervention (and the slider's range); clears the list selection
    // when it names another operation than the selected intervention's.
    void setOp(lx::EditOp op);
    void setValue(double value); // as if the user had typed it (edits the selected intervention)

    // The slider's range for an operation; {0, 0} when it takes no value (ablate, copy from z2).
    static std::pair<double, double> sliderRange(lx::EditOp op);
    static double defaultValue(lx::EditOp op);
    static bool takesValue(lx::EditOp op);

    QComboBox* opBox() const { return mOp; }
    QSlider* slider() const { return mSlider; }
    QDoubleSpinBox* valueBox() const { return mValue; }
    QPushButton* addButton() const { return mAdd; }
    QPushButton* clearButton() const { return mClear; }
    QListWidget* list() const { return mList; }
    QPushButton* brushButton() const { return mBrush; }
    QSpinBox* radiusBox() const { return mRadius; }
    QPushButton* clearMaskButton() const { return mClearMask; }
    QString maskText() const;
    QCheckBox* enabledBox(int row) const; // the row's on/off checkbox
    QAbstractButton* removeButton(int row) const; // the row's remove button
    QString rowText(int row) const;

Q_SIGNALS:
    void addRequested(const lx::Intervention& intervention);
    void removeRequested(int index);
    void enabledRequested(int index, bool enabled);
    void valueRequested(int index, double value, quint64 gesture);
    void clearRequested();
    void maskRequested(int index, const QImage& mask); // null image: no mask (everywhere)
    void brushToggled(bool on);
    void brushRadiusChanged(double radiusPx);
    void maskShown(const QImage& mask); // the mask the hybrid view should show (null: none)

private:
    void rebuildList();
    void updateRows();
    void onCurrentRowChanged();
    void onOpChanged();
    void onSliderMoved(int position);
    void onValueBoxChanged(double value);
    void valueEdited(double value);
    void syncValueWidgets(double value);
    void updateState();
    void showMask();
    int sliderPosition(double value) const;
    double sliderValue(int position) const;

    lx::LayerEdit mEdit;
    QVector<int> mSelected;
    QString mLayerName;
    bool mAvailable = false;
    quint64 mGesture = 1;
    double mPendingValue[5] = {}; // per operation: the value the next "Add" uses
    QImage mPendingMask; // the mask the next "Add" uses (null: everywhere)
    bool mSpatial = true;

    QLabel* mTarget = nullptr;
    QComboBox* mOp = nullptr;
    QSlider* mSlider = nullptr;
    QDoubleSpinBox* mValue = nullptr;
    QPushButton* mAdd = nullptr;
    QPushButton* mClear = nullptr;
    QListWidget* mList = nullptr;
    QLabel* mHint = nullptr;
    QPushButton* mBrush = nullptr;
    QSpinBox* mRadius = nullptr;
    QPushButton* mClearMask = nullptr;
    QLabel* mMaskInfo = nullptr;
};

} // namespace lx::ui
