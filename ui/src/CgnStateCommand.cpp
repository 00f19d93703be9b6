#include "lx/ui/CgnStateCommand.h"

#include <utility>

namespace lx::ui {

CgnStateCommand::CgnStateCommand(const QString& text, CgnMixerState before, CgnMixerState after, Apply apply,
                                 int mergeId, quint64 mergeKey)
    : QUndoCommand(text)
    , mBefore(std::move(before))
    , mAfter(std::move(after))
    , mApply(std::move(apply))
    , mMergeId(mergeId)
    , mMergeKey(mergeKey)
{
}

bool CgnStateCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const CgnStateCommand*>(other);
    if (!next || mMergeId < 0 || next->mMergeId != mMergeId || next->mMergeKey != mMergeKey)
        return false;
    mAfter = next->mAfter;
    setObsolete(mAfter == mBefore);
    return true;
}

} // namespace lx::ui
