// lx::ui::InfluencePanel and ModulesPanel end to end (offscreen), through the real widgets of the
// main window: influence maps of the analytic quadrant generator (channels 2q, 2q+1 write only to
// quadrant q), the gallery order, module discovery and module selection; the layer cache; and
// cancelling a long job on the bundled DCGAN while the event loop stays responsive.
#include "lx/ui/ChannelPanel.h"
#include "lx/ui/ComputeController.h"
#include "lx/ui/EimGallery.h"
#include "lx/ui/ImageView.h"
#include "lx/ui/InfluencePanel.h"
#include "lx/ui/LayerPanel.h"
#include "lx/ui/MainWindow.h"
#include "lx/ui/ModulePlot.h"
#include "lx/ui/ModulesPanel.h"

#include "UiTestSupport.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTreeWidget>
#include <QtTest>

#include <algorithm>
#include <set>

using lx::ui::InfluencePanel;
using lx::ui::InfluenceResult;
using lx::ui::MainWindow;
using lx::ui::ModulesPanel;
using namespace lx::ui::test;

namespace {

void selectLayer(MainWindow& window, const QString& name)
{
    const int index = window.summary().layerNames.indexOf(name);
    QVERIFY2(index >= 0, qPrintable(QStringLiteral("no layer %1").arg(name)));
    QTreeWidget* list = window.layerPanel()->list();
    list->setCurrentItem(window.layerPanel()->item(index));
    QCOMPARE(window.layerPanel()->currentLayer(), index);
}

// Clicks Compute and waits for the gallery to show maps.
bool computeMaps(InfluencePanel* panel)
{
    QSignalSpy maps(panel, &InfluencePanel::mapsChanged);
    QTest::mouseClick(panel->computeButton(), Qt::LeftButton);
    return QTest::qWaitFor(
        [&] { return !maps.isEmpty() && !maps.last().first().value<InfluenceResult>().isEmpty(); },
        kTimeoutMs);
}

std::set<int> parseList(const QString& text)
{
    std::set<int> channels;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        channels.insert(part.trimmed().toInt());
    return channels;
}

} // namespace

class TestInfluencePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_InfluencePanel"));
        lx::ui::registerWorkerTypes();
    }

    void quadrantGeneratorModules()
    {
        const QString model = fixture(QStringLiteral("quadrant_gen.pt"));
        if (!QFileInfo::exists(model))
            QFAIL(qPrintable(QStringLiteral("fixture %1 missing (run make_module_fixtures)").arg(model)));
        MainWindow window(QStringLiteral("cpu"), 1);
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, model));
        selectLayer(window, QStringLiteral("main.1"));
        QCOMPARE(window.channelPanel()->channelCount(), 8);

        InfluencePanel* panel = window.influencePanel();
        ModulesPanel* modules = window.modulesPanel();
        QCOMPARE(panel->pairsBox()->value(), 64);
        QCOMPARE(panel->computeAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        QCOMPARE(panel->cancelAction()->shortcut(), QKeySequence(Qt::Key_Escape));
        QVERIFY(!panel->cancelAction()->isEnabled());   // Esc stays free while nothing runs
        QVERIFY(!panel->cancelButton()->isEnabled());
        QVERIFY(!modules->findButton()->isEnabled());   // no maps yet
        QVERIFY(computeMaps(panel));

        // Eight tiles, in descending order of total influence.
        const InfluenceResult& maps = panel->maps();
        lx::ui::EimGallery* gallery = panel->gallery();
        QCOMPARE(maps.channels, 8);
        QCOMPARE(maps.height, 4);
        QCOMPARE(maps.width, 4);
        QCOMPARE(gallery->tileCount(), 8);
        QVector<int> expected{0, 1, 2, 3, 4, 5, 6, 7};
        std::stable_sort(expected.begin(), expected.end(),
                         [&](int a, int b) { return maps.totals[a] > maps.totals[b]; });
        QCOMPARE(gallery->order(), expected);
        for (int t = 0; t + 1 < 8; ++t)
            QVERIFY(maps.totals[gallery->order()[t]] >= maps.totals[gallery->order()[t + 1]]);
        // Each channel's map is its quadrant's: zero elsewhere, positive inside, and sums to its total.
        for (int c = 0; c < 8; ++c) {
            const int q = c / 2;
            double sum = 0.0;
            for (int y = 0; y < 4; ++y) {
                for (int x = 0; x < 4; ++x) {
                    const float v = maps.map(c)[y * 4 + x];
                    const bool inside = (y / 2) == q / 2 && (x / 2) == q % 2;
                    QVERIFY2(inside ? v > 0.0f : v == 0.0f,
                             qPrintable(QStringLiteral("channel %1 pixel (%2, %3) = %4").arg(c).arg(x).arg(y).arg(v)));
                    sum += v;
                }
            }
            QVERIFY(qAbs(sum - maps.totals[c]) <= 1e-4 * std::max(1.0, sum));
        }

        // Hovering a tile names its channel, total and the value under the cursor.
        const QRect first = gallery->tileImageRect(0);
        QVERIFY(!first.isEmpty());
        const QString tip = gallery->toolTipAt(first.center());
        QVERIFY2(tip.contains(QStringLiteral("Channel %1").arg(expected[0])), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Total influence")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Pixel (")), qPrintable(tip));

        // Clicking tiles selects channels in the channel panel (Ctrl adds).
        QTest::mouseClick(gallery, Qt::LeftButton, Qt::NoModifier, first.center());
        QCOMPARE(window.channelPanel()->selectedChannels(), QVector<int>{expected[0]});
        QTest::mouseClick(gallery, Qt::LeftButton, Qt::ControlModifier, gallery->tileImageRect(1).center());
        QVector<int> two{expected[0], expected[1]};
        std::sort(two.begin(), two.end());
        QCOMPARE(window.channelPanel()->selectedChannels(), two);
        QVERIFY(waitForLatestFrame(window));

        // Modules, K = 4: exactly the quadrant pairs.
        QVERIFY(modules->findButton()->isEnabled());
        QCOMPARE(modules->kBox()->value(), 3);   // our default
        modules->kBox()->setValue(4);
        QCOMPARE(modules->methodBox()->currentText(), QStringLiteral("NMF"));
        QSignalSpy found(modules, &ModulesPanel::resultChanged);
        QTest::mouseClick(modules->findButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !found.isEmpty(); }, kTimeoutMs));
        QTableWidget* table = modules->table();
        QCOMPARE(table->rowCount(), 4);
        std::set<std::set<int>> groups;
        int rowOf23 = -1;
        for (int r = 0; r < 4; ++r) {
            const std::set<int> members = parseList(table->item(r, 2)->text());
            QCOMPARE(table->item(r, 1)->text().toInt(), static_cast<int>(members.size()));
            groups.insert(members);
            if (members == std::set<int>{2, 3})
                rowOf23 = r;
        }
        const std::set<std::set<int>> quadrants{{0, 1}, {2, 3}, {4, 5}, {6, 7}};
        QVERIFY(groups == quadrants);
        QVERIFY(modules->statusText().contains(QStringLiteral("relative error")));
        QCOMPARE(modules->plot()->moduleCount(), 4);

        // Clicking a module's row selects exactly its channels; the hybrid follows.
        QVERIFY(rowOf23 >= 0);
        const QRect cell = table->visualItemRect(table->item(rowOf23, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
        QCOMPARE(window.channelPanel()->selectedChannels(), (QVector<int>{2, 3}));
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(window.hybridView()->image() != window.x1View()->image());

        // Clicking a module's heatmap does the same.
        const int other = (rowOf23 + 1) % 4;
        const QRect heat = modules->plot()->templateRect(other);
        QVERIFY(!heat.isEmpty());
        QTest::mouseClick(modules->plot()->canvas(), Qt::LeftButton, Qt::NoModifier, heat.center());
        const std::set<int> members = parseList(table->item(other, 2)->text());
        const QVector<int> selected = window.channelPanel()->selectedChannels();
        QCOMPARE(std::set<int>(selected.begin(), selected.end()), members);
        QCOMPARE(modules->plot()->highlightedModule(), other);

        // Another layer has no maps; coming back shows the cached ones without a new job.
        selectLayer(window, QStringLiteral("main.0"));
        QCOMPARE(panel->gallery()->tileCount(), 0);
        QVERIFY(!modules->findButton()->isEnabled());
        selectLayer(window, QStringLiteral("main.1"));
        QCOMPARE(panel->gallery()->tileCount(), 8);
        QVERIFY(panel->statusText().contains(QStringLiteral("cached")));
        QCOMPARE(window.controller()->activeJobCount(), 0);
        QCOMPARE(modules->table()->rowCount(), 4);   // the modules found for these maps
    }

    void cancelStopsTheJobAndUiStaysResponsive()
    {
        const QString model = defaultModel();
        if (!QFileInfo::exists(model))
            QSKIP(qPrintable(QStringLiteral("default model %1 not found: it is trained by the scripts "
                                            "in models/; this test runs once it exists").arg(model)));
        MainWindow window(QStringLiteral("cpu"), 0);
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, model));
        selectLayer(window, QStringLiteral("main.2"));
        QVERIFY(waitForLatestFrame(window));

        InfluencePanel* panel = window.influencePanel();
        lx::ui::ComputeController* controller = window.controller();
        panel->pairsBox()->setValue(512);
        QSignalSpy progress(controller, &lx::ui::ComputeController::jobProgress);
        QSignalSpy cancelled(controller, &lx::ui::ComputeController::jobCancelled);
        QSignalSpy ready(controller, &lx::ui::ComputeController::influenceReady);

        // A 10 ms timer on the UI thread: that it ticks while the job computes shows the event loop keeps
        // running (behaviour; the latency and the gaps are timings, reported by tests/bench/bench_storm).
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
        ticker.start();

        QTest::mouseClick(panel->computeButton(), Qt::LeftButton);
        QVERIFY(panel->isRunning());
        QVERIFY(panel->cancelButton()->isEnabled());
        QVERIFY(!panel->computeButton()->isEnabled());
        const quint64 job = panel->currentJob();
        // Mid-run: two progress reports in, the job not done (512 pairs of a 64-channel layer).
        QVERIFY(QTest::qWaitFor([&] { return progress.size() >= 2; }, kTimeoutMs));
        const int ticksBeforeCancel = ticks;
        const qint64 lastDone = progress.last().at(1).toLongLong();
        const qint64 total = progress.last().at(2).toLongLong();
        QVERIFY2(ready.isEmpty() && lastDone < total, "the 512-pair job finished before Cancel could be pressed");

        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !cancelled.isEmpty(); }, kTimeoutMs));
        ticker.stop();
        qInfo("progress signals %lld (last %lld of %lld); UI timer: %d ticks before Cancel",
              static_cast<long long>(progress.size()), lastDone, total, ticksBeforeCancel);
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(cancelled.first().first().value<quint64>(), job);
        QVERIFY(ready.isEmpty());   // a cancelled job's result never arrives
        QVERIFY2(ticksBeforeCancel >= 1, "the UI thread's timer never fired while the job computed");
        // Progress only moves forward and stops short of the end.
        qint64 previous = 0;
        for (const QList<QVariant>& p : progress) {
            QVERIFY(p.at(1).toLongLong() >= previous);
            previous = p.at(1).toLongLong();
        }
        QVERIFY(previous < total);
        QVERIFY(!panel->isRunning());
        QVERIFY(!panel->cancelButton()->isEnabled());
        QVERIFY(panel->computeButton()->isEnabled());
        QVERIFY(!panel->hasMaps());

        // A recompute afterwards succeeds (fewer pairs, to keep the test short).
        panel->pairsBox()->setValue(8);
        QVERIFY(computeMaps(panel));
        QCOMPARE(panel->gallery()->tileCount(), 128);
        QCOMPARE(panel->maps().pairs, 8);
        // And the worker still serves hybrids.
        window.channelPanel()->invertSelection();
        QVERIFY(waitForLatestFrame(window));
    }
};

QTEST_MAIN(TestInfluencePanel)
#include "test_InfluencePanel.moc"
