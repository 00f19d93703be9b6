// Load benchmark of the GUI's compute path: a slider storm, rapid layer and model switching,
// and Cancel latency, through the real ComputeController / ComputeWorker the GUI uses. Prints JSON.
//
//   bench_storm MODEL [--other MODEL2] [--events 10000] [--interval-us 500] [--layer-every 250]
//               [--switches 40] [--latest-events 2000] [--threads T] [--device cpu|cuda]
//
// 1. Storm: `events` hybrid requests posted `interval-us` apart, the UI thread's event loop running in
//    between (as a slider drag delivers them),
//    the channel count and seeds changing every event and the layer every `layer-every` events. Peak
//    and current RSS are sampled every 1000 events.
// 1b. Latest-task storm: `latest-events` interactive tasks under one key (as the Explore tab and the
//    latent sliders post them), each generating a batch of 16 images for a new seed; counts what was
//    computed and shown, and checks that the last result equals the same task computed alone.
// 2. Model switching: `switches` loads alternating MODEL / MODEL2, each queued without waiting for the
//    previous one, with hybrid requests posted for whatever model is current in between.
// 3. Cancel: an influence-map job is cancelled mid-run; the time from TaskHandle::cancel to its
//    cancelled() is reported, and a hybrid computed afterwards must equal one computed before.
// Exit status 1 when something is wrong (a crash would end it anyway): the final frame does not answer
// the final request, a frame arrives out of order, a job is not cancelled, or the re-computed hybrid
// differs. Times are reported, never asserted.
#include "ui/influence/InfluenceTasks.h"
#include "ui/compute/ComputeController.h"
#include "ui/compute/ComputeWorker.h"
#include "ui/compute/Task.h"
#include "ui/compute/TaskHandle.h"
#include "ui/compute/WorkerTypes.h"
#include "ui/hybrids/HybridTasks.h"

#include "lx/LatentSampler.h"
#include "lx/Model.h"

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

using lx::ui::ComputeController;
using lx::ui::HybridFrame;
using lx::ui::HybridTasks;
using lx::ui::ModelSummary;
using lx::ui::Task;
using lx::ui::TaskHandle;
using nlohmann::json;

namespace {

// VmRSS and VmHWM of this process in MiB (Linux /proc).
json memoryMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    json out;
    while (std::getline(status, line)) {
        for (const char* key : {"VmRSS", "VmHWM"}) {
            if (line.rfind(key, 0) == 0)
                out[key == std::string("VmRSS") ? "rss_mib" : "peak_rss_mib"] =
                    std::stod(line.substr(line.find(':') + 1)) / 1024.0;
        }
    }
    return out;
}

// Runs the event loop until `done` or `ms` pass; false on timeout.
template <typename F> bool waitFor(F done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::usleep(200);
    }
    return true;
}

QVector<int> firstChannels(int n)
{
    QVector<int> v(n);
    for (int i = 0; i < n; ++i)
        v[i] = i;
    return v;
}

