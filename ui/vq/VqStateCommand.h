#pragma once
// One undoable edit of the Codes tab (image x, code edits, actions, image y): a SnapshotCommand of
// VqViewState applied by VqView, on the window's undo stack beside the workbench's and the CGN mixer's.
#include "ui/widgets/SnapshotCommand.h"
#include "ui/vq/VqTypes.h"

namespace lx::ui {

using VqStateCommand = SnapshotCommand<VqViewState>;
constexpr int kVqSourceEditId = 0x4c5b; // consecutive edits of one factor of x fold into one step
constexpr int kVqTargetEditId = 0x4c5c; // the same for y
constexpr int kVqCodeEditId = 0x4c5d; // consecutive code changes of one cell

} // namespace lx::ui
