// The module assays of the GUI (Besserve et al.), offscreen, against core on analytic fixtures: the
// module hybrid grid (identities for no and all channels, a quadrant module), classifier robustness
// bars (quadrant generator + quadrant classifier), the consistency-over-K curve (computes, and cancels
// on a bigger model), and the real module influence maps of the modules panel.
#include "ui/compute/ComputeController.h"
#include "ui/modules/ConsistencyPanel.h"
#include "ui/hybrids/ChannelPanel.h"
#include "ui/influence/InfluencePanel.h"
#include "ui/influence/InfluenceTasks.h"
#include "ui/hybrids/LayerPanel.h"
#include "ui/shell/MainWindow.h"
#include "ui/modules/ModuleAssaysView.h"
#include "ui/modules/ConsistencyPlot.h"
#include "ui/modules/ModuleGridCanvas.h"
#include "ui/figure/FigureMenu.h"
#include "ui/modules/ModuleGridView.h"
#include "ui/modules/ModulePlot.h"
#include "ui/modules/ModuleTasks.h"
#include "ui/modules/ModulesPanel.h"
#include "ui/modules/RobustnessPlot.h"
#include "ui/modules/RobustnessView.h"
#include "ui/compute/TaskBar.h"

#include "lx/Classifier.h"
#include "lx/HybridGrid.h"
#include "lx/InfluenceEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/ModuleConsistency.h"
#include "lx/EimPreprocess.h"
#include "lx/RobustnessAssay.h"

#include "UiTestSupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QTabWidget>
#include <QTreeWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

#include <cmath>

using namespace lx::ui;
using namespace lx::ui::test;

namespace {

// Finishes the TaskBar's current task; true when it ended with a result.
bool waitForTask(TaskBar* bar)
{
    QSignalSpy finished(bar, &TaskBar::finished);
    if (!bar->isRunning())
        return false;
    if (!QTest::qWaitFor([&] { return !finished.isEmpty(); }, kTimeoutMs))
        return false;
    return finished.first().at(1).toBool();
}

std::unique_ptr<lx::Model> coreModel(const QString& path)
{
    return lx::Model::load(path.toStdString(), {lx::DeviceChoice::Cpu, 1});
}

// A modules result with this assignment (as the modules panel would give it).
ModulesResult modulesOf(const QVector<int>& assignment, int k)
{
    ModulesResult r;
    r.id = 1;
    r.k = k;
    r.assignment = assignment;
    return r;
}

// The influence maps of `layer` over `pairs` pairs from seed 0, computed on the worker.
InfluenceResult influenceOf(ComputeController& controller, int layer, int pairs, const QString& path,
                            quint64 generation)
{
    TaskRecorder tasks;
    lx::ui::InfluenceJob job;
    job.layer = layer;
    job.pairs = pairs;
    job.modelGeneration = generation;
    const quint64 id = tasks.track(lx::ui::InfluenceTasks::start(controller, job));
    if (tasks.wait(id) != QLatin1String("ready"))
        return {};
    InfluenceResult maps = tasks.value<InfluenceResult>(id);
    maps.modelPath = path;
    return maps;
}

} // namespace

