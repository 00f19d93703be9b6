#pragma once
// Immutable values that cross the thread boundary between the UI and the ComputeWorker. They are
// registered with Qt's meta-type system (registerWorkerTypes) so queued signals can carry them.
#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include "lx/LayerEdit.h"
#include "lx/ModuleDiscovery.h"
#include "lx/Progress.h"

#include <functional>
#include <memory>

namespace lx {
class Model;
} // namespace lx

class QElapsedTimer;

namespace lx::ui {

// Milliseconds on `timer`, for the timings tasks report.
double elapsedMs(const QElapsedTimer& timer);

// One interactive hybrid request: the layer, the channels taken from z2, and the two latent seeds.
// Layer -1 asks for x(z1) and x(z2) only (for models without layers); the frame's hybrid is null.
// `modelGeneration` names the model the request was made for (ModelSummary::generation); the worker
// drops requests made for another model. 0 means "whatever model is loaded".
// `edit` (interventions): when it is not the identity, the hybrid is x(z1) with the edit applied
// at the layer (HybridEngine::intervene) and `channels` are not swapped; otherwise the hybrid takes
// `channels` from z2 (a copy-donor of those channels).
struct HybridRequest {
    quint64 seq = 0;
    int layer = 0;
    QVector<int> channels;
    lx::LayerEdit edit;
    quint64 seed1 = 0;
    quint64 seed2 = 0;
    int class1 = -1; // class-conditional models: the classes of z1 and z2
    int class2 = -1;
    bool classFromDonor = false; // the layers after the cut take z2's class
    quint64 modelGeneration = 0;
};

// The answer to a HybridRequest: x(z1), the hybrid and x(z2) as display images, plus per-channel
// thumbnails of the layer's activations for z1 (at most ComputeWorker::kMaxThumbnails).
struct HybridFrame {
    quint64 seq = 0;
    QImage x1;
    QImage hybrid;
    QImage x2;
    QVector<QImage> channelThumbnails;
    int layer = 0;
    qint64 channelCount = 0; // channels of the layer
    int selectedCount = 0; // channels taken from z2
    int interventionCount = 0; // enabled interventions applied (0: a plain channel swap)
    quint64 seed1 = 0;
    quint64 seed2 = 0;
    int class1 = -1; // the classes used (class-conditional models), else -1
    int class2 = -1;
    double computeMs = 0.0; // latents + prefix (when not cached) + hybrid suffix
    bool prefixCached = false; // the activations before the layer were reused
    quint64 modelGeneration = 0;
};

// What the UI needs to know about a freshly loaded model.
struct ModelSummary {
    QString path;
    QString name;
    QString description;
    QString kind;
    QString device;
    QVector<qint64> latentShape;
    QVector<qint64> outputShape;
    double outputLow = -1.0;
    double outputHigh = 1.0;
    QStringList layerNames;
    QStringList layerTypes;
    QVector<QVector<qint64>> layerShapes;
    QString discoveryNote;
    QString discoveryDetails; // why module calls are not layers, one per line (the note's tooltip)
    QStringList classNames; // class_input's classes of a class-conditional model (empty: none)
    bool classOneHot = false; // its encoding is "onehot" (it takes class mixtures)
    quint64 generation = 0; // increases with every successful load

    int layerCount() const { return static_cast<int>(layerNames.size()); }
    // A sensible layer to start with: the middle of the generating path.
    int defaultLayer() const { return layerNames.isEmpty() ? -1 : (layerCount() - 1) / 2; }
};

// --- Batch jobs ----------------------------------------------------------------------------------
// Long computations run as jobs on the worker, one after another and between interactive requests.
// Each job carries a cancel token shared with ComputeController::cancelJob (an atomic flag, safe to
// set from the UI thread); the worker then stops at the next check and emits jobCancelled.

// Elementary influence maps of every channel of `layer` (Besserve et al.), over `pairs` latent
// pairs drawn from seeds firstSeed .. firstSeed + 2*pairs - 1 (pair i = (z[i], z[pairs + i])).
struct InfluenceJob {
    int layer = 0;
    int pairs = 64;
    quint64 firstSeed = 0;
    quint64 modelGeneration = 0; // the model the job was made for (0: whatever is loaded)
};

struct InfluenceResult {
    quint64 id = 0;
    QString modelPath;
    quint64 modelGeneration = 0;
    int layer = 0;
    int pairs = 0;
    quint64 firstSeed = 0;
    QVector<float> maps; // [channels, height, width], row-major; flat outputs: height 1
    QVector<double> totals; // per channel: sum of its map over the pixels
    int channels = 0;
    int height = 0;
    int width = 0;
    double computeMs = 0.0;
    // Maps opened from a file (InfluencePanel::openMaps) rather than computed: the file's absolute path
    // and the shards its provenance says they were merged from (0: not recorded). Their pairs are the
    // provenance's `items` (0: unknown) and firstSeed means nothing: the file's latents were not seeds.
    // Empty for computed maps, so opened maps never stand in for a computation (InfluenceCache).
    QString sourcePath;
    int sourceShards = 0;

