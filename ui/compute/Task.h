#pragma once
// What a feature asks the compute worker to run (ComputeController::run returns its TaskHandle).
//
// The body is any computation on the loaded model (TaskBody) or one that needs none (FreeTaskBody); it
// runs on the worker thread, reports progress through the function it is given (throttled to ~20
// calls a second) and polls the cancel token (lx::throwIfCancelled). Its result is a QVariant holding
// a type declared with Q_DECLARE_METATYPE, built on the worker thread (QImage is fine there).
//
// A batch task (the default) waits in a queue and runs to its end unless cancelled. A latest task
// (latest(key)) is interactive: while it waits, a newer task of the same key replaces it (the replaced
// one ends in cancelled() without running), so a slider drag never queues work.
#include "lx/Progress.h"

#include <QString>
#include <QVariant>

#include <functional>

namespace lx {
class Model;
} // namespace lx

namespace lx::ui {

using TaskBody =
    std::function<QVariant(lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel)>;
// A model-free body runs whether or not a model is loaded. Work that owns its own model (a CGN's
// lx::CgnModel, kept alive by a std::shared_ptr the body captures) uses it, so that model too is only
// touched on the worker thread.
using FreeTaskBody = std::function<QVariant(const lx::ProgressFn& progress, const lx::CancelToken& cancel)>;

struct Task {
    QString what; // names the task in logs, the task bar and errors, e.g. "response matrix"
    TaskBody body;
    FreeTaskBody freeBody; // set for model-free tasks (then `body` and modelGeneration are unused)
    quint64 modelGeneration = 0; // the model it was made for (ModelSummary::generation; 0: whatever is loaded)
    QString latestKey; // latest tasks: the key a newer task replaces it under; empty for batch tasks

    static Task onModel(const QString& what, TaskBody body, quint64 modelGeneration = 0);
    static Task modelFree(const QString& what, FreeTaskBody body);
    // This task as a latest task of `key` (e.g. "hybrid", "responses/latent-sliders").
    Task latest(const QString& key) &&;
    bool isLatest() const { return !latestKey.isEmpty(); }
};

} // namespace lx::ui
