#pragma once
// The core computations behind the "Latent responses" workbench (Leeb et al., NeurIPS 2022), as task
// bodies for Task::onModel (batch or latest). Each body runs on the worker thread with the
// loaded model, builds an lx::ResponseEngine (cheap) and returns a ResponseTypes value in a QVariant.
// The compute* functions are the same computations without the QVariant, for tests.
//
// Samples of the aggregate posterior are posterior means of data images: random images of the card's
// dataset (in [0, 1], mapped onto the card's output_range) or rows of a user's .npy (raw model units).
// Without data, the intervention values fall back to the prior and the result says so in its note.
#include "ui/compute/Task.h"
#include "lx/Array.h"
#include "lx/Progress.h"
#include "ui/responses/ResponseTypes.h"
#include "ui/compute/WorkerTypes.h"

namespace lx {
class Model;
}

namespace lx::ui {

class ResponseTasks {
public:
    static constexpr int kMinHistogramPoints = 1024; // posterior samples behind a map's histogram
    static constexpr int kMaxSamples = 1 << 16;

    // Task bodies (inputs captured by value).
    static TaskBody modelInfoTask();
    static TaskBody matrixTask(ResponseDataSource source);
    static TaskBody conditionedTask(int traversals, int batch, quint64 seed);
    static TaskBody mapTask(ResponseMapRequest request, ResponseDataSource source);
    static TaskBody probeTask(QVector<float> z);
    // `matrixDiagonal` (may be empty): sort the strips by it instead of the sweep's own diagonal.
    static TaskBody traversalTask(QVector<float> z, double radius, int steps, QVector<float> matrixDiagonal);
    static TaskBody iterateTask(QVector<float> z, int steps);

    // The computations (worker thread). All throw lx::Error for bad input, lx::Cancelled when cancelled.
    static ResponseModelInfo modelInfo(lx::Model& model);
    static ResponseMatrixResult computeMatrix(lx::Model& model, const ResponseDataSource& source,
                                              const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    static ConditionedMatrixResult computeConditioned(lx::Model& model, int traversals, int batch, quint64 seed,
                                                      const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    static ResponseMapData computeMap(lx::Model& model, const ResponseMapRequest& request,
                                      const ResponseDataSource& source, const lx::ProgressFn& progress,
                                      const lx::CancelToken* cancel);
    static LatentProbe probe(lx::Model& model, const QVector<float>& z);
    static TraversalStrips traversals(lx::Model& model, const QVector<float>& z, double radius, int steps,
                                      const QVector<float>& matrixDiagonal);
    static IteratedResponses iterate(lx::Model& model, const QVector<float>& z, int steps);

    // `count` posterior means [count, d] of the source's data (none: an empty array), and a line that
    // says where they came from.
    static lx::Array posteriorSamples(lx::Model& model, const ResponseDataSource& source, int count,
                                      const lx::CancelToken* cancel, QString* text);
    // The prior sample of `seed` that a response map uses as its base point: [d].
    static QVector<float> mapBase(lx::Model& model, quint64 seed);
};

} // namespace lx::ui
