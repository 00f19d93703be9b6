#include "lx/ui/StateCommand.h"

#include <utility>

namespace lx::ui {

StateCommand::StateCommand(const QString& text, WorkbenchState before, WorkbenchState after, Apply apply,
                           int mergeId, quint64 mergeKey)
    : QUndoCommand(text)
    , mBefore(std::move(before))
    , mAfter(std::move(after))
    , mApply(std::move(apply))
    , mMergeId(mergeId)
    , mMergeKey(mergeKey)
{
}

void StateCommand::undo()
{
    mApply(mBefore);
}

void StateCommand::redo()
{
    mApply(mAfter);
}

bool StateCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const StateCommand*>(other);
    if (!next || mMergeId < 0 || next->mMergeId != mMergeId || next->mMergeKey != mMergeKey)
        return false;
    mAfter = next->mAfter;
    setObsolete(mAfter == mBefore);
    return true;
}

} // namespace lx::ui
