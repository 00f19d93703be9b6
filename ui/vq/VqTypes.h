#pragma once
// Values of the "Codes (CT-VAE)" tab (Gendron, Witbrock & Dobbie, IJCAI 2023; kind "vqvae",
// /work/notes/vq_contract.md): what the view shows (its state, which is also an undo step and the
// session's "vq" view settings) and what the compute worker hands back inside the QVariant of
// TaskHandle::finished. Built on the worker thread by VqTasks from lx::VqModel
// results.
#include "lx/Array.h"
#include "lx/FactorDataset.h"
#include "lx/VqModel.h"
#include "lx/VqPairs.h"
#include "ui/compute/WorkerTypes.h"

#include <QImage>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace lx::ui {

// One step from the encoded codes: a manual hard intervention (the code of one node set) or one
// application of an action of the causal transition.
struct VqOp {
    enum class Kind { SetCode, Apply };
    Kind kind = Kind::Apply;
    int node = 0; // SetCode: row-major over [B, h, w]
    int code = 0; // SetCode: in [0, K)
    int action = 0; // Apply: in [0, A)

    static VqOp setCode(int node, int code) { return {Kind::SetCode, node, code, 0}; }
    static VqOp apply(int action) { return {Kind::Apply, 0, 0, action}; }
};
bool operator==(const VqOp& a, const VqOp& b);
inline bool operator!=(const VqOp& a, const VqOp& b) { return !(a == b); }

// What the tab shows: the image x (a flat index of the dataset; without a dataset, the seed of random
// codes whose decoding is x), the steps applied to its codes, and the image y of action retrieval.
struct VqViewState {
    qint64 source = 0;
    QVector<VqOp> ops;
    qint64 target = 0;

    QJsonObject toJson() const;
    // Reads the keys of toJson() over `base`; sources beyond `sourceCount` (> 0), nodes beyond `nodes`,
    // codes beyond `codes` and actions beyond `actions` are dropped or clamped.
    static VqViewState fromJson(const QJsonObject& json, qint64 sourceCount, int nodes, int codes, int actions,
                                const VqViewState& base);
};
bool operator==(const VqViewState& a, const VqViewState& b);
inline bool operator!=(const VqViewState& a, const VqViewState& b) { return !(a == b); }

// The open VQ-VAE: the model (used on the worker thread only: every task body captures this pointer),
// the dataset its images come from (may be null) and what the tab needs to know about both.
struct VqModelInfo {
    std::shared_ptr<lx::VqModel> model;
    std::shared_ptr<const lx::FactorDataset> dataset; // the card's (or lx-shapes for [1, 64, 64]); null: none
    QString path;
    QString name;
    QString description;
    QString device;
    QVector<qint64> imageShape; // [C, H, W]
    int codebooks = 1; // B
    int rows = 1; // h
    int cols = 1; // w
    int codebookSize = 0; // K
    QStringList actions; // A names (empty: no transition)
    int factorCount = 0; // F (VqModel::factorCount)
    double outputLow = 0.0;
    double outputHigh = 1.0;
    QString datasetNote; // why there is no dataset, or why retrieval cannot use it
    bool pairsUsable = false; // the dataset's factors are the actions' (A = 2F, names in order)

    int nodes() const { return codebooks * rows * cols; }
    bool hasTransition() const { return !actions.isEmpty(); }
    // For the Model panel and session documents: kind "vqvae", no layers.
    ModelSummary summary() const;
    // "codebook b, row i, column j" of a node.
    QString nodeName(int node) const;
    // An action's name, "identity" for lx::VqModel::kIdentity.
    QString actionName(int action) const;
};

// The codes and images of one VqViewState.
struct VqFrame {
    VqViewState state;
    QImage original; // x
    QImage reconstruction; // decode(encode(x))
    QImage current; // decode(codes after the steps)
    QVector<int> encoded; // encode(x), [B * h * w] row-major
    QVector<int> codes; // after all steps
    QVector<int> lastChanged; // nodes the last step changed (an action: its application(s) at the end)
    QString lastStep; // what the last step was ("shape+ ×5", "code of ... set to 3"), empty: none
    QVector<QImage> trajectory; // the start, then the codes after each action application (the newest ones)
    QStringList trajectoryCaptions;
    int trajectorySteps = 0; // action applications in all (the strip may leave the oldest out)
    lx::Array x; // [1, C, H, W] model units
    lx::Array encodedArray; // [1, B, h, w]
    lx::Array codesArray; // [1, B, h, w]
    lx::Array decoded; // [1, C, H, W]: decode(codes)
    lx::Array trajectoryArray; // [1, S + 1, B, h, w]: the codes of the trajectory strip
    double computeMs = 0.0;
};

// The learned adjacency of one action (lx::VqModel::kIdentity: the no-intervention graph), [M, M].
struct VqAdjacencyData {
    int action = 0;
    int nodes = 0;
    QVector<float> values; // row-major: [i, j] = edge from node j into node i
};

// Action retrieval between x and y (p(a | x, y) over the A actions).
struct VqRetrievalData {
    qint64 source = 0;
    qint64 target = 0;
    QVector<double> p; // [A]
    int predicted = -1;
    int trueAction = -1; // the action that steps x to y, -1: y is not one step from x
    QImage y;
};

// "Evaluate": lx::VqPairs::evaluate on `pairs` pairs from `seed`.
struct VqEvaluationResult {
    qint64 pairs = 0;
    quint64 seed = 0;
    lx::VqEvaluation evaluation;
    double seconds = 0.0;
};

void registerVqTypes(); // idempotent

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::VqModelInfo)
Q_DECLARE_METATYPE(lx::ui::VqFrame)
Q_DECLARE_METATYPE(lx::ui::VqAdjacencyData)
Q_DECLARE_METATYPE(lx::ui::VqRetrievalData)
Q_DECLARE_METATYPE(lx::ui::VqEvaluationResult)
