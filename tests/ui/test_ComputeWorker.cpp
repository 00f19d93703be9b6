// lx::ui::ComputeWorker and ComputeController: model loading on the worker thread, coalescing of
// interactive requests (newest wins, frames in request order), and errors that leave the previous model.
#include "ui/compute/ComputeController.h"
#include "ui/compute/ComputeWorker.h"
#include "ui/compute/Task.h"
#include "ui/compute/TaskHandle.h"
#include "ui/hybrids/HybridTasks.h"

#include "UiTestSupport.h"

#include "lx/Error.h"
#include "lx/Model.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using lx::ui::ComputeController;
using lx::ui::ComputeWorker;
using lx::ui::HybridFrame;
using lx::ui::HybridTasks;
using lx::ui::ModelSummary;
using lx::ui::Task;
using lx::ui::TaskHandle;
using namespace lx::ui::test;

namespace {

using Session = std::shared_ptr<HybridTasks::Session>;

const QString kHybridKey = QString::fromLatin1(HybridTasks::kKey);

lx::ui::HybridRequest hybridRequest(int layer, const QVector<int>& channels, quint64 seed1, quint64 seed2,
                                    quint64 modelGeneration)
{
    lx::ui::HybridRequest request;
    request.layer = layer;
    request.channels = channels;
    request.seed1 = seed1;
    request.seed2 = seed2;
    request.modelGeneration = modelGeneration;
    return request;
}

// Runs one hybrid task (the latest task of HybridTasks::kKey) on `controller`.
TaskHandle* requestHybrid(ComputeController& controller, const Session& session, int layer,
                          const QVector<int>& channels, quint64 seed1, quint64 seed2, quint64 modelGeneration = 0)
{
    return HybridTasks::request(controller, session, hybridRequest(layer, channels, seed1, seed2, modelGeneration));
}

// Posts one request and waits for its frame (its seq set to the task's id, as MainWindow does).
bool requestAndWait(ComputeController& controller, const Session& session, const ModelSummary& summary, int layer,
                    const QVector<int>& channels, quint64 seed1, quint64 seed2, HybridFrame& frame)
{
    TaskRecorder tasks;
    const quint64 id =
        tasks.track(requestHybrid(controller, session, layer, channels, seed1, seed2, summary.generation));
    const QString outcome = tasks.wait(id);
    if (outcome != QLatin1String("ready")) {
        qWarning("hybrid task %llu: %s", static_cast<unsigned long long>(id),
                 outcome.isEmpty() ? "timeout" : qPrintable(outcome));
        return false;
    }
    frame = tasks.value<HybridFrame>(id);
    frame.seq = id;
    return true;
}

QVector<int> range(int begin, int end)
{
    QVector<int> v;
    for (int i = begin; i < end; ++i)
        v << i;
    return v;
}

} // namespace

