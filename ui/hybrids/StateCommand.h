#pragma once
// One undoable edit of the hybrid workbench (layer, channels, seeds, interventions): a SnapshotCommand of
// WorkbenchState applied by MainWindow::applyState.
#include "ui/widgets/SnapshotCommand.h"
#include "ui/hybrids/WorkbenchState.h"

namespace lx::ui {

using StateCommand = SnapshotCommand<WorkbenchState>;
constexpr int kValueDragId = 0x4c58; // merge id of intervention value edits (one drag = one undo step)

} // namespace lx::ui
