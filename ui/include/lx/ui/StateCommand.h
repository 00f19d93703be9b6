#pragma once
// One undoable edit of the workbench: the states before and after it, and the function that puts a state
// on screen (MainWindow::applyState). Commands with the same merge id and key fold into one (a slider drag
// on one intervention is a single undo step); an edit folded back to where it started becomes obsolete.
#include "lx/ui/WorkbenchState.h"

#include <QUndoCommand>

#include <functional>

namespace lx::ui {

class StateCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const WorkbenchState&)>;
    static constexpr int kValueDragId = 0x4c58;   // merge id of intervention value edits

    // `mergeId` < 0: never merges. Commands merge when both id and `mergeKey` match.
    StateCommand(const QString& text, WorkbenchState before, WorkbenchState after, Apply apply,
                 int mergeId = -1, quint64 mergeKey = 0);

    void undo() override;
    void redo() override;
    int id() const override { return mMergeId; }
    bool mergeWith(const QUndoCommand* other) override;

    const WorkbenchState& before() const { return mBefore; }
    const WorkbenchState& after() const { return mAfter; }

private:
    WorkbenchState mBefore;
    WorkbenchState mAfter;
    Apply mApply;
    int mMergeId;
    quint64 mMergeKey;
};

} // namespace lx::ui
