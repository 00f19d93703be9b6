// lx::ui::ComputeWorker and ComputeController: model loading on the worker thread, coalescing of
// interactive requests (newest wins, frames in request order), and errors that leave the previous model.
#include "ui/compute/ComputeController.h"
#include "ui/compute/ComputeWorker.h"

#include "UiTestSupport.h"

#include "lx/Error.h"
#include "lx/Model.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using lx::ui::ComputeController;
using lx::ui::ComputeWorker;
using lx::ui::HybridFrame;
using lx::ui::ModelSummary;
using namespace lx::ui::test;

namespace {

// Posts one request and waits for its frame.
bool requestAndWait(ComputeController& controller, const ModelSummary& summary, int layer, const QVector<int>& channels,
                    quint64 seed1, quint64 seed2, HybridFrame& frame)
{
    QSignalSpy frames(&controller, &ComputeController::frameReady);
    const quint64 seq = controller.requestHybrid(layer, channels, seed1, seed2, summary.generation);
    const bool arrived = QTest::qWaitFor(
        [&] { return !frames.isEmpty() && frames.last().first().value<HybridFrame>().seq == seq; }, kTimeoutMs);
    if (arrived)
        frame = frames.last().first().value<HybridFrame>();
    return arrived;
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
        HybridFrame none;
        QVERIFY(requestAndWait(controller, summary, 2, {}, 11, 22, none));
        QVERIFY(!none.x1.isNull());
        QVERIFY(none.x1 != none.x2);
        QCOMPARE(none.hybrid, none.x1);
        QCOMPARE(none.layer, 2);
        QCOMPARE(none.channelCount, qint64(6));
        QCOMPARE(none.channelThumbnails.size(), 6);
        QCOMPARE(none.channelThumbnails.first().size(), QSize(2, 2));
        QVERIFY(!none.prefixCached);

        HybridFrame all;
        QVERIFY(requestAndWait(controller, summary, 2, range(0, 6), 11, 22, all));
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

        // Everything the worker emits, in emission order (queued to this thread, order kept).
        QVector<quint64> emitted;
        QObject context;
        connect(controller.worker(), &ComputeWorker::frameReady, &context,
                [&emitted](const HybridFrame& f) { emitted << f.seq; });
        QSignalSpy delivered(&controller, &ComputeController::frameReady);
        QSignalSpy failures(&controller, &ComputeController::computeFailed);
        const int computedBefore = controller.worker()->computedCount();

        quint64 last = 0;
        QVector<int> lastChannels;
        for (int i = 0; i < 100; ++i) {
            lastChannels = range(0, 1 + i % channels);
            last = controller.requestHybrid(layer, lastChannels, 100 + i, 1000 + i, summary.generation);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty() && delivered.last().first().value<HybridFrame>().seq == last,
                                 kTimeoutMs);
        QTest::qWait(100); // anything else still on its way would show up now

        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0).value(0).toString()));
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
        QCOMPARE(controller.lastDeliveredSeq(), last);

        // The coalesced answer is the answer to the newest request.
        const HybridFrame burst = delivered.last().first().value<HybridFrame>();
        HybridFrame again;
        QVERIFY(requestAndWait(controller, summary, layer, lastChannels, 199, 1099, again));
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

        QVector<quint64> emitted;
        QObject context;
        connect(controller.worker(), &ComputeWorker::frameReady, &context,
                [&emitted](const HybridFrame& f) { emitted << f.seq; });
        const int computedBefore = controller.worker()->computedCount();
        const int droppedBefore = controller.worker()->droppedCount();

        constexpr int kPosts = 300;
        ComputeWorker* worker = controller.worker();
        std::thread poster([worker, layer, channels, generation = summary.generation] {
            for (int i = 1; i <= kPosts; ++i) {
                lx::ui::HybridRequest request;
                request.seq = static_cast<quint64>(i);
                request.layer = layer;
                request.channels = range(0, 1 + i % channels);
                request.seed1 = static_cast<quint64>(i);
                request.seed2 = static_cast<quint64>(i + 1);
                request.modelGeneration = generation;
                worker->postHybrid(request);
                std::this_thread::sleep_for(std::chrono::microseconds(500));
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(!emitted.isEmpty() && emitted.last() == kPosts, kTimeoutMs);
        poster.join();
        QTest::qWait(100);

        QCOMPARE(emitted.last(), quint64(kPosts));
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
            QVERIFY(requestAndWait(controller, summary, 2, {0, 1}, 5, 6, frame));
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
        QSignalSpy failures(&controller, &ComputeController::computeFailed);
        controller.requestHybrid(2, {0, 99}, 1, 2, summary.generation); // channel out of range
        QVERIFY(failures.wait(kTimeoutMs));
        QVERIFY(!failures.first().first().toString().contains(QLatin1Char('\n')));
        controller.requestHybrid(42, {}, 1, 2, summary.generation); // layer out of range
        QVERIFY(failures.wait(kTimeoutMs));

        // Requests made for another model are dropped silently.
        QSignalSpy frames(&controller, &ComputeController::frameReady);
        controller.requestHybrid(2, {}, 1, 2, summary.generation + 7);
        QTest::qWait(300);
        QCOMPARE(frames.size(), 0);
        HybridFrame frame;
        QVERIFY(requestAndWait(controller, summary, 2, {}, 1, 2, frame));
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
        QVERIFY(requestAndWait(controller, summary, 0, range(0, 200), 3, 4, frame));
        QCOMPARE(frame.x1.size(), QSize(28, 28));
        QCOMPARE(frame.x1.format(), QImage::Format_Grayscale8);
        QCOMPARE(frame.channelThumbnails.size(),
                 400 < ComputeWorker::kMaxThumbnails ? 400 : ComputeWorker::kMaxThumbnails);
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
        QVERIFY(requestAndWait(controller, summary, -1, {}, 1, 2, frame));
        QCOMPARE(frame.x1.size(), QSize(4, 4));
        QVERIFY(!frame.x2.isNull());
        QVERIFY(frame.hybrid.isNull());
        QCOMPARE(frame.layer, -1);
    }

    void requestsWithoutModelFail()
    {
        ComputeController controller(1, nullptr);
        QSignalSpy failures(&controller, &ComputeController::computeFailed);
        controller.requestHybrid(0, {}, 1, 2);
        QVERIFY(failures.wait(kTimeoutMs));
        QVERIFY(failures.first().first().toString().contains(QStringLiteral("no model")));
    }

    void taskRunsOnTheModelAndReports()
    {
        // A generic batch task gets the loaded model on the worker thread, reports progress and ends in
        // taskReady with its QVariant result.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        QSignalSpy ready(&controller, &ComputeController::taskReady);
        QSignalSpy progress(&controller, &ComputeController::jobProgress);
        const QThread* uiThread = QThread::currentThread();
        const quint64 id = controller.startTask(
            QStringLiteral("test"),
            [uiThread](lx::Model& model, const lx::ProgressFn& report, const lx::CancelToken&) {
                report(1, 2);
                report(2, 2);
                const bool offUiThread = QThread::currentThread() != uiThread;
                return QVariant(
                    QStringLiteral("%1 layers, off ui thread: %2").arg(model.layers().size()).arg(offUiThread));
            },
            summary.generation);
        QVERIFY(controller.isJobActive(id));
        QVERIFY(ready.wait(kTimeoutMs));
        QCOMPARE(ready.first().at(0).toULongLong(), id);
        QCOMPARE(ready.first().at(1).toString(), QStringLiteral("6 layers, off ui thread: 1"));
        QCOMPARE(progress.size(), 2); // the first and the last call always pass the throttle
        QCOMPARE(progress.last().at(1).toLongLong(), 2);
        QVERIFY(!controller.isJobActive(id));
    }

    void taskCancelsAndFails()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        QSignalSpy cancelled(&controller, &ComputeController::jobCancelled);
        QSignalSpy failed(&controller, &ComputeController::jobFailed);
        QSignalSpy ready(&controller, &ComputeController::taskReady);
        // Polls its token until the UI cancels it.
        const quint64 slow = controller.startTask(QStringLiteral("slow"),
                                                  [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken& cancel) {
                                                      for (int i = 0; i < 6000 && !cancel.cancelled(); ++i)
                                                          std::this_thread::sleep_for(std::chrono::milliseconds(5));
                                                      if (cancel.cancelled())
                                                          throw lx::Cancelled();
                                                      return QVariant(1);
                                                  });
        const quint64 bad = controller.startTask(
            QStringLiteral("bad"), [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) -> QVariant {
                throw lx::Error("dimension 7 out of range");
            });
        // Made for a model generation that is not loaded: refused with a message.
        const quint64 stale = controller.startTask(
            QStringLiteral("stale"),
            [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) { return QVariant(1); },
            summary.generation + 1);
        QTest::qWait(50);
        controller.cancelJob(slow);
        QVERIFY(QTest::qWaitFor([&] { return cancelled.size() == 1 && failed.size() == 2; }, kTimeoutMs));
        QCOMPARE(cancelled.first().first().toULongLong(), slow);
        QCOMPARE(failed.at(0).at(0).toULongLong(), bad);
        QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("dimension 7 out of range"));
        QCOMPARE(failed.at(1).at(0).toULongLong(), stale);
        QVERIFY(failed.at(1).at(1).toString().contains(QStringLiteral("another model")));
        QVERIFY(ready.isEmpty());
        QCOMPARE(controller.activeJobCount(), 0);
    }

    void latestTasksCoalescePerKey()
    {
        // A burst of interactive tasks under one key computes far fewer than it posts, never delivers
        // an older result after a newer one, and always ends with the newest; another key is kept apart.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        QSignalSpy ready(&controller, &ComputeController::latestReady);
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
            lastSeq = controller.postLatest(QStringLiteral("a"), QStringLiteral("burst"), bodyFor(i));
        const quint64 otherSeq = controller.postLatest(QStringLiteral("b"), QStringLiteral("other"), bodyFor(-1));
        QVERIFY(QTest::qWaitFor(
            [&] {
                bool a = false, b = false;
                for (const auto& args : ready) {
                    a = a || args.at(1).toULongLong() == lastSeq;
                    b = b || args.at(1).toULongLong() == otherSeq;
                }
                return a && b;
            },
            kTimeoutMs));
        QTest::qWait(100); // nothing may arrive after the newest
        quint64 previousA = 0;
        int lastA = -2;
        for (const auto& args : ready) {
            if (args.at(0).toString() != QStringLiteral("a")) {
                QCOMPARE(args.at(2).toInt(), -1);
                continue;
            }
            QVERIFY(args.at(1).toULongLong() > previousA);
            previousA = args.at(1).toULongLong();
            lastA = args.at(2).toInt();
        }
        QCOMPARE(lastA, 199);
        QVERIFY2(computed.load() < 100, qPrintable(QStringLiteral("computed %1 of 201").arg(computed.load())));
    }

    void latestResultOvertakenWhileComputingIsStillShown()
    {
        // A task whose key gets a newer request while it computes is delivered anyway (it is newer
        // than anything shown), then the newer one: a slider drag over a slow view keeps updating.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        QSignalSpy ready(&controller, &ComputeController::latestReady);
        std::atomic<bool> started{false}, newerPosted{false};
        const int supersededBefore = controller.worker()->supersededCount();
        const quint64 first = controller.postLatest(QStringLiteral("k"), QStringLiteral("slow"),
                                                    [&](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) {
                                                        started = true;
                                                        while (!newerPosted)
                                                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                                                        return QVariant(1);
                                                    });
        QVERIFY(QTest::qWaitFor([&] { return started.load(); }, kTimeoutMs));
        const quint64 second = controller.postLatest(
            QStringLiteral("k"), QStringLiteral("slow"),
            [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) { return QVariant(2); });
        newerPosted = true;
        QVERIFY(QTest::qWaitFor([&] { return ready.size() == 2; }, kTimeoutMs));
        QCOMPARE(ready.at(0).at(1).toULongLong(), first);
        QCOMPARE(ready.at(0).at(2).toInt(), 1);
        QCOMPARE(ready.at(1).at(1).toULongLong(), second);
        QCOMPARE(ready.at(1).at(2).toInt(), 2);
        QCOMPARE(controller.worker()->supersededCount() - supersededBefore, 1);
    }

    void latestTaskErrorsArriveAsMessages()
    {
        ComputeController controller(1, nullptr);
        QSignalSpy failed(&controller, &ComputeController::latestFailed);
        controller.postLatest(QStringLiteral("k"), QStringLiteral("decode"),
                              [](lx::Model&, const lx::ProgressFn&, const lx::CancelToken&) { return QVariant(); });
        QVERIFY(failed.wait(kTimeoutMs));
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("k"));
        QVERIFY(failed.first().at(2).toString().contains(QStringLiteral("no model")));
    }

    void outOfMemoryBecomesAMessage()
    {
        // A task that asks for more memory than the machine has (a 1 TiB latent batch: the allocation
        // throws std::bad_alloc, as any out-of-memory in the worker does) fails with a message in words,
        // and the worker goes on serving the same model.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        HybridFrame before;
        QVERIFY(requestAndWait(controller, summary, summary.defaultLayer(), {0}, 5, 6, before));
        QSignalSpy failed(&controller, &ComputeController::jobFailed);
        const quint64 id = controller.startTask(QStringLiteral("huge"),
                                                [](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken&) {
                                                    const lx::Array z({int64_t(1) << 38, 1}); // 2^38 floats = 1 TiB
                                                    return QVariant(static_cast<qlonglong>(model.generate(z).numel()));
                                                });
        QVERIFY(failed.wait(kTimeoutMs));
        QCOMPARE(failed.first().at(0).toULongLong(), id);
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.startsWith(QStringLiteral("out of memory")), qPrintable(message));
        HybridFrame after;
        QVERIFY(requestAndWait(controller, summary, summary.defaultLayer(), {0}, 5, 6, after));
        QCOMPARE(after.hybrid, before.hybrid);
        QCOMPARE(after.x1, before.x1);
    }

    void freeTaskRunsWithoutModel()
    {
        // A model-free task runs on the worker thread with no model loaded, reports progress and ends in
        // taskReady; a failing or cancelled one ends like any job.
        ComputeController controller(1, nullptr);
        QSignalSpy ready(&controller, &ComputeController::taskReady);
        QSignalSpy progress(&controller, &ComputeController::jobProgress);
        QSignalSpy failed(&controller, &ComputeController::jobFailed);
        QSignalSpy cancelled(&controller, &ComputeController::jobCancelled);
        const QThread* uiThread = QThread::currentThread();
        const quint64 id = controller.startFreeTask(QStringLiteral("free"),
                                                    [uiThread](const lx::ProgressFn& report, const lx::CancelToken&) {
                                                        report(1, 3);
                                                        report(3, 3);
                                                        return QVariant(QThread::currentThread() != uiThread ? 42 : -1);
                                                    });
        const quint64 bad = controller.startFreeTask(
            QStringLiteral("bad"),
            [](const lx::ProgressFn&, const lx::CancelToken&) -> QVariant { throw lx::Error("class 7 out of range"); });
        const quint64 slow =
            controller.startFreeTask(QStringLiteral("slow"), [](const lx::ProgressFn&, const lx::CancelToken& cancel) {
                for (int i = 0; i < 6000 && !cancel.cancelled(); ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                if (cancel.cancelled())
                    throw lx::Cancelled();
                return QVariant(1);
            });
        QVERIFY(controller.isJobActive(id));
        QVERIFY(QTest::qWaitFor([&] { return !ready.isEmpty() && !failed.isEmpty(); }, kTimeoutMs));
        controller.cancelJob(slow);
        QVERIFY(QTest::qWaitFor([&] { return !cancelled.isEmpty(); }, kTimeoutMs));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.first().at(0).toULongLong(), id);
        QCOMPARE(ready.first().at(1).toInt(), 42); // ran off the UI thread
        QCOMPARE(progress.size(), 2);
        QCOMPARE(progress.last().at(0).toULongLong(), id);
        QCOMPARE(progress.last().at(1).toLongLong(), 3);
        QCOMPARE(failed.first().at(0).toULongLong(), bad);
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("class 7 out of range"));
        QCOMPARE(cancelled.first().first().toULongLong(), slow);
        QCOMPARE(controller.activeJobCount(), 0);
    }

    void latestFreeTasksCoalescePerKey()
    {
        // Interactive model-free tasks coalesce per key like postLatest, with no model loaded: a burst
        // computes far fewer than it posts, never steps back in time, and ends with the newest.
        ComputeController controller(1, nullptr);
        QSignalSpy ready(&controller, &ComputeController::latestReady);
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
            lastSeq = controller.postLatestFree(QStringLiteral("cgn"), QStringLiteral("render"), bodyFor(i));
        const quint64 otherSeq = controller.postLatestFree(QStringLiteral("grid"), QStringLiteral("grid"), bodyFor(-1));
        QVERIFY(QTest::qWaitFor(
            [&] {
                bool a = false, b = false;
                for (const auto& args : ready) {
                    a = a || args.at(1).toULongLong() == lastSeq;
                    b = b || args.at(1).toULongLong() == otherSeq;
                }
                return a && b;
            },
            kTimeoutMs));
        QTest::qWait(100);
        quint64 previous = 0;
        int last = -2;
        for (const auto& args : ready) {
            if (args.at(0).toString() != QStringLiteral("cgn")) {
                QCOMPARE(args.at(2).toInt(), -1);
                continue;
            }
            QVERIFY(args.at(1).toULongLong() > previous);
            previous = args.at(1).toULongLong();
            last = args.at(2).toInt();
        }
        QCOMPARE(last, 199);
        QVERIFY2(computed.load() < 100, qPrintable(QStringLiteral("computed %1 of 201").arg(computed.load())));
    }

    void destroysWhileBusy()
    {
        // Destroying the controller with work pending must join the thread without crashing.
        auto controller = std::make_unique<ComputeController>(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(*controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        for (int i = 0; i < 20; ++i)
            controller->requestHybrid(2, {0}, i, i + 1, summary.generation);
        controller.reset();
    }
};

QTEST_MAIN(TestComputeWorker)
#include "test_ComputeWorker.moc"
