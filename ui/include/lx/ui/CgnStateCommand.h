#pragma once
// One undoable edit of the CGN mixer (classes, mixes, seeds, grid settings): the mixer states before and
// after it and the function that puts a state on screen (CgnMixerView). It goes on the window's undo
// stack beside the workbench's StateCommand. Commands with the same merge id and key fold into one (one
// drag of a mix slider is one undo step); folded back to where it started, the step becomes obsolete.
#include "lx/ui/CgnTypes.h"

#include <QUndoCommand>

#include <functional>

namespace lx::ui {

class CgnStateCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const CgnMixerState&)>;
    static constexpr int kMixDragId = 0x4c5a;

    // `mergeId` < 0: never merges.
    CgnStateCommand(const QString& text, CgnMixerState before, CgnMixerState after, Apply apply, int mergeId = -1,
                    quint64 mergeKey = 0);

    void undo() override { mApply(mBefore); }
    void redo() override { mApply(mAfter); }
    int id() const override { return mMergeId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    CgnMixerState mBefore;
    CgnMixerState mAfter;
    Apply mApply;
    int mMergeId;
    quint64 mMergeKey;
};

} // namespace lx::ui
