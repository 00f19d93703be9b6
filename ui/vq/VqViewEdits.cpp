// VqView's edits (each one undo step on the window's stack), the random pair and "Evaluate", and its
// session settings.
#include "ui/vq/VqView.h"

#include "lx/Error.h"
#include "ui/compute/ComputeController.h"
#include "ui/compute/ErrorText.h"
#include "ui/compute/TaskBar.h"
#include "ui/vq/VqCodeGrid.h"
#include "ui/vq/VqEvaluatePanel.h"
#include "ui/vq/VqRetrievalPanel.h"
#include "ui/vq/VqStateCommand.h"
#include "ui/vq/VqTasks.h"

#include <QComboBox>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTabWidget>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lx::ui {
namespace {

const char* const kPageNames[] = {"adjacency", "retrieval", "evaluate"};

} // namespace

// --- edits ---------------------------------------------------------------------------------------

void VqView::applyAction(int action, int times)
{
    if (!isOpen() || action < 0 || action >= mInfo.actions.size() || times < 1)
        return;
    VqViewState after = mState;
    for (int k = 0; k < times; ++k)
        after.ops << VqOp::apply(action);
    setAdjacencyAction(action); // the graph of the action just applied
    commit(times > 1 ? tr("Apply %1 ×%2").arg(mInfo.actionName(action)).arg(times)
                     : tr("Apply %1").arg(mInfo.actionName(action)),
           after);
}

void VqView::setCode(int node, int code)
{
    if (!isOpen() || node < 0 || node >= mInfo.nodes() || code < 0 || code >= mInfo.codebookSize)
        return;
    VqViewState after = mState;
    const bool sameCell =
        !after.ops.isEmpty() && after.ops.last().kind == VqOp::Kind::SetCode && after.ops.last().node == node;
    if (sameCell) {
        after.ops.last().code = code;
    } else {
        // Nothing to do when the shown codes already have it.
        if (mLastFrame.state == mState && mLastFrame.codes.value(node, -1) == code)
            return;
        after.ops << VqOp::setCode(node, code);
    }
    if (mSelected != node)
        selectNode(node);
    commit(tr("Set %1 to code %2").arg(mInfo.nodeName(node)).arg(code), after, kVqCodeEditId, quint64(node));
}

void VqView::resetCodes()
{
    VqViewState after = mState;
    after.ops.clear();
    commit(tr("Reset to the encoded codes"), after);
}

bool VqView::randomPair(quint64 seed)
{
    if (!retrievalUsable())
        return false;
    lx::VqPairSet pairs;
    try {
        pairs = lx::VqPairs::generate(*mInfo.dataset, 1, seed);
    } catch (const lx::Error& e) {
        Q_EMIT message(errorText(e));
        return false;
    }
    VqViewState after = mState;
    after.source = pairs.base.front();
    after.target = pairs.stepped.front();
    after.ops.clear();
    {
        const QSignalBlocker block(mRetrieval->pairSeedBox());
        mRetrieval->pairSeedBox()->setValue(
            static_cast<int>(std::min<quint64>(seed + 1, quint64(mRetrieval->pairSeedBox()->maximum()))));
    }
    commit(tr("Random pair (seed %1): %2").arg(seed).arg(mInfo.actionName(pairs.actions.front())), after);
    return true;
}

quint64 VqView::evaluate(qint64 pairs, quint64 seed)
{
    TaskBar* tasks = mEvaluate->taskBar();
    if (!retrievalUsable() || tasks->isRunning() || pairs < 1)
        return 0;
    TaskHandle* task =
        tasks->start(Task::modelFree(tr("Evaluate action retrieval"), VqTasks::evaluate(mInfo, pairs, seed)),
                     [this](const QVariant& value) {
                         mLastEvaluation = value.value<VqEvaluationResult>();
                         mEvaluate->showResult(mLastEvaluation, mInfo);
                         const lx::VqEvaluation& e = mLastEvaluation.evaluation;
                         const QString text = tr("Action retrieval on %1 pairs: action accuracy %2, factor "
                                                 "accuracy %3")
                                                  .arg(e.pairs)
                                                  .arg(e.actionAccuracy, 0, 'f', 3)
                                                  .arg(e.factorAccuracy, 0, 'f', 3);
                         spdlog::info("{}", text.toStdString());
                         Q_EMIT message(text);
                     });
    if (!task)
        return 0;
    connect(task, &TaskHandle::failed, this,
            [this](const QString& error) { Q_EMIT errorOccurred(tr("Cannot evaluate action retrieval"), error); });
    return task->id();
}

void VqView::selectNode(int node)
{
    mSelected = node >= 0 && node < mInfo.nodes() ? node : -1;
    mGrid->setSelected(mSelected);
    updateCodeEditor();
}

void VqView::setAdjacencyAction(int action)
{
    const int index = mAdjacencyBox->findData(action);
    if (index >= 0)
        mAdjacencyBox->setCurrentIndex(index); // posts the adjacency when it changes
}

int VqView::adjacencyAction() const
{
    return mAdjacencyBox->currentIndex() >= 0 ? mAdjacencyBox->currentData().toInt() : lx::VqModel::kIdentity;
}

VqView::Page VqView::page() const { return Page(std::max(0, mPages->currentIndex())); }

void VqView::showPage(Page page) { mPages->setCurrentIndex(int(page)); }

// --- sessions ----------------------------------------------------------------------------------------

QJsonObject VqView::sessionJson() const
{
    QJsonObject json = mState.toJson();
    json.insert(QStringLiteral("adjacency_action"), adjacencyAction());
    json.insert(QStringLiteral("pair_seed"), mRetrieval->pairSeedBox()->value());
    json.insert(QStringLiteral("eval_pairs"), mEvaluate->pairsBox()->value());
    json.insert(QStringLiteral("eval_seed"), mEvaluate->seedBox()->value());
    json.insert(QStringLiteral("page"), QLatin1String(kPageNames[int(page())]));
    json.insert(QStringLiteral("selected"), mSelected);
    return json;
}

void VqView::restoreSessionJson(const QJsonObject& json)
{
    if (!isOpen())
        return;
    const qint64 count = mInfo.dataset ? mInfo.dataset->size() : 0;
    restoreState(VqViewState::fromJson(json, count, mInfo.nodes(), mInfo.codebookSize, int(mInfo.actions.size()),
                                       defaultState()));
    setAdjacencyAction(json.value(QStringLiteral("adjacency_action")).toInt(adjacencyAction()));
    mRetrieval->pairSeedBox()->setValue(
        json.value(QStringLiteral("pair_seed")).toInt(mRetrieval->pairSeedBox()->value()));
    mEvaluate->pairsBox()->setValue(json.value(QStringLiteral("eval_pairs")).toInt(mEvaluate->pairsBox()->value()));
    mEvaluate->seedBox()->setValue(json.value(QStringLiteral("eval_seed")).toInt(mEvaluate->seedBox()->value()));
    const QString name = json.value(QStringLiteral("page")).toString();
    for (int p = 0; p < 3; ++p) {
        if (name == QLatin1String(kPageNames[p]))
            showPage(Page(p));
    }
    selectNode(json.value(QStringLiteral("selected")).toInt(-1));
}

} // namespace lx::ui