// Layers with channels to select (a flat layer counts its features).
QVector<int> usableLayers(const ModelSummary& s)
{
    QVector<int> layers;
    for (int i = 0; i < s.layerCount(); ++i) {
        if (!s.layerShapes.value(i).isEmpty() && s.layerShapes.value(i).value(0) > 0)
            layers << i;
    }
    return layers;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    lx::ui::registerWorkerTypes();
    const QStringList args = app.arguments();
    auto option = [&](const QString& name, const QString& fallback) {
        const int i = args.indexOf(QStringLiteral("--") + name);
        return i > 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    if (args.size() < 2 || args[1].startsWith(QLatin1String("--"))) {
        std::fprintf(stderr,
                     "usage: bench_storm MODEL [--other MODEL2] [--events N] [--layer-every N] "
                     "[--interval-us U] [--switches N] [--threads T] [--device cpu|cuda]\n");
        return 2;
    }
    const QString model = args[1];
    const QString other = option(QStringLiteral("other"), model);
    const int events = option(QStringLiteral("events"), QStringLiteral("10000")).toInt();
    const int layerEvery = std::max(1, option(QStringLiteral("layer-every"), QStringLiteral("250")).toInt());
    const int switches = option(QStringLiteral("switches"), QStringLiteral("40")).toInt();
    const int latestEvents = option(QStringLiteral("latest-events"), QStringLiteral("2000")).toInt();
    const int threads = option(QStringLiteral("threads"), QStringLiteral("0")).toInt();
    // A mouse delivers ~125-1000 move events a second; the default, one every 0.5 ms, is faster than any.
    const int intervalUs = option(QStringLiteral("interval-us"), QStringLiteral("500")).toInt();
    const QString device = option(QStringLiteral("device"), QStringLiteral("cpu"));
    json out = {{"bench", "storm"},
                {"model", model.toStdString()},
                {"other", other.toStdString()},
                {"device", device.toStdString()},
                {"events", events}};
    bool ok = true;
    auto fail = [&](const std::string& why) {
        ok = false;
        out["failures"].push_back(why);
    };

    ComputeController controller(threads, nullptr);
    ModelSummary summary;
    QString loadError;
    QObject context;
    QObject::connect(&controller, &ComputeController::modelLoaded, &context,
                     [&](const ModelSummary& s) { summary = s; });
    QObject::connect(&controller, &ComputeController::modelLoadFailed, &context,
                     [&](const QString& e) { loadError = e; });
    out["memory_start"] = memoryMiB();
    controller.loadModel(model, device);
    if (!waitFor([&] { return summary.generation > 0 || !loadError.isEmpty(); }, 120000) || summary.generation == 0) {
        std::fprintf(stderr, "bench_storm: cannot load %s: %s\n", qPrintable(model), qPrintable(loadError));
        return 1;
    }
    out["memory_loaded"] = memoryMiB();

    // Frames as delivered (order checked; a frame's seq is its task's id, as MainWindow sets it),
    // failures as messages, and the requests that ended cancelled (replaced before they ran, or made
    // for a model no longer loaded).
    quint64 lastDelivered = 0;
    int delivered = 0;
    int failures = 0;
    int cancelledRequests = 0;
    bool outOfOrder = false;
    HybridFrame lastFrame;
    QStringList failureMessages;
    const std::shared_ptr<HybridTasks::Session> hybrids = HybridTasks::newSession();
    // Runs a hybrid task as MainWindow does and returns its id.
    auto requestHybrid = [&](int layer, const QVector<int>& channels, quint64 seed1, quint64 seed2,
                             quint64 modelGeneration) {
        lx::ui::HybridRequest request;
        request.layer = layer;
        request.channels = channels;
        request.seed1 = seed1;
        request.seed2 = seed2;
        request.modelGeneration = modelGeneration;
        TaskHandle* task = HybridTasks::request(controller, hybrids, request);
        const quint64 id = task->id();
        QObject::connect(task, &TaskHandle::finished, &context, [&, id](const QVariant& result) {
            HybridFrame f = result.value<HybridFrame>();
            f.seq = id;
            outOfOrder = outOfOrder || f.seq <= lastDelivered;
            lastDelivered = f.seq;
            lastFrame = f;
            ++delivered;
        });
        QObject::connect(task, &TaskHandle::failed, &context, [&](const QString& e) {
            ++failures;
            if (failureMessages.size() < 3)
                failureMessages << e;
        });
        QObject::connect(task, &TaskHandle::cancelled, &context, [&] { ++cancelledRequests; });
        return id;
    };

    // 1. The storm.
    const QVector<int> layers = usableLayers(summary);
    if (layers.isEmpty()) {
        std::fprintf(stderr, "bench_storm: %s has no layers to intervene on\n", qPrintable(model));
        return 1;
    }
    const int computedBefore = controller.worker()->computedCount();
    const int supersededBefore = controller.worker()->supersededCount();
    QElapsedTimer timer;
    timer.start();
    quint64 lastSeq = 0;
    int lastLayer = 0;
    QVector<int> lastChannels;
    quint64 lastSeed1 = 0, lastSeed2 = 0;
    json samples = json::array();
    for (int i = 0; i < events; ++i) {
        lastLayer = layers[(i / layerEvery) % layers.size()];
        const int channels = static_cast<int>(summary.layerShapes.value(lastLayer).value(0));
        lastChannels = firstChannels(1 + (i * 7) % channels);
        lastSeed1 = 1 + (i / 50); // z1 changes now and then (a new prefix), z2 every event
        lastSeed2 = 100000 + i;
        lastSeq = requestHybrid(lastLayer, lastChannels, lastSeed1, lastSeed2, summary.generation);
        // The UI thread's turn between two events: deliver what arrived, then wait for the next event.
        QElapsedTimer gap;
        gap.start();
        do
            QCoreApplication::processEvents();
        while (gap.nsecsElapsed() < intervalUs * 1000LL);
        if ((i + 1) % 1000 == 0) {
            json m = memoryMiB();
            m["event"] = i + 1;
            m["delivered"] = delivered;
            samples.push_back(m);
        }
    }
    const double postMs = timer.nsecsElapsed() / 1e6;
    if (!waitFor([&] { return lastDelivered == lastSeq; }, 60000))
        fail("the final frame (seq " + std::to_string(lastSeq) + ") did not arrive within 60 s");
    const double stormMs = timer.nsecsElapsed() / 1e6;
    waitFor([] { return false; }, 200); // anything still on its way shows up now
    const int computed = controller.worker()->computedCount() - computedBefore;
    const int superseded = controller.worker()->supersededCount() - supersededBefore;
    if (outOfOrder)
        fail("a frame was delivered after a newer one");
    if (lastFrame.seq != lastSeq || lastFrame.layer != lastLayer || lastFrame.seed1 != lastSeed1
        || lastFrame.seed2 != lastSeed2 || lastFrame.selectedCount != lastChannels.size())
        fail("the last frame does not answer the last request");
    // The coalesced answer equals the answer to the same request asked on its own.
    const HybridFrame stormFinal = lastFrame;
    const quint64 again = requestHybrid(lastLayer, lastChannels, lastSeed1, lastSeed2, summary.generation);
    if (!waitFor([&] { return lastDelivered == again; }, 30000) || lastFrame.hybrid != stormFinal.hybrid
        || lastFrame.x1 != stormFinal.x1 || lastFrame.x2 != stormFinal.x2)
        fail("the storm's final frame differs from the same request computed alone");
    out["storm"] = {{"posted", events},
                    {"interval_us", intervalUs},
                    {"layers_cycled", layers.size()},
                    {"post_ms", postMs},
                    {"until_final_frame_ms", stormMs},
                    {"events_per_s", events / (postMs / 1000.0)},
                    {"computed", computed},
                    {"delivered", delivered},
                    {"delivered_while_newer_waited", superseded},
                    {"cancelled", cancelledRequests},
                    {"failures", failures},
                    {"final_frame_matches", lastFrame.hybrid == stormFinal.hybrid && stormFinal.seq == lastSeq},
                    {"memory_samples", samples},
                    {"memory_after", memoryMiB()}};
    if (failures)
        fail("compute failures during the storm: " + failureMessages.join(QStringLiteral("; ")).toStdString());

    // 1b. The latest-task storm.
    {
        const QString key = QStringLiteral("storm/generate");
        std::atomic<int> bodies{0};
        auto bodyFor = [&bodies](quint64 seed) {
            return [&bodies, seed](lx::Model& m, const lx::ProgressFn&, const lx::CancelToken&) {
                ++bodies;
                const lx::LatentSampler sampler(m.card().latentShape);
                const std::vector<float> images =
                    m.generate(sampler.sample(lx::LatentSampler::seedRange(seed, 16))).data();
                return QVariant::fromValue(QVector<float>(images.begin(), images.end()));
            };
        };
        quint64 newest = 0, lastLatest = 0;
        int shown = 0;
        bool latestOutOfOrder = false;
        QVector<float> lastImages;
        QObject latestContext; // the latest tasks' connections end with this block
        auto postLatest = [&](quint64 seed) {
            TaskHandle* task =
                controller.run(Task::onModel(QStringLiteral("storm"), bodyFor(seed), summary.generation).latest(key));
            const quint64 seq = task->id();
            QObject::connect(task, &TaskHandle::finished, &latestContext, [&, seq](const QVariant& v) {
                latestOutOfOrder = latestOutOfOrder || seq <= lastLatest;
                lastLatest = seq;
                lastImages = v.value<QVector<float>>();
                ++shown;
            });
            return seq;
        };
        const int supersededAtStart = controller.worker()->supersededCount();
        timer.restart();
        quint64 lastSeed = 0;
        for (int i = 0; i < latestEvents; ++i) {
            lastSeed = 1000 + quint64(i);
            newest = postLatest(lastSeed);
            QElapsedTimer gap;
            gap.start();
            do
                QCoreApplication::processEvents();
            while (gap.nsecsElapsed() < intervalUs * 1000LL);
        }
        const double latestPostMs = timer.nsecsElapsed() / 1e6;
        if (!waitFor([&] { return lastLatest == newest; }, 60000))
            fail("the last latest task did not arrive within 60 s");
        const double latestMs = timer.nsecsElapsed() / 1e6;
        const QVector<float> stormImages = lastImages;
        const quint64 alone = postLatest(lastSeed);
        const bool latestMatches =
            waitFor([&] { return lastLatest == alone; }, 30000) && lastImages == stormImages && !stormImages.isEmpty();
        if (latestOutOfOrder)
            fail("a latest result was delivered after a newer one");
        if (!latestMatches)
            fail("the latest storm's final result differs from the same task computed alone");
        out["latest_storm"] = {{"posted", latestEvents},
                               {"post_ms", latestPostMs},
                               {"until_final_result_ms", latestMs},
                               {"computed", bodies.load() - 1},
                               {"shown", shown - 1},
                               {"shown_while_newer_waited", controller.worker()->supersededCount() - supersededAtStart},
                               {"final_result_matches", latestMatches},
                               {"memory_after", memoryMiB()}};
    }

    // 2. Rapid model switching: loads queued back to back, requests posted against whatever is current.
    int loads = 0, loadFailures = 0;
    QObject::connect(&controller, &ComputeController::modelLoaded, &context, [&](const ModelSummary&) { ++loads; });
    QObject::connect(&controller, &ComputeController::modelLoadFailed, &context,
                     [&](const QString&) { ++loadFailures; });
    failures = 0;
    cancelledRequests = 0;
    timer.restart();
    int switchPosts = 0;
    for (int s = 0; s < switches; ++s) {
        controller.loadModel(s % 2 == 0 ? other : model, device);
        for (int k = 0; k < 20; ++k) {
            const QVector<int> ls = usableLayers(summary);
            if (!ls.isEmpty()) {
                const int layer = ls[k % ls.size()];
                requestHybrid(layer, firstChannels(1), 7, 8 + k, summary.generation);
                ++switchPosts;
            }
            QCoreApplication::processEvents();
        }
    }
    if (!waitFor([&] { return loads + loadFailures == switches && !controller.loading(); }, 300000))
        fail("model loads did not all finish within 300 s");
    const QString finalModel = (switches - 1) % 2 == 0 ? other : model;
    const QVector<int> finalLayers = usableLayers(summary);
    bool switchFinalOk = summary.path.endsWith(QFileInfo(finalModel).fileName()) && !finalLayers.isEmpty();
    if (switchFinalOk) {
        const quint64 seq = requestHybrid(finalLayers.first(), firstChannels(1), 3, 4, summary.generation);
        switchFinalOk = waitFor([&] { return lastDelivered == seq; }, 30000) && lastFrame.seq == seq
            && lastFrame.modelGeneration == summary.generation;
    }
    if (!switchFinalOk)
        fail("after the model switches the last model did not serve a frame");
    out["model_switching"] = {{"loads_queued", switches},
                              {"loaded", loads},
                              {"load_failures", loadFailures},
                              {"requests_posted", switchPosts},
                              {"requests_refused_as_stale", failures},
                              {"requests_cancelled", cancelledRequests},
                              {"total_ms", timer.nsecsElapsed() / 1e6},
                              {"final_model", summary.path.toStdString()},
                              {"final_frame_ok", switchFinalOk},
                              {"memory_after", memoryMiB()}};
    if (loadFailures)
        fail("model loads failed during switching");

    // 3. Cancel latency, on the first model again.
    controller.loadModel(model, device);
    const quint64 gen = summary.generation;
    waitFor([&] { return summary.generation > gen && !controller.loading(); }, 120000);
    const QVector<int> cl = usableLayers(summary);
    const int cancelLayer = cl.value(cl.size() / 2);
    const quint64 before = requestHybrid(cancelLayer, firstChannels(2), 11, 12, summary.generation);
    waitFor([&] { return lastDelivered == before; }, 30000);
    const HybridFrame reference = lastFrame;
    json cancels = json::array();
    for (int round = 0; round < 3; ++round) {
        lx::ui::InfluenceJob job;
        job.layer = cancelLayer;
        job.pairs = 60000;
        job.firstSeed = 1;
        job.modelGeneration = summary.generation;
        const QPointer<TaskHandle> task = lx::ui::InfluenceTasks::start(controller, job);
        bool progressed = false, cancelled = false;
        QString jobError;
        QObject roundContext;
        QObject::connect(task, &TaskHandle::progress, &roundContext,
                         [&](qint64 done, qint64) { progressed = progressed || done > 0; });
        QObject::connect(task, &TaskHandle::cancelled, &roundContext, [&] { cancelled = true; });
        QObject::connect(task, &TaskHandle::failed, &roundContext, [&](const QString& e) { jobError = e; });
        // Cancel once the job is really running (its first progress report), a little later each round.
        const bool running = waitFor([&] { return progressed || !jobError.isEmpty(); }, 60000) && progressed;
        if (!running) {
            fail("the influence job never reported progress"
                 + (jobError.isEmpty() ? std::string() : ": " + jobError.toStdString()));
            break;
        }
        waitFor([] { return false; }, 100 + 150 * round);
        QElapsedTimer ct;
        ct.start();
        if (task)
            task->cancel();
        const bool stopped = waitFor([&] { return cancelled; }, 10000);
        cancels.push_back({{"job", "influence maps, 60000 pairs"},
                           {"cancel_to_cancelled_ms", ct.nsecsElapsed() / 1e6},
                           {"stopped", stopped}});
        if (!stopped)
            fail("an influence job was not cancelled within 10 s");
    }
    const quint64 after = requestHybrid(cancelLayer, firstChannels(2), 11, 12, summary.generation);
    const bool consistent = waitFor([&] { return lastDelivered == after; }, 30000)
        && lastFrame.hybrid == reference.hybrid && lastFrame.x1 == reference.x1 && lastFrame.x2 == reference.x2;
    if (!consistent)
        fail("a hybrid after the cancelled jobs differs from the same hybrid before them");
    out["cancel"] = {{"rounds", cancels}, {"hybrid_after_cancel_equal", consistent}};
    out["memory_end"] = memoryMiB();
    out["ok"] = ok;
    std::printf("%s\n", out.dump(2).c_str());
    return ok ? 0 : 1;
}
