#pragma once
// What one undo step restores in the hybrid workbench: the layer, the selected channels, the two seeds
// and the layer's interventions. MainWindow keeps the current one and applies a state to its panels;
// StateCommand holds the states before and after an edit (QUndoStack).
#include "lx/LayerEdit.h"

#include <QImage>
#include <QString>
#include <QVector>

namespace lx::ui {

struct WorkbenchState {
    int layer = -1;
    QVector<int> channels; // ascending
    quint64 seed1 = 1;
    quint64 seed2 = 2;
    int class1 = -1; // class-conditional models: z1's and z2's class (-1: none)
    int class2 = -1;
    bool classFromDonor = false; // the layers after the cut take z2's class
    lx::LayerEdit edit;
};

bool sameIntervention(const lx::Intervention& a, const lx::Intervention& b);
bool sameEdit(const lx::LayerEdit& a, const lx::LayerEdit& b);
bool operator==(const WorkbenchState& a, const WorkbenchState& b);
inline bool operator!=(const WorkbenchState& a, const WorkbenchState& b) { return !(a == b); }

// "scale ×1.50 on 12 channels", "ablate 3 channels", "copy from z2 on 1 channel" (+ " · masked").
QString describeIntervention(const lx::Intervention& intervention);
// The number of enabled interventions that act on at least one channel.
int activeInterventions(const lx::LayerEdit& edit);
// An intervention's spatial mask as a Grayscale8 image (null: none, it acts everywhere), and back
// (a null image removes the mask; values are v / 255).
QImage maskImage(const lx::Intervention& intervention);
void setInterventionMask(lx::Intervention& intervention, const QImage& mask);

} // namespace lx::ui
