// Influence and module tasks on the compute worker (InfluenceTasks, ModuleTasks, TaskHandle::cancel):
// results agree with lx::InfluenceEngine on the pair contract, queued jobs can be cancelled, errors
// arrive as one line, progress is throttled; plus the InfluenceCache and the colour ramp.
#include "lx/InfluenceEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "ui/widgets/ColorMap.h"
#include "ui/compute/ComputeController.h"
#include "ui/compute/Task.h"
#include "ui/compute/TaskHandle.h"
#include "ui/influence/InfluenceCache.h"
#include "ui/influence/InfluenceTasks.h"
#include "ui/modules/ModuleTasks.h"

#include "UiTestSupport.h"

#include <QtTest>

#include <set>

using lx::ui::ComputeController;
using lx::ui::InfluenceResult;
using lx::ui::ModelSummary;
using lx::ui::ModulesJob;
using lx::ui::ModulesResult;
using lx::ui::TaskHandle;
using namespace lx::ui::test;

namespace {

// Records how every task it was given ended: "ready", "cancelled" or "failed: <error>" (TaskRecorder),
// with the results as influence maps or modules.
class JobRecorder : public TaskRecorder {
public:
    InfluenceResult influence(quint64 id) const { return value<InfluenceResult>(id); }
    ModulesResult modules(quint64 id) const { return value<ModulesResult>(id); }
};

TaskHandle* startInfluence(ComputeController& controller, int layer, int pairs, quint64 firstSeed,
                           quint64 modelGeneration = 0)
{
    lx::ui::InfluenceJob job;
    job.layer = layer;
    job.pairs = pairs;
    job.firstSeed = firstSeed;
    job.modelGeneration = modelGeneration;
    return lx::ui::InfluenceTasks::start(controller, job);
}

TaskHandle* startModules(ComputeController& controller, const ModulesJob& job)
{
    return controller.run(lx::ui::Task::modelFree(QStringLiteral("modules"), lx::ui::ModuleTasks::modulesTask(job)));
}

ModulesJob twoGroupJob(lx::ui::ModuleMethod method)
{
    // Four 2x2 maps: channels 0, 1 light the left column, 2, 3 the right one.
    ModulesJob job;
    job.method = method;
    job.k = 2;
    job.sigma = 0.0;
    job.channels = 4;
    job.height = 2;
    job.width = 2;
    job.maps = {1.0f, 0.0f, 0.9f, 0.0f, 2.0f, 0.0f, 1.8f, 0.1f, 0.0f, 1.0f, 0.0f, 1.1f, 0.1f, 3.0f, 0.0f, 2.9f};
    return job;
}

} // namespace

class TestBatchJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { lx::ui::registerWorkerTypes(); }

    void influenceFollowsThePairContract()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("tiny_gen.pt"));
        QVERIFY(loadModel(controller, path, summary));
        JobRecorder jobs;
        const quint64 id = jobs.track(startInfluence(controller, 2, 5, 100, summary.generation));
        QVERIFY(id != 0);
        QVERIFY(controller.isActive(id));
        QCOMPARE(jobs.wait(id), QStringLiteral("ready"));
        const InfluenceResult result = jobs.influence(id);
        QVERIFY(!controller.isActive(id));
        const auto progress = jobs.progress(id);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().done, progress.last().total); // done == total
        QCOMPARE(result.layer, 2);
        QCOMPARE(result.pairs, 5);
        QCOMPARE(result.firstSeed, quint64(100));
        QCOMPARE(result.modelGeneration, summary.generation);
        QCOMPARE(result.channels, 6);
        QCOMPARE(result.totals.size(), 6);

        // The same numbers as the core engine on latents of seeds 100..109, pair i = (z[i], z[5 + i]).
        auto model = lx::Model::load(path.toStdString());
        const lx::LatentSampler sampler(model->card().latentShape);
        const lx::Array z = sampler.sample(lx::LatentSampler::seedRange(100, 10));
        const lx::Array eim = lx::InfluenceEngine::elementaryMaps(*model, 2, z);
        QCOMPARE(static_cast<qint64>(result.maps.size()), static_cast<qint64>(eim.numel()));
        QCOMPARE(result.plane() * result.channels, eim.numel());
        for (qint64 i = 0; i < eim.numel(); ++i)
            QVERIFY(qAbs(result.maps[i] - eim.ptr()[i]) <= 1e-5f * (1.0f + qAbs(eim.ptr()[i])));
    }

    void influenceOfAClassConditionalModel()
    {
        // graph_cond_dcgan (4 classes): pair i takes class (firstSeed + i) mod 4 on both sides.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("graph_cond_dcgan.pt"));
        QVERIFY(loadModel(controller, path, summary));
        QCOMPARE(summary.classNames, (QStringList{"a", "b", "c", "d"}));
        const int layer = summary.layerNames.indexOf(QStringLiteral("main.3"));
        JobRecorder jobs;
        const quint64 id = jobs.track(startInfluence(controller, layer, 6, 7, summary.generation));
        QCOMPARE(jobs.wait(id), QStringLiteral("ready"));
        const InfluenceResult result = jobs.influence(id);

        auto model = lx::Model::load(path.toStdString());
        const lx::Array z = lx::LatentSampler(model->card().latentShape).sample(lx::LatentSampler::seedRange(7, 12));
        const lx::Array classes({12}, {3, 0, 1, 2, 3, 0, 3, 0, 1, 2, 3, 0}); // 7..12 mod 4, twice
        const lx::Array eim = lx::InfluenceEngine::elementaryMaps(*model, layer, z, classes, {});
        QCOMPARE(static_cast<qint64>(result.maps.size()), static_cast<qint64>(eim.numel()));
        for (qint64 i = 0; i < eim.numel(); ++i)
            QVERIFY(qAbs(result.maps[i] - eim.ptr()[i]) <= 1e-5f * (1.0f + qAbs(eim.ptr()[i])));
    }

    void queuedJobCanBeCancelled()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        JobRecorder jobs;
        TaskHandle* firstTask = startInfluence(controller, 2, 64, 0, summary.generation);
        TaskHandle* secondTask = startInfluence(controller, 1, 64, 0, summary.generation);
        const quint64 first = jobs.track(firstTask);
        const quint64 second = jobs.track(secondTask);
        // Kept past their end (the controller deletes the handles then: the pointers turn null).
        const QPointer<TaskHandle> firstHandle = firstTask;
        const QPointer<TaskHandle> secondHandle = secondTask;
        QCOMPARE(controller.activeTaskCount(), 2);
        secondTask->cancel(); // still queued behind the first
        QCOMPARE(jobs.wait(second), QStringLiteral("cancelled"));
        QCOMPARE(jobs.wait(first), QStringLiteral("ready"));
        QCOMPARE(controller.activeTaskCount(), 0);
        QCOMPARE(jobs.extraEnds(), 0);
        // A finished task's handle is no longer active (a cancel() would be a no-op), then goes away.
        QTRY_VERIFY(!firstHandle || !firstHandle->isActive());
        if (firstHandle)
            firstHandle->cancel(); // ended: a no-op
        QTRY_VERIFY(!firstHandle && !secondHandle);
        QVERIFY(!controller.isActive(first));
        QVERIFY(!controller.isActive(12345)); // unknown
        QTest::qWait(50);
        QCOMPARE(jobs.outcome(first), QStringLiteral("ready")); // the no-op changed nothing
        QCOMPARE(jobs.extraEnds(), 0);
    }

    void progressIsThrottled()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        JobRecorder jobs;
        const quint64 id = jobs.track(startInfluence(controller, 2, 4096, 0, summary.generation)); // 256 steps
        QCOMPARE(jobs.wait(id), QStringLiteral("ready"));
        // Behaviour, not timing (bench_storm reports the rates): the first and the last step are reported,
        // in order, never more than once each and never all 256 (the worker throttles to ~20 a second).
        const QVector<TaskRecorder::Progress>& progress = jobs.progress();
        QVERIFY(!progress.isEmpty());
        const long long steps = progress.last().total;
        qInfo("%lld progress signals for %lld steps", static_cast<long long>(progress.size()), steps);
        QVERIFY(progress.size() >= 2);
        QVERIFY(progress.size() < steps);
        QCOMPARE(progress.last().done, steps);
        long long previous = 0;
        for (const TaskRecorder::Progress& p : progress) {
            QCOMPARE(p.id, id);
            QVERIFY(p.done > previous); // strictly increasing: no step twice
            QCOMPARE(p.total, steps);
            previous = p.done;
        }
    }

    void badJobsFailWithOneLine()
    {
        ComputeController controller(1, nullptr);
        JobRecorder jobs;
        const quint64 none = jobs.track(startInfluence(controller, 0, 4, 0));
        QCOMPARE(jobs.wait(none), QStringLiteral("failed: no model loaded"));

        ModelSummary summary;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("tiny_gen.pt")), summary));
        const QString badLayer = jobs.wait(jobs.track(startInfluence(controller, 99, 4, 0)));
        QVERIFY2(badLayer.startsWith(QStringLiteral("failed: layer index 99")), qPrintable(badLayer));
        const QString badPairs = jobs.wait(jobs.track(startInfluence(controller, 2, 0, 0)));
        QVERIFY2(badPairs.startsWith(QStringLiteral("failed: pairs")), qPrintable(badPairs));
        const QString stale = jobs.wait(jobs.track(startInfluence(controller, 2, 4, 0, summary.generation + 1)));
        QVERIFY2(stale.contains(QStringLiteral("another model")), qPrintable(stale));

        ModulesJob job = twoGroupJob(lx::ui::ModuleMethod::Nmf);
        job.k = 5;
        const QString tooMany = jobs.wait(jobs.track(startModules(controller, job)));
        QVERIFY2(tooMany.startsWith(QStringLiteral("failed: K must lie in 1..4")), qPrintable(tooMany));
        QVERIFY(!tooMany.contains(QLatin1Char('\n')));
    }

    void modulesGroupChannels_data()
    {
        QTest::addColumn<int>("method");
        QTest::newRow("nmf") << static_cast<int>(lx::ui::ModuleMethod::Nmf);
        QTest::newRow("kmeans") << static_cast<int>(lx::ui::ModuleMethod::KMeans);
    }

    void modulesGroupChannels()
    {
        QFETCH(int, method);
        ComputeController controller(1, nullptr); // module jobs need no model
        JobRecorder jobs;
        const quint64 id = jobs.track(startModules(controller, twoGroupJob(static_cast<lx::ui::ModuleMethod>(method))));
        QCOMPARE(jobs.wait(id), QStringLiteral("ready"));
        const ModulesResult result = jobs.modules(id);
        QCOMPARE(result.k, 2);
        QCOMPARE(result.assignment.size(), 4);
        QCOMPARE(result.assignment[0], result.assignment[1]);
        QCOMPARE(result.assignment[2], result.assignment[3]);
        QVERIFY(result.assignment[0] != result.assignment[2]);
        QCOMPARE(result.templates.size(), 2 * 4);
        QCOMPARE(result.moduleMaps.size(), 2 * 4);
        QVERIFY(result.iterations > 0);
        // The module map is the mean of its members' maps.
        const int left = result.assignment[0];
        QCOMPARE(result.members(left), (QVector<int>{0, 1}));
        QCOMPARE(result.moduleMaps[left * 4 + 0], 1.5f);
        QCOMPARE(result.moduleMaps[left * 4 + 2], 1.35f);
        QCOMPARE(lx::ui::methodName(result.method), method == 0 ? QStringLiteral("NMF") : QStringLiteral("k-means"));
    }

    void cacheKeepsRecentResults()
    {
        lx::ui::InfluenceCache cache(3, 1000);
        const auto make = [](int layer, int pairs, int floats) {
            InfluenceResult r;
            r.modelPath = QStringLiteral("m.pt");
            r.layer = layer;
            r.pairs = pairs;
            r.channels = 1;
            r.maps = QVector<float>(floats, 1.0f);
            return r;
        };
        cache.insert(make(1, 64, 10));
        cache.insert(make(2, 64, 10));
        cache.insert(make(1, 128, 10));
        QCOMPARE(cache.size(), 3);
        QVERIFY(cache.find(QStringLiteral("m.pt"), 1, 64, 0));
        QVERIFY(!cache.find(QStringLiteral("other.pt"), 1, 64, 0));
        QVERIFY(!cache.find(QStringLiteral("m.pt"), 1, 64, 7));
        QCOMPARE(cache.latest(QStringLiteral("m.pt"), 1)->pairs, 64); // used most recently
        cache.insert(make(3, 64, 10)); // evicts the oldest: (2, 64)
        QCOMPARE(cache.size(), 3);
        QVERIFY(!cache.latest(QStringLiteral("m.pt"), 2));
        cache.insert(make(4, 64, 995)); // over the float budget: only the newest stays
        QCOMPARE(cache.size(), 1);
        QVERIFY(cache.latest(QStringLiteral("m.pt"), 4));
    }

    void magmaRampRunsDarkToLight()
    {
        using lx::ui::ColorMap;
        QCOMPARE(ColorMap::magma(0.0), QRgb(0xff000004));
        QCOMPARE(ColorMap::magma(1.0), QRgb(0xfffcfdbf));
        QCOMPARE(ColorMap::magma(-1.0), ColorMap::magma(0.0));
        QCOMPARE(ColorMap::magma(qQNaN()), ColorMap::magma(0.0));
        int previous = -1;
        for (int i = 0; i <= 100; ++i) {
            const int luma = qGray(ColorMap::magma(i / 100.0));
            QVERIFY2(luma >= previous, qPrintable(QStringLiteral("not monotone at %1").arg(i)));
            previous = luma;
        }
        const float values[4] = {0.0f, 1.0f, 2.0f, 4.0f};
        const QImage image = ColorMap::heatmap(values, 2, 2, 0.0, 4.0);
        QCOMPARE(image.size(), QSize(2, 2));
        QCOMPARE(image.pixel(0, 0), ColorMap::magma(0.0));
        QCOMPARE(image.pixel(1, 1), ColorMap::magma(1.0));
        QCOMPARE(image.pixel(0, 1), ColorMap::magma(0.5));
    }
};

QTEST_MAIN(TestBatchJobs)
#include "test_BatchJobs.moc"