    bool isEmpty() const { return channels == 0; }
    bool isOpened() const { return !sourcePath.isEmpty(); }
    qint64 plane() const { return qint64(height) * width; }
    const float* map(int channel) const { return maps.constData() + channel * plane(); }
};

using ModuleMethod = lx::ModuleMethod;

// Module discovery on a set of influence maps: optional smoothing (sigma pixels, 0 = off) and
// per-map quantile threshold (0 = off), then NMF of rank k or k-means with k clusters.
struct ModulesJob {
    ModuleMethod method = ModuleMethod::Nmf;
    int k = 3;
    quint64 seed = 0;
    double sigma = 1.0;
    double threshold = 0.0;
    QVector<float> maps; // [channels, height, width] as in InfluenceResult
    int channels = 0;
    int height = 0;
    int width = 0;
};

struct ModulesResult {
    quint64 id = 0;
    ModuleMethod method = ModuleMethod::Nmf;
    int k = 0;
    quint64 seed = 0;
    double sigma = 0.0;
    double threshold = 0.0;
    QVector<int> assignment; // module of each channel
    QVector<float> templates; // [k, height * width]: rows of H (NMF) or the centroids (k-means)
    QVector<float> moduleMaps; // [k, height * width]: mean of the member channels' (raw) EIMs
    int height = 0;
    int width = 0;
    double error = 0.0; // NMF: relative error ||S - WH|| / ||S||; k-means: inertia
    int iterations = 0;
    double computeMs = 0.0;

    QVector<int> members(int module) const; // channels of a module, ascending
};

QString methodName(ModuleMethod method);

// --- Generic tasks -------------------------------------------------------------------------------
// Any computation on the loaded model, run on the worker thread: the body gets the model, a progress
// function (throttled to ~20 calls a second by the worker) and a cancel token it must poll (throw
// lx::Cancelled when it is set). It returns its result as a QVariant: a value of a type declared with
// Q_DECLARE_METATYPE, built from core results on the worker thread (QImage is fine there). Batch
// tasks run in order (ComputeController::startTask); "latest" tasks coalesce per key, the newest
// wins (ComputeController::postLatest), for views that follow a slider.
using TaskBody =
    std::function<QVariant(lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel)>;

// A model-free task (ComputeController::startFreeTask / postLatestFree): the same, without the loaded
// lx::Model. It runs on the worker thread whether or not a model is loaded; work that owns its own model
// (a CGN's lx::CgnModel, kept alive by a std::shared_ptr the body captures) uses it so that model too is
// only touched on the worker thread.
using FreeTaskBody = std::function<QVariant(const lx::ProgressFn& progress, const lx::CancelToken& cancel)>;

struct TaskRequest {
    quint64 id = 0; // job id (batch) or sequence number (latest)
    QString what; // for logs and error messages, e.g. "response matrix"
    QString key; // latest tasks: the coalescing key; empty for batch tasks
    TaskBody body;
    FreeTaskBody freeBody; // set for model-free tasks (then `body` and modelGeneration are unused)
    quint64 modelGeneration = 0; // the model it was made for (0: whatever is loaded)
    std::shared_ptr<lx::CancelToken> cancel;
}; // "NMF", "k-means"

// "[64, 16, 16]"
QString shapeText(const QVector<qint64>& shape);

// Registers the types above for queued connections. Idempotent; call before connecting.
void registerWorkerTypes();

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::HybridRequest)
Q_DECLARE_METATYPE(lx::ui::HybridFrame)
Q_DECLARE_METATYPE(lx::ui::ModelSummary)
Q_DECLARE_METATYPE(lx::ui::InfluenceResult)
Q_DECLARE_METATYPE(lx::ui::ModulesResult)
Q_DECLARE_METATYPE(lx::ui::TaskRequest)
