// lx::ui::MainWindow end to end (offscreen): load the default model, drive the real channel list and
// buttons, and check the hybrid view follows.
#include "ui/hybrids/ChannelPanel.h"
#include "ui/compute/ComputeController.h"
#include "ui/widgets/ImageView.h"
#include "ui/hybrids/LayerPanel.h"
#include "ui/shell/MainWindow.h"
#include "ui/hybrids/SeedPanel.h"

#include "UiTestSupport.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QUndoStack>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using lx::ui::MainWindow;
using namespace lx::ui::test;

namespace {

void clickChannel(QListWidget* list, int row, Qt::KeyboardModifiers modifiers)
{
    QListWidgetItem* item = list->item(row);
    QVERIFY(item);
    list->scrollToItem(item);
    const QRect rect = list->visualItemRect(item);
    QVERIFY(!rect.isEmpty());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, modifiers, rect.center());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // keep the user's recent-models list untouched
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_MainWindow"));
        lx::ui::registerWorkerTypes();
    }

    void showsPlaceholdersWithoutModel()
    {
        MainWindow window(QStringLiteral("cpu"), 1);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.hasModel());
        QVERIFY(window.hybridView()->image().isNull());
        QCOMPARE(window.hybridView()->title(), QStringLiteral("hybrid"));
        QCOMPARE(window.channelPanel()->channelCount(), 0);
    }

    void channelSelectionDrivesHybrid()
    {
        const QString model = defaultModel();
        if (!QFileInfo::exists(model))
            QSKIP(qPrintable(QStringLiteral("default model %1 not found: it is trained by the "
                                            "scripts in models/; this test runs once it exists")
                                 .arg(model)));
        MainWindow window(QStringLiteral("cpu"), 0);
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QSignalSpy ready(&window, &MainWindow::modelReady);
        QSignalSpy failed(&window, &MainWindow::modelFailed);
        window.openModel(model);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), kTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QVERIFY(window.hasModel());
        QVERIFY(waitForLatestFrame(window));

        const QImage first = window.hybridView()->image();
        QVERIFY(!first.isNull());
        QVERIFY(!window.x1View()->image().isNull());
        QVERIFY(!window.x2View()->image().isNull());
        QVERIFY(window.statusText().contains(QStringLiteral("ms")));

        // The layer list shows the model's layers with a middle one current.
        QCOMPARE(window.layerPanel()->layerCount(), window.summary().layerCount());
        QCOMPARE(window.layerPanel()->currentLayer(), window.summary().defaultLayer());

        // Select channels 0, 3 and 5 with real clicks on the channel list.
        QListWidget* list = window.channelPanel()->list();
        const int channels = window.channelPanel()->channelCount();
        QVERIFY2(channels >= 6, "the default layer should have at least 6 channels");
        QTRY_VERIFY(!list->item(0)->icon().isNull());
        clickChannel(list, 0, Qt::NoModifier);
        clickChannel(list, 3, Qt::ControlModifier);
        clickChannel(list, 5, Qt::ControlModifier);
        QCOMPARE(window.channelPanel()->selectedChannels(), QVector<int>({0, 3, 5}));
        QCOMPARE(window.channelPanel()->summaryText(), QStringLiteral("3 of %1 selected").arg(channels));
        QVERIFY(waitForLatestFrame(window));
        const QImage some = window.hybridView()->image();
        QVERIFY2(some != first, "selecting other channels should change the hybrid");
        QVERIFY(some != window.x1View()->image());

        // None: the hybrid is x(z1) exactly.
        QPushButton* none = findButton(window.channelPanel(), QStringLiteral("None"));
        QVERIFY(none);
        QTest::mouseClick(none, Qt::LeftButton);
        QVERIFY(window.channelPanel()->selectedChannels().isEmpty());
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.hybridView()->image(), window.x1View()->image());

        // All: the hybrid is x(z2) exactly.
        QPushButton* all = findButton(window.channelPanel(), QStringLiteral("All"));
        QVERIFY(all);
        QTest::mouseClick(all, Qt::LeftButton);
        QCOMPARE(window.channelPanel()->selectedChannels().size(), channels);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.hybridView()->image(), window.x2View()->image());

        // Invert of all is none again.
        QPushButton* invert = findButton(window.channelPanel(), QStringLiteral("Invert"));
        QVERIFY(invert);
        QTest::mouseClick(invert, Qt::LeftButton);
        QVERIFY(window.channelPanel()->selectedChannels().isEmpty());
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.hybridView()->image(), window.x1View()->image());

        // Ctrl+A (Channels > Select All) from the keyboard: every channel again, the hybrid x(z2).
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(window.channelPanel()->selectedChannels().size(), channels);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.hybridView()->image(), window.x2View()->image());
    }

    void seedsAndLayersPostRequests()
    {
        const QString model = defaultModel();
        if (!QFileInfo::exists(model))
            QSKIP("default model models/fashion_dcgan.pt not found");
        MainWindow window(QStringLiteral("cpu"), 0);
        window.setErrorDialogsEnabled(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(model);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), kTimeoutMs);
        QVERIFY(waitForLatestFrame(window));

        // A new z2 seed changes x(z2) and leaves x(z1) alone.
        const QImage x1 = window.x1View()->image();
        const QImage x2 = window.x2View()->image();
        window.seedPanel()->setSeeds(window.seedPanel()->seed1(), window.seedPanel()->seed2() + 17);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.x1View()->image(), x1);
        QVERIFY(window.x2View()->image() != x2);

        // Ctrl+1 / Ctrl+2 draw new seeds.
        QAction* new1 = nullptr;
        QAction* new2 = nullptr;
        const QList<QAction*> actions = window.findChildren<QAction*>();
        for (QAction* action : actions) {
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_1))
                new1 = action;
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_2))
                new2 = action;
        }
        QVERIFY(new1 && new2);
        const quint64 before1 = window.seedPanel()->seed1();
        const quint64 before2 = window.seedPanel()->seed2();
        new1->trigger();
        QVERIFY(window.seedPanel()->seed1() != before1);
        QCOMPARE(window.seedPanel()->seed2(), before2);
        new2->trigger();
        QVERIFY(window.seedPanel()->seed2() != before2);
        QVERIFY(waitForLatestFrame(window));

        // Picking another layer refills the channel list for that layer.
        QTreeWidget* layers = window.layerPanel()->list();
        const int target = 0;
        layers->setCurrentItem(window.layerPanel()->item(target));
        QCOMPARE(window.layerPanel()->currentLayer(), target);
        QCOMPARE(window.channelPanel()->channelCount(),
                 static_cast<int>(window.summary().layerShapes.value(target).value(0)));
        QVERIFY(waitForLatestFrame(window));
    }

    void classPickerConditionsTheHybrid()
    {
        // graph_cond_dcgan: forward(z, y), 4 classes; its class enters before main.0.
        MainWindow window(QStringLiteral("cpu"), 0);
        window.setErrorDialogsEnabled(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, fixture(QStringLiteral("graph_cond_dcgan.pt"))));
        lx::ui::SeedPanel* seeds = window.seedPanel();
        QVERIFY(seeds->classBox1()->isVisible());
        QCOMPARE(seeds->classBox1()->count(), 4);
        QCOMPARE(seeds->classBox1()->itemText(3), QStringLiteral("3  d"));
        QCOMPARE(window.workbenchState().class1, 0);
        QCOMPARE(window.workbenchState().class2, 1);

        // Another class for z2 changes x(z2) only, and is one undo step.
        const QImage x1 = window.x1View()->image(), x2 = window.x2View()->image();
        const int undoBefore = window.undoStack()->count();
        seeds->classBox2()->setCurrentIndex(3);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.workbenchState().class2, 3);
        QCOMPARE(window.x1View()->image(), x1);
        QVERIFY(window.x2View()->image() != x2);
        QCOMPARE(window.undoStack()->count(), undoBefore + 1);
        window.undoStack()->undo();
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(seeds->classBox2()->currentIndex(), 1);
        QCOMPARE(window.x2View()->image(), x2);

        // The class enters before main.0, so at the default layer (main.3) taking z2's class after the
        // cut changes nothing; the choice is still part of the state.
        QCOMPARE(window.summary().layerNames.value(window.workbenchState().layer), QStringLiteral("main.3"));
        const QImage hybrid = window.hybridView()->image();
        seeds->donorClassBox()->setChecked(true);
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(window.workbenchState().classFromDonor);
        QCOMPARE(window.hybridView()->image(), hybrid);

        // Swap (Ctrl+3) trades seeds and classes in one undo step.
        const lx::ui::WorkbenchState before = window.workbenchState();
        const QImage x2Before = window.x2View()->image();
        const int undoSwap = window.undoStack()->count();
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.workbenchState().seed1, before.seed2);
        QCOMPARE(window.workbenchState().class1, before.class2);
        QCOMPARE(window.workbenchState().class2, before.class1);
        QCOMPARE(seeds->classBox1()->currentIndex(), before.class2);
        QCOMPARE(window.x1View()->image(), x2Before);
        QCOMPARE(window.undoStack()->count(), undoSwap + 1);
        window.undoStack()->undo();
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.workbenchState().class1, before.class1);

        // A model without classes hides the controls.
        QVERIFY(openAndWait(window, fixture(QStringLiteral("graph_twice.pt"))));
        QVERIFY(!seeds->classBox1()->isVisible());
        QCOMPARE(window.workbenchState().class1, -1);
    }

    void layerTreeAndFilter()
    {
        MainWindow window(QStringLiteral("cpu"), 0);
        window.setErrorDialogsEnabled(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, fixture(QStringLiteral("graph_biggan.pt"))));
        lx::ui::LayerPanel* panel = window.layerPanel();
        const int conv1 = window.summary().layerNames.indexOf(QStringLiteral("blocks.1.conv1"));
        const int block = window.summary().layerNames.indexOf(QStringLiteral("blocks.1"));
        QVERIFY(conv1 >= 0 && block >= 0);
        // blocks.1.conv1 sits under blocks.1, which sits under a "blocks" row that is no layer.
        QCOMPARE(panel->item(conv1)->parent(), panel->item(block));
        QTreeWidgetItem* blocks = panel->item(block)->parent();
        QVERIFY(blocks);
        QCOMPARE(blocks->text(0), QStringLiteral("blocks"));
        QVERIFY(!(blocks->flags() & Qt::ItemIsSelectable));
        // Clicking a nested layer makes it the current layer and posts a hybrid for it.
        panel->list()->setCurrentItem(panel->item(conv1));
        QCOMPARE(panel->currentLayer(), conv1);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.workbenchState().layer, conv1);
        // The filter keeps matching rows and their parents.
        QTest::keyClicks(panel->filter(), QStringLiteral("skip"));
        QVERIFY(panel->item(conv1)->isHidden());
        const int skip = window.summary().layerNames.indexOf(QStringLiteral("blocks.1.skip"));
        QVERIFY(!panel->item(skip)->isHidden());
        QVERIFY(!panel->item(block)->isHidden());
        QVERIFY(panel->item(window.summary().layerNames.indexOf(QStringLiteral("linear")))->isHidden());
        panel->filter()->clear();
        QVERIFY(!panel->item(conv1)->isHidden());
    }

    void badModelKeepsPreviousModel()
    {
        const QString model = defaultModel();
        if (!QFileInfo::exists(model))
            QSKIP("default model models/fashion_dcgan.pt not found");
        MainWindow window(QStringLiteral("cpu"), 0);
        window.setErrorDialogsEnabled(false);
        window.show();
        QSignalSpy ready(&window, &MainWindow::modelReady);
        QSignalSpy failed(&window, &MainWindow::modelFailed);
        window.openModel(model);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), kTimeoutMs);
        QVERIFY(waitForLatestFrame(window));

        // Every kind of broken model file: one line naming the problem, and the loaded model stays.
        QTemporaryDir dir;
        const auto write = [&](const char* name, const QByteArray& bytes) {
            QFile f(dir.filePath(QLatin1String(name)));
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
                qFatal("cannot write %s", name);
            return f.fileName();
        };
        QFile whole(model);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray modelBytes = whole.readAll();
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("folder.pt")));
        const QList<QPair<QString, QString>> cases{
            {QStringLiteral("/nonexistent/nope.pt"), QStringLiteral("no such file")},
            {write("empty.pt", QByteArray()), QStringLiteral("the file is empty")},
            {write("random.pt", QByteArray(4096, '\x5a')), QStringLiteral("not a zip archive")},
            {write("half.pt", modelBytes.left(modelBytes.size() / 2)),
             QStringLiteral("not a zip archive, or a truncated one")},
            {dir.filePath(QStringLiteral("folder.pt")), QStringLiteral("it is a directory")},
            {write("notes.txt.pt", "hello"), QStringLiteral("not a zip archive")},
            // Too large for the machine: LibTorch's allocator fails at load (8 PiB), said in words.
            {fixture(QStringLiteral("oom_gen.pt")),
             QStringLiteral("oom_gen.pt: out of memory (the computation asked for 8.0 PiB")},
        };
        const QString loaded = ready.first().first().value<lx::ui::ModelSummary>().path;
        for (const auto& [path, words] : cases) {
            failed.clear();
            window.openModel(path);
            QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kTimeoutMs);
            const QString error = failed.first().first().toString();
            QVERIFY2(error.contains(words) && !error.contains(QLatin1Char('\n')), qPrintable(error));
            QVERIFY(window.hasModel());
            QCOMPARE(window.summary().path, loaded);
        }
        const quint64 before = window.lastShownSeq();
        window.channelPanel()->invertSelection();
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(window.lastShownSeq() > before);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_MainWindow.moc"
