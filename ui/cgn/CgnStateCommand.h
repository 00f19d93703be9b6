#pragma once
// One undoable edit of the CGN mixer (classes, mixes, seeds, grid settings): a SnapshotCommand of
// CgnMixerState applied by CgnMixerView, on the window's undo stack beside the workbench's StateCommand.
#include "ui/cgn/CgnTypes.h"
#include "ui/widgets/SnapshotCommand.h"

namespace lx::ui {

using CgnStateCommand = SnapshotCommand<CgnMixerState>;
constexpr int kMixDragId = 0x4c5a; // merge id of mix-slider drags

} // namespace lx::ui
