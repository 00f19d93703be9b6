#pragma once
// One undoable edit as two snapshots of a view's state (before, after) and the function that puts a
// state on screen. Commands with the same merge id and key fold into one (a slider drag is a single undo
// step); an edit folded back to where it started becomes obsolete. The hybrid workbench uses it with
// WorkbenchState (StateCommand.h), the CGN mixer with CgnMixerState (CgnStateCommand.h); both go on the
// window's one undo stack. State needs operator==.
#include <QUndoCommand>

#include <functional>
#include <utility>

namespace lx::ui {

template <typename State> class SnapshotCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const State&)>;

    // `mergeId` < 0: never merges. Commands merge when both id and `mergeKey` match.
    SnapshotCommand(const QString& text, State before, State after, Apply apply, int mergeId = -1, quint64 mergeKey = 0)
        : QUndoCommand(text)
        , mBefore(std::move(before))
        , mAfter(std::move(after))
        , mApply(std::move(apply))
        , mMergeId(mergeId)
        , mMergeKey(mergeKey)
    {
    }

    void undo() override { mApply(mBefore); }
    void redo() override { mApply(mAfter); }
    int id() const override { return mMergeId; }
    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* next = dynamic_cast<const SnapshotCommand*>(other);
        if (!next || mMergeId < 0 || next->mMergeId != mMergeId || next->mMergeKey != mMergeKey)
            return false;
        mAfter = next->mAfter;
        setObsolete(mAfter == mBefore);
        return true;
    }

    const State& before() const { return mBefore; }
    const State& after() const { return mAfter; }

private:
    State mBefore;
    State mAfter;
    Apply mApply;
    int mMergeId;
    quint64 mMergeKey;
};

} // namespace lx::ui