class TestModuleAssays : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        registerWorkerTypes();
        registerModuleAssayTypes();
    }

    void parsing()
    {
        QVector<quint64> s;
        QString error;
        QVERIFY(ModuleTasks::parseSeeds(QStringLiteral("0-3, 7"), 32, &s, &error));
        QCOMPARE(s, (QVector<quint64>{0, 1, 2, 3, 7}));
        QVERIFY(!ModuleTasks::parseSeeds(QStringLiteral(""), 32, &s, &error));
        QVERIFY(!ModuleTasks::parseSeeds(QStringLiteral("0-40"), 32, &s, &error));
        QVERIFY(error.contains(QStringLiteral("at most 32")));
        QVERIFY(!ModuleTasks::parseSeeds(QStringLiteral("4-2"), 32, &s, &error));
        QVERIFY(!ModuleTasks::parseSeeds(QStringLiteral("x"), 32, &s, &error));
        QVector<int> c;
        QVERIFY(ModuleTasks::parseChannels(QStringLiteral("all"), 4, &c, &error));
        QCOMPARE(c, (QVector<int>{0, 1, 2, 3}));
        QVERIFY(ModuleTasks::parseChannels(QString(), 4, &c, &error));
        QVERIFY(c.isEmpty());
        QVERIFY(ModuleTasks::parseChannels(QStringLiteral("3, 1-2, 1"), 4, &c, &error));
        QCOMPARE(c, (QVector<int>{1, 2, 3}));
        QVERIFY(!ModuleTasks::parseChannels(QStringLiteral("4"), 4, &c, &error));
        QVERIFY(error.contains(QStringLiteral("out of range")));
    }

    void gridIdentities()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("dcgan_tutorial.pt"));
        QVERIFY(loadModel(controller, path, summary));
        ModuleGridView view(&controller, nullptr);
        view.resize(900, 700);
        view.show();
        view.setModel(summary);
        const int layer = summary.layerNames.indexOf(QStringLiteral("main.5"));
        QVERIFY(layer >= 0);
        // No modules yet: the only choice is a channel list, at any layer.
        QCOMPARE(view.moduleBox()->count(), 1);
        QVERIFY(view.channelsEdit()->isEnabled());
        view.layerBox()->setCurrentIndex(layer);
        view.rowsEdit()->setText(QStringLiteral("0-2"));
        view.colsEdit()->setText(QStringLiteral("10-13"));

        auto model = coreModel(path);
        const lx::LatentSampler sampler(model->card().latentShape);
        for (const QString& channels : {QString(), QStringLiteral("all")}) {
            view.channelsEdit()->setText(channels);
            QTest::mouseClick(view.computeButton(), Qt::LeftButton);
            QVERIFY(waitForTask(view.taskBar()));
            const ModuleGridData& data = view.result();
            QCOMPARE(data.rows(), 3);
            QCOMPARE(data.cols(), 4);
            QCOMPARE(int(data.request.channels.size()), channels.isEmpty() ? 0 : 256);
            for (int i = 0; i < 3; ++i) {
                for (int j = 0; j < 4; ++j) {
                    // Bit for bit: no channel gives the row's original, all channels the column's donor.
                    const lx::Array cell = data.grid.cell(i, j);
                    QCOMPARE(cell, channels.isEmpty() ? data.grid.originals.row(i) : data.grid.donors.row(j));
                    QCOMPARE(data.cell(i, j), channels.isEmpty() ? data.originals[i] : data.donors[j]);
                }
            }
            // The rows and columns are the seeds' own images.
            QVERIFY(lxtestMaxDiff(data.grid.originals, model->generate(sampler.sample({0, 1, 2}))) < 1e-5f);
            QVERIFY(lxtestMaxDiff(data.grid.donors, model->generate(sampler.sample({10, 11, 12, 13}))) < 1e-5f);
            QVERIFY(view.canvas()->hasData());
            QVERIFY(view.canvas()->tileSide() >= 16);
            QVERIFY(!view.canvas()->tileRect(3, 4).isEmpty());
            QVERIFY(view.headingText().contains(QStringLiteral("main.5")));
        }
        // Bad seeds say so and start nothing.
        view.rowsEdit()->setText(QStringLiteral("5-x"));
        QTest::mouseClick(view.computeButton(), Qt::LeftButton);
        QVERIFY(!view.taskBar()->isRunning());
        QVERIFY(view.headingText().startsWith(QStringLiteral("Seeds:")));
    }

    void gridOfAModule()
    {
        // Quadrant generator: module M2 = channels {2, 3} writes only to the top-right quadrant.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("quadrant_gen.pt"));
        QVERIFY(loadModel(controller, path, summary));
        ModuleGridView view(&controller, nullptr);
        view.setModel(summary);
        view.setModules(1, modulesOf({0, 0, 1, 1, 2, 2, 3, 3}, 4));
        QCOMPARE(view.moduleBox()->count(), 5); // M1..M4 and "Channels…"
        view.selectModuleByChannels({2, 3});
        QCOMPARE(view.moduleBox()->currentIndex(), 1);
        QCOMPARE(view.layerBox()->currentIndex(), 1);
        QVERIFY(!view.layerBox()->isEnabled()); // a module's layer is its own
        view.rowsEdit()->setText(QStringLiteral("0-1"));
        view.colsEdit()->setText(QStringLiteral("5-7"));
        view.compute();
        QVERIFY(waitForTask(view.taskBar()));
        const ModuleGridData& data = view.result();
        QCOMPARE(data.request.channels, (QVector<int>{2, 3}));
        auto model = coreModel(path);
        const lx::LatentSampler sampler({8});
        const lx::HybridGridResult want =
            lx::HybridGrid::compute(*model, 1, {2, 3}, sampler.sample({0, 1}), sampler.sample({5, 6, 7}));
        QVERIFY(lxtestMaxDiff(data.grid.hybrids, want.hybrids) < 1e-6f);
        QVERIFY(view.headingText().contains(QStringLiteral("M2")));
    }

    void gridOfAClassConditionalModel()
    {
        // graph_cond_dcgan (4 classes): rows of class 2, columns of class 3; the grid, its heading and
        // its figure spec carry the classes.
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("graph_cond_dcgan.pt"));
        QVERIFY(loadModel(controller, path, summary));
        ModuleGridView view(&controller, nullptr);
        view.show();
        view.setModel(summary);
        QVERIFY(view.rowClassBox()->isVisible());
        QCOMPARE(view.rowClassBox()->count(), 4);
        QCOMPARE(view.colClassBox()->currentIndex(), 1);
        view.rowClassBox()->setCurrentIndex(2);
        view.colClassBox()->setCurrentIndex(3);
        view.moduleBox()->setCurrentIndex(view.moduleBox()->count() - 1); // "Channels…"
        const int layer = static_cast<int>(summary.layerNames.indexOf(QStringLiteral("main.0")));
        view.layerBox()->setCurrentIndex(layer);
        view.channelsEdit()->setText(QStringLiteral("1, 7, 30"));
        view.rowsEdit()->setText(QStringLiteral("0-1"));
        view.colsEdit()->setText(QStringLiteral("5-7"));
        view.compute();
        QVERIFY(waitForTask(view.taskBar()));
        const ModuleGridData& data = view.result();
        QCOMPARE(data.request.rowClass, 2);
        QCOMPARE(data.request.colClass, 3);
        auto model = coreModel(path);
        const lx::LatentSampler sampler({16});
        const lx::HybridGridResult want =
            lx::HybridGrid::compute(*model, layer, {1, 7, 30}, sampler.sample({0, 1}), sampler.sample({5, 6, 7}), {},
                                    nullptr, lx::ClassInputs::of({2, 2}, {3, 3, 3}, false));
        QVERIFY(lxtestMaxDiff(data.grid.hybrids, want.hybrids) < 1e-6f);
        QVERIFY(
            lxtestMaxDiff(data.grid.originals, model->generate(sampler.sample({0, 1}), lx::Array({2}, {2.0f, 2.0f})))
            < 1e-6f);
        QVERIFY(view.headingText().contains(QStringLiteral("rows of class <b>c</b>, columns of class <b>d</b>")));
        const lx::FigureSpec spec = view.figureMenu()->specFor(QStringLiteral("grid.pdf"));
        QCOMPARE(spec.rowClasses, (std::vector<int>{2, 2}));
        QCOMPARE(spec.colClasses, (std::vector<int>{3, 3, 3}));
        QVERIFY(!spec.classFromDonor);

        // An unconditional model hides the class row and puts no classes in the spec.
        ModelSummary plain;
        QVERIFY(loadModel(controller, fixture(QStringLiteral("quadrant_gen.pt")), plain));
        view.setModel(plain);
        QVERIFY(!view.rowClassBox()->isVisible());
    }

    void robustnessBars()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("quadrant_gen.pt"));
        QVERIFY(loadModel(controller, path, summary));
        RobustnessView view(&controller, nullptr);
        view.resize(800, 500);
        view.show();
        view.setModel(summary);
        QVERIFY(view.classifierEdit()->text().isEmpty()); // no bundled classifier for this model
        QVERIFY(!view.runButton()->isEnabled()); // no modules yet
        view.setModules(1, modulesOf({0, 0, 1, 1, 2, 2, 3, 3}, 4));
        QVERIFY(!view.runButton()->isEnabled()); // no classifier yet
        view.classifierEdit()->setText(fixture(QStringLiteral("quadrant_clf.pt")));
        QVERIFY(view.runButton()->isEnabled());
        view.pairsBox()->setValue(40);
        view.seedBox()->setValue(3);
        QTest::mouseClick(view.runButton(), Qt::LeftButton);
        QVERIFY(waitForTask(view.taskBar()));
        QVERIFY(view.hasResult());

        // The bars are the core assay's fractions on the same pairs (seeds 3..82).
        auto model = coreModel(path);
        auto classifier = lx::Classifier::load(fixture(QStringLiteral("quadrant_clf.pt")).toStdString());
        const lx::RobustnessResult want =
            lx::RobustnessAssay::run(*model, *classifier, 1, {0, 0, 1, 1, 2, 2, 3, 3},
                                     lx::LatentSampler({8}).sample(lx::LatentSampler::seedRange(3, 80)));
        QVector<double> kept, donor, keptDiff, donorDiff;
        for (const lx::ModuleRobustness& m : want.modules) {
            kept << m.keptFraction();
            donor << m.donorFraction();
            keptDiff << m.keptFractionDiffering();
            donorDiff << m.donorFractionDiffering();
        }
        QCOMPARE(view.plot()->keptValues(), kept);
        QCOMPARE(view.plot()->donorValues(), donor);
        QCOMPARE(view.plot()->tickLabels().size(), 4);
        QVERIFY(view.plot()->tickLabels().first().startsWith(QStringLiteral("M1")));
        // Swapping one of four quadrants keeps the class of most hybrids, not all.
        for (double v : kept)
            QVERIFY(v > 0.5 && v < 1.0);
        view.differingBox()->setChecked(true);
        QCOMPARE(view.plot()->keptValues(), keptDiff);
        QCOMPARE(view.plot()->donorValues(), donorDiff);
        QVERIFY(view.summaryText().contains(QStringLiteral("same class")));

        // A classifier for other images fails with its reason, and the bars go.
        view.classifierEdit()->setText(fixture(QStringLiteral("wide_clf.pt")));
        view.run();
        QVERIFY(!waitForTask(view.taskBar()));
        QVERIFY2(view.taskBar()->statusText().contains(QStringLiteral("expects images [1, 8, 8]")),
                 qPrintable(view.taskBar()->statusText()));
        QVERIFY(view.plot()->keptValues().isEmpty());
    }

    void bundledClassifierIsProposed()
    {
        QCOMPARE(RobustnessView::defaultClassifierFor(defaultModel()),
                 sourceFile(QStringLiteral("models/fashion_classifier.pt")));
        QVERIFY(RobustnessView::defaultClassifierFor(fixture(QStringLiteral("quadrant_gen.pt"))).isEmpty());
    }

    void moduleMapsAndConsistency()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("quadrant_gen.pt"));
        QVERIFY(loadModel(controller, path, summary));
        ModulesPanel panel(&controller, nullptr);
        panel.resize(400, 800);
        panel.show();
        const InfluenceResult maps = influenceOf(controller, 1, 32, path, summary.generation);
        QCOMPARE(maps.channels, 8);
        panel.setMaps(maps);
        panel.sigmaBox()->setValue(0.0);
        panel.kBox()->setValue(4);
        QSignalSpy found(&panel, &ModulesPanel::modulesForLayer);
        panel.findModules();
        QVERIFY(QTest::qWaitFor([&] { return !found.isEmpty() && found.last().at(1).value<ModulesResult>().k == 4; },
                                kTimeoutMs));
        QCOMPARE(found.last().at(0).toInt(), 1);

        // The module maps become the real group influence maps (the whole module swapped).
        QVERIFY(QTest::qWaitFor([&] { return panel.plot()->hasGroupMaps(); }, kTimeoutMs));
        QVERIFY(panel.plot()->mapsTitle().contains(QStringLiteral("whole module swapped, 32 pairs")));
        QVERIFY(!panel.groupMapsRunning());

        // Consistency over K: set B from seeds 64..127, as the CLI's `consistency` does.
        ConsistencyPanel* consistency = panel.consistencyPanel();
        QVERIFY(consistency->computeButton()->isEnabled());
        consistency->kMinBox()->setValue(2);
        consistency->kMaxBox()->setValue(6);
        QTest::mouseClick(consistency->computeButton(), Qt::LeftButton);
        QVERIFY(waitForTask(consistency->taskBar()));
        QVERIFY(consistency->hasResult());
        auto model = coreModel(path);
        const lx::Array a({8, 4, 4}, std::vector<float>(maps.maps.begin(), maps.maps.end()));
        const lx::Array b = lx::InfluenceEngine::elementaryMaps(
            *model, 1, lx::LatentSampler({8}).sample(lx::LatentSampler::seedRange(64, 64)));
        const auto want = lx::ModuleConsistency::curve(a, b.reshaped({8, 4, 4}), 2, 6, 0);
        const ConsistencyPlot* plot = consistency->plot();
        QCOMPARE(plot->ks(), (QVector<double>{2, 3, 4, 5, 6}));
        for (int i = 0; i < 5; ++i) {
            QVERIFY(std::fabs(plot->nmfValues()[i] - want[size_t(i)].nmf) < 1e-6);
            QVERIFY(std::fabs(plot->kmeansValues()[i] - want[size_t(i)].kmeans) < 1e-6);
        }
        // At the true K = 4 both sets give the four quadrants: the templates match exactly in shape.
        QVERIFY(plot->nmfValues()[2] > 0.99);
    }

    void consistencyLeavesFlatMapsUnsmoothed()
    {
        // A flat output (shown as 1x1x12): its influence maps are rows, which smoothing (spatial) leaves
        // alone, as module discovery and the CLI do. So the curve with sigma 2 is the curve of the raw
        // maps of both seed sets, computed here from the core engine.
        auto model = coreModel(fixture(QStringLiteral("flat_gen.pt")));
        const int pairs = 16;
        const lx::LatentSampler sampler(model->card().latentShape);
        const lx::Array a =
            lx::InfluenceEngine::elementaryMaps(*model, 0, sampler.sample(lx::LatentSampler::seedRange(0, 2 * pairs)));
        const lx::Array b = lx::InfluenceEngine::elementaryMaps(
            *model, 0, sampler.sample(lx::LatentSampler::seedRange(2 * pairs, 2 * pairs)));
        QCOMPARE(a.numel(), qint64(6 * 12));
        ConsistencyRequest request;
        request.layer = 0;
        request.pairs = pairs;
        request.mapsA = QVector<float>(a.data().begin(), a.data().end());
        request.channels = 6;
        request.height = 1;
        request.width = 12;
        request.sigma = 2.0;
        request.kMin = 2;
        request.kMax = 4;
        const ConsistencyData data = ModuleTasks::computeConsistency(*model, request, nullptr, nullptr);
        const auto want = lx::ModuleConsistency::curve(a.reshaped({6, 12}), b.reshaped({6, 12}), 2, 4, 0);
        QCOMPARE(data.points.size(), want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            QVERIFY(std::fabs(data.points[i].nmf - want[i].nmf) < 1e-6);
            QVERIFY(std::fabs(data.points[i].kmeans - want[i].kmeans) < 1e-6);
        }
    }

    void consistencyCancels()
    {
        ComputeController controller(1, nullptr);
        ModelSummary summary;
        const QString path = fixture(QStringLiteral("dcgan_tutorial.pt"));
        QVERIFY(loadModel(controller, path, summary));
        ModulesPanel panel(&controller, nullptr);
        // Maps "shown" for main.2 over many pairs: set B alone takes long enough to cancel.
        InfluenceResult maps;
        maps.modelPath = path;
        maps.modelGeneration = summary.generation;
        maps.layer = summary.layerNames.indexOf(QStringLiteral("main.2"));
        maps.pairs = 4096;
        maps.channels = 512;
        maps.height = 64;
        maps.width = 64;
        maps.maps.fill(0.5f, 512 * 64 * 64);
        maps.totals.fill(2048.0, 512);
        panel.setMaps(maps);
        ConsistencyPanel* consistency = panel.consistencyPanel();
        TaskRecorder tasks;
        QTest::mouseClick(consistency->computeButton(), Qt::LeftButton);
        QVERIFY(consistency->isRunning());
        QVERIFY(!consistency->computeButton()->isEnabled());
        const quint64 id = tasks.track(consistency->taskBar()->current());
        QVERIFY(id != 0);
        QVERIFY(QTest::qWaitFor([&] { return !tasks.progress(id).isEmpty(); }, kTimeoutMs));
        QTest::mouseClick(consistency->taskBar()->cancelButton(), Qt::LeftButton);
        QCOMPARE(tasks.wait(id), QStringLiteral("cancelled"));
        QVERIFY(!consistency->isRunning());
        QVERIFY(!consistency->hasResult());
        QVERIFY(consistency->plot()->ks().isEmpty());
        QVERIFY(consistency->taskBar()->statusText().contains(QStringLiteral("cancelled")));
        QVERIFY(consistency->computeButton()->isEnabled());
        QCOMPARE(controller.activeTaskCount(), 0);
    }

    void mainWindowWiring()
    {
        // In the window, the modules found in the modules panel reach both assay views, and clicking a
        // module picks it in the grid view.
        MainWindow window(QStringLiteral("cpu"), 1);
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, fixture(QStringLiteral("quadrant_gen.pt"))));
        QTreeWidget* layers = window.layerPanel()->list();
        layers->setCurrentItem(window.layerPanel()->item(1));
        ModuleAssaysView* assays = window.moduleAssaysView();
        QCOMPARE(window.centralTabs()->tabText(window.centralTabs()->indexOf(assays)), QStringLiteral("Module assays"));
        QCOMPARE(assays->gridView()->moduleBox()->count(), 1); // no modules yet: channels only
        QSignalSpy maps(window.influencePanel(), &InfluencePanel::mapsChanged);
        window.influencePanel()->compute();
        QVERIFY(QTest::qWaitFor(
            [&] { return !maps.isEmpty() && !maps.last().first().value<InfluenceResult>().isEmpty(); }, kTimeoutMs));
        ModulesPanel* modules = window.modulesPanel();
        modules->kBox()->setValue(4);
        QSignalSpy found(modules, &ModulesPanel::resultChanged);
        modules->findModules();
        QVERIFY(QTest::qWaitFor([&] { return !found.isEmpty(); }, kTimeoutMs));
        QCOMPARE(assays->gridView()->moduleBox()->count(), 5);
        QCOMPARE(assays->gridView()->layerBox()->currentIndex(), 1);
        QVERIFY(!assays->robustnessView()->runButton()->isEnabled()); // no classifier for this model
        modules->selectModule(2);
        QCOMPARE(assays->gridView()->moduleBox()->currentIndex(), 2);
        window.showModuleAssays();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(assays));
        QVERIFY(QTest::qWaitFor([&] { return !modules->groupMapsRunning(); }, kTimeoutMs));
    }

private:
    static float lxtestMaxDiff(const lx::Array& a, const lx::Array& b)
    {
        if (a.numel() != b.numel())
            return INFINITY;
        float m = 0.0f;
        for (int64_t i = 0; i < a.numel(); ++i)
            m = std::max(m, std::fabs(a.data()[size_t(i)] - b.data()[size_t(i)]));
        return m;
    }
};

QTEST_MAIN(TestModuleAssays)
#include "test_ModuleAssays.moc"