class TestComputeWorker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        lx::ui::registerWorkerTypes();
        if (!QFileInfo::exists(fixture(QStringLiteral("tiny_gen.pt"))))
            QFAIL(qPrintable(QStringLiteral("fixture %1 is missing (run the make_fixtures test)")
                                 .arg(fixture(QStringLiteral("tiny_gen.pt")))));
    }

    void loadsTinyModel()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        QCOMPARE(summary.kind, QStringLiteral("generator"));
        QCOMPARE(summary.latentShape, QVector<qint64>({4}));
        QCOMPARE(summary.layerCount(), 6);
        QCOMPARE(summary.layerNames.first(), QStringLiteral("main.0"));
        QCOMPARE(summary.layerShapes.value(1), QVector<qint64>({3, 2, 2}));
        QCOMPARE(summary.layerShapes.value(2), QVector<qint64>({6, 2, 2}));
        QCOMPARE(summary.layerTypes.value(2), QStringLiteral("Conv2d"));
        QCOMPARE(summary.device, QStringLiteral("cpu"));
        QVERIFY(summary.generation > 0);
        QVERIFY(!summary.discoveryNote.isEmpty());
    }

    void noneGivesX1AllGivesX2()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        const Session session = HybridTasks::newSession();
        HybridFrame none;
        QVERIFY(requestAndWait(controller, session, summary, 2, {}, 11, 22, none));
        QVERIFY(!none.x1.isNull());
        QVERIFY(none.x1 != none.x2);
        QCOMPARE(none.hybrid, none.x1);
        QCOMPARE(none.layer, 2);
        QCOMPARE(none.channelCount, qint64(6));
        QCOMPARE(none.channelThumbnails.size(), 6);
        QCOMPARE(none.channelThumbnails.first().size(), QSize(2, 2));
        QVERIFY(!none.prefixCached);

        HybridFrame all;
        QVERIFY(requestAndWait(controller, session, summary, 2, range(0, 6), 11, 22, all));
        QCOMPARE(all.hybrid, all.x2);
        QVERIFY(all.prefixCached); // same layer and latents: only the suffix ran
        QCOMPARE(all.selectedCount, 6);
        QCOMPARE(all.seed1, quint64(11));
        QCOMPARE(all.seed2, quint64(22));
        QVERIFY(all.computeMs > 0.0); // the frame's own time (a nanosecond timer), never left unset
    }

    void burstCoalesces_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("tiny_gen") << fixture(QStringLiteral("tiny_gen.pt"));
        QTest::newRow("fashion_dcgan") << defaultModel();
    }

    void burstCoalesces()
    {
        QFETCH(QString, model);
        if (!QFileInfo::exists(model))
            QSKIP(qPrintable(QStringLiteral("%1 not found (the default model is trained by models/; "
                                            "this row runs once it exists)")
                                 .arg(model)));
        ComputeController controller(0, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, model, summary));
        const int layer = summary.defaultLayer();
        const int channels = static_cast<int>(summary.layerShapes.value(layer).value(0));
        QVERIFY(channels > 0);

        const Session session = HybridTasks::newSession();
        // Everything the worker emits, in emission order (queued to this thread, order kept).
        QVector<quint64> emitted;
        QObject context;
        connect(controller.worker(), &ComputeWorker::taskFinished, &context,
                [&emitted](quint64 id, const QVariant&) { emitted << id; });
        TaskRecorder tasks;
        const int computedBefore = controller.worker()->computedCount();

        quint64 last = 0;
        QVector<int> lastChannels;
        for (int i = 0; i < 100; ++i) {
            lastChannels = range(0, 1 + i % channels);
            last = tasks.track(
                requestHybrid(controller, session, layer, lastChannels, 100 + i, 1000 + i, summary.generation));
        }
        QTRY_VERIFY_WITH_TIMEOUT(tasks.ended(last), kTimeoutMs);
        QCOMPARE(tasks.outcome(last), QStringLiteral("ready"));
        QTest::qWait(100); // anything else still on its way would show up now

        const QVector<TaskRecorder::End> failures = tasks.ends(QStringLiteral("failed"));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0).outcome));
        // Every request ended once: with its frame, or cancelled (replaced before it ran).
        QVERIFY(tasks.waitAll());
        QCOMPARE(tasks.extraEnds(), 0);
        const QVector<TaskRecorder::End> delivered = tasks.ends(QStringLiteral("ready"));
        QCOMPARE(delivered.size() + tasks.ends(QStringLiteral("cancelled")).size(), 100);
        QVERIFY(!emitted.isEmpty());
        QCOMPARE(emitted.last(), last);
        for (int i = 1; i < emitted.size(); ++i)
            QVERIFY2(emitted[i] > emitted[i - 1], "the worker emitted an older frame after a newer one");
        const int computed = controller.worker()->computedCount() - computedBefore;
        QVERIFY2(computed < 100, qPrintable(QStringLiteral("%1 hybrids computed for 100 requests").arg(computed)));
        QVERIFY(computed >= 1);
        qInfo("burst of 100 requests: %d computed, %d delivered, %d emitted while a newer one waited", computed,
              static_cast<int>(delivered.size()), controller.worker()->supersededCount());
        QVERIFY(delivered.size() <= computed);
        QCOMPARE(controller.lastDelivered(kHybridKey), last);

        // The coalesced answer is the answer to the newest request.
        QCOMPARE(delivered.last().id, last);
        const HybridFrame burst = delivered.last().result.value<HybridFrame>();
        HybridFrame again;
        QVERIFY(requestAndWait(controller, session, summary, layer, lastChannels, 199, 1099, again));
        QCOMPARE(burst.hybrid, again.hybrid);
        QCOMPARE(burst.x1, again.x1);
        QCOMPARE(burst.x2, again.x2);
        QCOMPARE(burst.selectedCount, static_cast<int>(lastChannels.size()));
    }

    void postsDuringComputeAreCoalesced_data() { burstCoalesces_data(); }

    void postsDuringComputeAreCoalesced()
    {
        // Another thread keeps posting (as fast as a slider drag, faster than the worker computes):
        // requests overwritten while one computes are never computed, frames are never emitted out of
        // order, and every computed frame is shown (the view follows the drag at the compute rate).
        QFETCH(QString, model);
        if (!QFileInfo::exists(model))
            QSKIP(qPrintable(QStringLiteral("%1 not found").arg(model)));
        ComputeController controller(0, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, model, summary));
        const int layer = summary.defaultLayer();
        const int channels = static_cast<int>(summary.layerShapes.value(layer).value(0));

        // The poster talks to the worker directly, with task ids of its own far above the controller's
        // (the controller ignores ids it did not hand out).
        constexpr quint64 kFirstId = quint64(1) << 32;
        QVector<quint64> emitted;
        QObject context;
        connect(controller.worker(), &ComputeWorker::taskFinished, &context,
                [&emitted](quint64 id, const QVariant&) { emitted << id; });
        const int computedBefore = controller.worker()->computedCount();
        const int droppedBefore = controller.worker()->droppedCount();

        constexpr int kPosts = 300;
        ComputeWorker* worker = controller.worker();
        const Session session = HybridTasks::newSession();
        std::thread poster([worker, session, layer, channels, generation = summary.generation] {
            for (int i = 1; i <= kPosts; ++i) {
                lx::ui::TaskRequest request;
                request.id = kFirstId + static_cast<quint64>(i);
                request.task =
                    HybridTasks::frameTask(session,
                                           hybridRequest(layer, range(0, 1 + i % channels), static_cast<quint64>(i),
                                                         static_cast<quint64>(i + 1), generation));
                request.cancel = std::make_shared<lx::CancelToken>();
                worker->postLatest(request);
                std::this_thread::sleep_for(std::chrono::microseconds(500));
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(!emitted.isEmpty() && emitted.last() == kFirstId + kPosts, kTimeoutMs);
        poster.join();
        QTest::qWait(100);

        QCOMPARE(emitted.last(), kFirstId + kPosts);
        for (int i = 1; i < emitted.size(); ++i)
            QVERIFY2(emitted[i] > emitted[i - 1], "the worker emitted an older frame after a newer one");
        const int computed = worker->computedCount() - computedBefore;
        const int dropped = worker->droppedCount() - droppedBefore;
        qInfo("%d posts over ~%d ms: %d computed, %d emitted, %d emitted while a newer one waited", kPosts, kPosts / 2,
              computed, static_cast<int>(emitted.size()), worker->supersededCount());
        QCOMPARE(dropped, 0);
        QVERIFY(computed <= kPosts);
        QCOMPARE(computed, static_cast<int>(emitted.size()) + dropped);
    }

    void failedLoadKeepsPreviousModel()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        const Session session = HybridTasks::newSession();

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString garbage = dir.filePath(QStringLiteral("garbage.pt"));
        {
            QFile file(garbage);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("this is not a TorchScript archive\n");
        }
        const QStringList badPaths{dir.filePath(QStringLiteral("does_not_exist.pt")), garbage};
        for (const QString& bad : badPaths) {
            QSignalSpy failed(&controller, &ComputeController::modelLoadFailed);
            QSignalSpy loaded(&controller, &ComputeController::modelLoaded);
            controller.loadModel(bad, QStringLiteral("cpu"));
            QVERIFY(failed.wait(kTimeoutMs));
            QCOMPARE(loaded.size(), 0);
            const QString message = failed.first().first().toString();
            QVERIFY(!message.isEmpty());
            QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
            QVERIFY2(message.size() < 400, qPrintable(message));
            QVERIFY(!controller.loading());

            // The previous model still answers.
            HybridFrame frame;
            QVERIFY(requestAndWait(controller, session, summary, 2, {0, 1}, 5, 6, frame));
            QVERIFY(!frame.hybrid.isNull());
            QCOMPARE(frame.modelGeneration, summary.generation);
        }

        QSignalSpy failed(&controller, &ComputeController::modelLoadFailed);
        controller.loadModel(fixture(QStringLiteral("tiny_gen.pt")), QStringLiteral("tpu"));
        QVERIFY(failed.wait(kTimeoutMs));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("tpu")));
    }

    void badRequestsReportErrors()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        const Session session = HybridTasks::newSession();
        TaskRecorder tasks;
        const quint64 badChannel = tasks.track(
            requestHybrid(controller, session, 2, {0, 99}, 1, 2, summary.generation)); // channel out of range
        const QString channelError = tasks.wait(badChannel);
        QVERIFY2(channelError.startsWith(QStringLiteral("failed: ")), qPrintable(channelError));
        QVERIFY(!channelError.contains(QLatin1Char('\n')));
        const quint64 badLayer =
            tasks.track(requestHybrid(controller, session, 42, {}, 1, 2, summary.generation)); // layer out of range
        const QString layerError = tasks.wait(badLayer);
        QVERIFY2(layerError.startsWith(QStringLiteral("failed: ")), qPrintable(layerError));

        // Requests made for another model are dropped: no frame, no error (the task ends cancelled).
        const quint64 stale = tasks.track(requestHybrid(controller, session, 2, {}, 1, 2, summary.generation + 7));
        QCOMPARE(tasks.wait(stale), QStringLiteral("cancelled"));
        QTest::qWait(300);
        QCOMPARE(tasks.ends(QStringLiteral("ready")).size(), 0);
        HybridFrame frame;
        QVERIFY(requestAndWait(controller, session, summary, 2, {}, 1, 2, frame));
    }

    void flatLayersGiveFeatureTiles()
    {
        // mlp_vae: autoencoder whose decoder is Linear(20,400), ReLU, Linear(400,784), Sigmoid; output
        // reshaped by the card to [1, 28, 28].
        const QString model = fixture(QStringLiteral("mlp_vae.pt"));
        if (!QFileInfo::exists(model))
            QSKIP("fixture mlp_vae.pt not found");
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, model, summary));
        QCOMPARE(summary.kind, QStringLiteral("autoencoder"));
        QCOMPARE(summary.layerShapes.value(0), QVector<qint64>({400}));
        HybridFrame frame;
        QVERIFY(requestAndWait(controller, HybridTasks::newSession(), summary, 0, range(0, 200), 3, 4, frame));
        QCOMPARE(frame.x1.size(), QSize(28, 28));
        QCOMPARE(frame.x1.format(), QImage::Format_Grayscale8);
        QCOMPARE(frame.channelThumbnails.size(), 400 < HybridTasks::kMaxThumbnails ? 400 : HybridTasks::kMaxThumbnails);
        QCOMPARE(frame.channelThumbnails.first().size(), QSize(1, 1));
    }

    void calls_that_are_not_layers_are_counted_not_listed()
    {
        // graph_stylegan: blocks.0/1 return (x, rgb) and act@3's result is unused; the model panel's
        // note counts them and its tooltip says why.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("graph_stylegan.pt")), summary));
        QVERIFY2(summary.discoveryNote.startsWith(
                     QStringLiteral("%1 layers: the submodule calls of forward(); ").arg(summary.layerCount())),
                 qPrintable(summary.discoveryNote));
        QVERIFY(summary.discoveryNote.contains(QStringLiteral("3 other module calls are not layers (hover for why)")));
        QVERIFY(!summary.discoveryNote.contains(QStringLiteral("Rejected")));
        QVERIFY(summary.discoveryDetails.contains(QStringLiteral("blocks.0: does not return a tensor")));
        QVERIFY(summary.discoveryDetails.contains(QStringLiteral("act@3: does not reach the output")));
    }

    void modelWithoutLayersStillShowsSamples()
    {
        // graph_no_modules: parameters and functional ops only, so no layers are found.
        const QString model = fixture(QStringLiteral("graph_no_modules.pt"));
        if (!QFileInfo::exists(model))
            QSKIP("fixture graph_no_modules.pt not found");
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, model, summary));
        QCOMPARE(summary.layerCount(), 0);
        QCOMPARE(summary.defaultLayer(), -1);
        QVERIFY(summary.discoveryNote.contains(QStringLiteral("Rejected")));
        QVERIFY(summary.discoveryDetails.contains(QStringLiteral("no submodule call")));
        HybridFrame frame;
        QVERIFY(requestAndWait(controller, HybridTasks::newSession(), summary, -1, {}, 1, 2, frame));
        QCOMPARE(frame.x1.size(), QSize(4, 4));
        QVERIFY(!frame.x2.isNull());
        QVERIFY(frame.hybrid.isNull());
        QCOMPARE(frame.layer, -1);
    }

    void requestsWithoutModelFail()
    {
        ComputeController controller(1, nullptr);
        TaskRecorder tasks;
        const quint64 id = tasks.track(requestHybrid(controller, HybridTasks::newSession(), 0, {}, 1, 2));
        const QString outcome = tasks.wait(id);
        QVERIFY2(outcome.startsWith(QStringLiteral("failed: ")), qPrintable(outcome));
        QVERIFY(tasks.error(id).contains(QStringLiteral("no model")));
    }

    void taskRunsOnTheModelAndReports()
    {
        // A generic batch task gets the loaded model on the worker thread, reports progress and finishes
        // with its QVariant result.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        TaskRecorder tasks;
        const QThread* uiThread = QThread::currentThread();
        TaskHandle* handle = controller.run(Task::onModel(
            QStringLiteral("test"),
            [uiThread](lx::Model& model, const lx::ProgressFn& report, const lx::CancelToken&) {
                report(1, 2);
                report(2, 2);
                const bool offUiThread = QThread::currentThread() != uiThread;
                return QVariant(
                    QStringLiteral("%1 layers, off ui thread: %2").arg(model.layers().size()).arg(offUiThread));
            },
            summary.generation));
        QVERIFY(handle);
        QVERIFY(handle->isActive());
        QVERIFY(handle->latestKey().isEmpty()); // a batch task
        const quint64 id = tasks.track(handle);
        QVERIFY(controller.isActive(id));
        QCOMPARE(tasks.wait(id), QStringLiteral("ready"));
        QCOMPARE(tasks.ends().size(), 1);
        QCOMPARE(tasks.result(id).toString(), QStringLiteral("6 layers, off ui thread: 1"));
        QCOMPARE(tasks.progress().size(), 2); // the first and the last call always pass the throttle
        QCOMPARE(tasks.progress().last().done, 2);
        QVERIFY(!controller.isActive(id));
    }

    void taskCancelsAndFails()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        TaskRecorder tasks;
        // Polls its token until the UI cancels it.
        TaskHandle* slowTask = controller.run(
            Task::onModel(QStringLiteral("slow"), [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken& cancel) {
                for (int i = 0; i < 6000 && !cancel.cancelled(); ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                if (cancel.cancelled())
                    throw lx::Cancelled();
                return QVariant(1);
            }));
        const QPointer<TaskHandle> slowHandle = slowTask;
        const quint64 slow = tasks.track(slowTask);
        const quint64 bad = tasks.track(controller.run(Task::onModel(
            QStringLiteral("bad"), [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) -> QVariant {
                throw lx::Error("dimension 7 out of range");
            })));
        // Made for a model generation that is not loaded: refused with a message.
        const quint64 stale = tasks.track(controller.run(Task::onModel(
            QStringLiteral("stale"),
            [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) { return QVariant(1); },
            summary.generation + 1)));
        QTest::qWait(50);
        QVERIFY(slowHandle); // still running: its handle lives until it ends
        slowHandle->cancel();
        const auto cancelled = [&] { return tasks.ends(QStringLiteral("cancelled")); };
        const auto failed = [&] { return tasks.ends(QStringLiteral("failed")); };
        QVERIFY(QTest::qWaitFor([&] { return cancelled().size() == 1 && failed().size() == 2; }, kTimeoutMs));
        QCOMPARE(cancelled().first().id, slow);
        QCOMPARE(failed().at(0).id, bad);
        QCOMPARE(tasks.error(bad), QStringLiteral("dimension 7 out of range"));
        QCOMPARE(failed().at(1).id, stale);
        QVERIFY(tasks.error(stale).contains(QStringLiteral("another model")));
        QVERIFY(tasks.ends(QStringLiteral("ready")).isEmpty());
        QCOMPARE(controller.activeTaskCount(), 0);
    }

    void latestTasksCoalescePerKey()
    {
        // A burst of interactive tasks under one key computes far fewer than it posts, never delivers
        // an older result after a newer one, and always ends with the newest; another key is kept apart.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        TaskRecorder tasks;
        std::atomic<int> computed{0};
        auto bodyFor = [&computed](int value) {
            return [&computed, value](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                ++computed;
                return QVariant(value);
            };
        };
        quint64 lastSeq = 0;
        for (int i = 0; i < 200; ++i)
            lastSeq = tasks.track(
                controller.run(Task::onModel(QStringLiteral("burst"), bodyFor(i)).latest(QStringLiteral("a"))));
        const quint64 otherSeq = tasks.track(
            controller.run(Task::onModel(QStringLiteral("other"), bodyFor(-1)).latest(QStringLiteral("b"))));
        QCOMPARE(controller.lastPosted(QStringLiteral("a")), lastSeq);
        QCOMPARE(controller.lastPosted(QStringLiteral("b")), otherSeq);
        QVERIFY(QTest::qWaitFor([&] { return tasks.ended(lastSeq) && tasks.ended(otherSeq); }, kTimeoutMs));
        QCOMPARE(tasks.outcome(lastSeq), QStringLiteral("ready"));
        QCOMPARE(tasks.outcome(otherSeq), QStringLiteral("ready"));
        QTest::qWait(100); // nothing may arrive after the newest
        quint64 previousA = 0;
        int lastA = -2;
        for (const TaskRecorder::End& end : tasks.ends(QStringLiteral("ready"))) {
            if (end.key != QStringLiteral("a")) {
                QCOMPARE(end.result.toInt(), -1);
                continue;
            }
            QVERIFY(end.id > previousA);
            previousA = end.id;
            lastA = end.result.toInt();
        }
        QCOMPARE(lastA, 199);
        // The others ended too, once each: replaced before they ran, they end cancelled.
        QVERIFY(tasks.waitAll());
        QCOMPARE(tasks.extraEnds(), 0);
        QVERIFY(tasks.ends(QStringLiteral("failed")).isEmpty());
        QCOMPARE(controller.lastDelivered(QStringLiteral("a")), lastSeq);
        QVERIFY2(computed.load() < 100, qPrintable(QStringLiteral("computed %1 of 201").arg(computed.load())));
    }

    void latestResultOvertakenWhileComputingIsStillShown()
    {
        // A task whose key gets a newer request while it computes is delivered anyway (it is newer
        // than anything shown), then the newer one: a slider drag over a slow view keeps updating.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        TaskRecorder tasks;
        std::atomic<bool> started{false}, newerPosted{false};
        const int supersededBefore = controller.worker()->supersededCount();
        const quint64 first = tasks.track(controller.run(
            Task::onModel(QStringLiteral("slow"), [&](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) {
                started = true;
                while (!newerPosted)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                return QVariant(1);
            }).latest(QStringLiteral("k"))));
        QVERIFY(QTest::qWaitFor([&] { return started.load(); }, kTimeoutMs));
        const quint64 second = tasks.track(controller.run(
            Task::onModel(QStringLiteral("slow"), [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) {
                return QVariant(2);
            }).latest(QStringLiteral("k"))));
        newerPosted = true;
        const auto ready = [&] { return tasks.ends(QStringLiteral("ready")); };
        QVERIFY(QTest::qWaitFor([&] { return ready().size() == 2; }, kTimeoutMs));
        QCOMPARE(tasks.ends().size(), 2);
        QCOMPARE(ready().at(0).id, first);
        QCOMPARE(ready().at(0).result.toInt(), 1);
        QCOMPARE(ready().at(1).id, second);
        QCOMPARE(ready().at(1).result.toInt(), 2);
        QCOMPARE(controller.worker()->supersededCount() - supersededBefore, 1);
    }

    void latestTaskErrorsArriveAsMessages()
    {
        ComputeController controller(1, nullptr);
        TaskRecorder tasks;
        const quint64 id = tasks.track(controller.run(
            Task::onModel(QStringLiteral("decode"), [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) {
                return QVariant();
            }).latest(QStringLiteral("k"))));
        QVERIFY(tasks.wait(id).startsWith(QStringLiteral("failed: ")));
        QCOMPARE(tasks.ends().first().key, QStringLiteral("k"));
        QVERIFY(tasks.error(id).contains(QStringLiteral("no model")));
    }

    void outOfMemoryBecomesAMessage()
    {
        // A task that asks for more memory than the machine has (a 1 TiB latent batch: the allocation
        // throws std::bad_alloc, as any out-of-memory in the worker does) fails with a message in words,
        // and the worker goes on serving the same model.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        const Session session = HybridTasks::newSession();
        HybridFrame before;
        QVERIFY(requestAndWait(controller, session, summary, summary.defaultLayer(), {0}, 5, 6, before));
        TaskRecorder tasks;
        const quint64 id = tasks.track(controller.run(
            Task::onModel(QStringLiteral("huge"), [](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken&) {
                const lx::Array z({int64_t(1) << 38, 1}); // 2^38 floats = 1 TiB
                return QVariant(static_cast<qlonglong>(model.generate(z).numel()));
            })));
        const QString outcome = tasks.wait(id);
        QVERIFY2(outcome.startsWith(QStringLiteral("failed: ")), qPrintable(outcome));
        const QString message = tasks.error(id);
        QVERIFY2(message.startsWith(QStringLiteral("out of memory")), qPrintable(message));
        HybridFrame after;
        QVERIFY(requestAndWait(controller, session, summary, summary.defaultLayer(), {0}, 5, 6, after));
        QCOMPARE(after.hybrid, before.hybrid);
        QCOMPARE(after.x1, before.x1);
    }

    void freeTaskRunsWithoutModel()
    {
        // A model-free task runs on the worker thread with no model loaded, reports progress and
        // finishes; a failing or cancelled one ends like any task.
        ComputeController controller(1, nullptr);
        TaskRecorder tasks;
        const QThread* uiThread = QThread::currentThread();
        const quint64 id = tasks.track(controller.run(
            Task::modelFree(QStringLiteral("free"), [uiThread](const lx::ProgressFn& report, const lx::CancelToken&) {
                report(1, 3);
                report(3, 3);
                return QVariant(QThread::currentThread() != uiThread ? 42 : -1);
            })));
        const quint64 bad = tasks.track(controller.run(
            Task::modelFree(QStringLiteral("bad"), [](const lx::ProgressFn&, const lx::CancelToken&) -> QVariant {
                throw lx::Error("class 7 out of range");
            })));
        TaskHandle* slowTask = controller.run(
            Task::modelFree(QStringLiteral("slow"), [](const lx::ProgressFn&, const lx::CancelToken& cancel) {
                for (int i = 0; i < 6000 && !cancel.cancelled(); ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                if (cancel.cancelled())
                    throw lx::Cancelled();
                return QVariant(1);
            }));
        const QPointer<TaskHandle> slowHandle = slowTask;
        const quint64 slow = tasks.track(slowTask);
        QVERIFY(controller.isActive(id));
        const auto ready = [&] { return tasks.ends(QStringLiteral("ready")); };
        const auto failed = [&] { return tasks.ends(QStringLiteral("failed")); };
        const auto cancelled = [&] { return tasks.ends(QStringLiteral("cancelled")); };
        QVERIFY(QTest::qWaitFor([&] { return !ready().isEmpty() && !failed().isEmpty(); }, kTimeoutMs));
        QVERIFY(slowHandle); // still running
        slowHandle->cancel();
        QVERIFY(QTest::qWaitFor([&] { return !cancelled().isEmpty(); }, kTimeoutMs));
        QCOMPARE(ready().size(), 1);
        QCOMPARE(ready().first().id, id);
        QCOMPARE(ready().first().result.toInt(), 42); // ran off the UI thread
        QCOMPARE(tasks.progress().size(), 2);
        QCOMPARE(tasks.progress().last().id, id);
        QCOMPARE(tasks.progress().last().done, 3);
        QCOMPARE(failed().first().id, bad);
        QCOMPARE(tasks.error(bad), QStringLiteral("class 7 out of range"));
        QCOMPARE(cancelled().first().id, slow);
        QCOMPARE(controller.activeTaskCount(), 0);
    }

    void latestFreeTasksCoalescePerKey()
    {
        // Interactive model-free tasks coalesce per key like latest tasks on the model, with no model
        // loaded: a burst computes far fewer than it posts, never steps back in time, and ends with the newest.
        ComputeController controller(1, nullptr);
        TaskRecorder tasks;
        std::atomic<int> computed{0};
        auto bodyFor = [&computed](int value) {
            return [&computed, value](const lx::ProgressFn&, const lx::CancelToken&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                ++computed;
                return QVariant(value);
            };
        };
        quint64 lastSeq = 0;
        for (int i = 0; i < 200; ++i)
            lastSeq = tasks.track(
                controller.run(Task::modelFree(QStringLiteral("render"), bodyFor(i)).latest(QStringLiteral("cgn"))));
        const quint64 otherSeq = tasks.track(
            controller.run(Task::modelFree(QStringLiteral("grid"), bodyFor(-1)).latest(QStringLiteral("grid"))));
        QVERIFY(QTest::qWaitFor([&] { return tasks.ended(lastSeq) && tasks.ended(otherSeq); }, kTimeoutMs));
        QCOMPARE(tasks.outcome(lastSeq), QStringLiteral("ready"));
        QCOMPARE(tasks.outcome(otherSeq), QStringLiteral("ready"));
        QTest::qWait(100);
        quint64 previous = 0;
        int last = -2;
        for (const TaskRecorder::End& end : tasks.ends(QStringLiteral("ready"))) {
            if (end.key != QStringLiteral("cgn")) {
                QCOMPARE(end.result.toInt(), -1);
                continue;
            }
            QVERIFY(end.id > previous);
            previous = end.id;
            last = end.result.toInt();
        }
        QCOMPARE(last, 199);
        QVERIFY(tasks.waitAll());
        QCOMPARE(tasks.extraEnds(), 0);
        QVERIFY(tasks.ends(QStringLiteral("failed")).isEmpty());
        QVERIFY2(computed.load() < 100, qPrintable(QStringLiteral("computed %1 of 201").arg(computed.load())));
    }

    void destroysWhileBusy()
    {
        // Destroying the controller with work pending must join the thread without crashing.
        auto controller = std::make_unique<ComputeController>(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(*controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        const Session session = HybridTasks::newSession();
        for (int i = 0; i < 20; ++i)
            requestHybrid(*controller, session, 2, {0}, i, i + 1, summary.generation);
        controller.reset();
    }
};

QTEST_MAIN(TestComputeWorker)
#include "test_ComputeWorker.moc"
