// Session documents in the GUI, offscreen on the bundled model: save -> a new window -> open
// gives the same state and the same pixels; the autosave appears after an edit, is removed on a clean
// exit, and restores the work after a crash; bad session files give one-line errors and change nothing.
#include "lx/AtomicFile.h"
#include "lx/Session.h"
#include "ui/hybrids/ChannelPanel.h"
#include "ui/compute/ComputeController.h"
#include "ui/widgets/ImageView.h"
#include "ui/hybrids/InterventionPanel.h"
#include "ui/hybrids/LayerPanel.h"
#include "ui/shell/MainWindow.h"
#include "ui/influence/InfluencePanel.h"
#include "ui/modules/ModuleAssaysView.h"
#include "ui/modules/ModuleGridView.h"
#include "ui/modules/ModulesPanel.h"
#include "ui/modules/RobustnessView.h"
#include "ui/hybrids/SeedPanel.h"
#include "ui/shell/SessionController.h"
#include "ui/hybrids/WorkbenchState.h"
#include "ui/widgets/ViewSettings.h"

#include "InterventionTestSupport.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using lx::EditOp;
using lx::ui::MainWindow;
using lx::ui::ModuleGridView;
using lx::ui::RobustnessView;
using lx::ui::SessionController;
using lx::ui::ViewSettings;
using lx::ui::WorkbenchState;
using namespace lx::ui::test;

namespace {

// A window with a few edits: another layer, seeds, a selection and two interventions (one off).
void makeEdits(MainWindow& window)
{
    window.layerPanel()->setCurrentLayer(window.workbenchState().layer - 1);
    window.seedPanel()->setSeeds(7, 19);
    window.channelPanel()->setSelectedChannels({2, 5, 11});
    addThroughPanel(window, EditOp::Scale, 2.25);
    window.channelPanel()->setSelectedChannels(range(20, 6));
    addThroughPanel(window, EditOp::Offset, -1.5);
    window.channelPanel()->setSelectedChannels({1, 4});
    addThroughPanel(window, EditOp::Ablate, 0.0);
    window.interventionPanel()->enabledBox(1)->click();
    window.modulesPanel()->kBox()->setValue(5);
    // The maps the modules come from, and the robustness assay's settings (the session's view object).
    window.influencePanel()->pairsBox()->setValue(200);
    window.influencePanel()->seedBox()->setValue(31);
    RobustnessView* robustness = window.moduleAssaysView()->robustnessView();
    robustness->classifierEdit()->setText(QStringLiteral("/data/classifiers/fashion_resnet.pt"));
    robustness->pairsBox()->setValue(40);
    robustness->seedBox()->setValue(9);
    robustness->differingBox()->setChecked(!robustness->differingBox()->isChecked());
    ModuleGridView* grid = window.moduleAssaysView()->gridView();
    grid->layerBox()->setCurrentIndex(1);
    grid->channelsEdit()->setText(QStringLiteral("1, 2, 3"));
    grid->rowsEdit()->setText(QStringLiteral("3-8"));
    grid->colsEdit()->setText(QStringLiteral("20,21,22"));
    window.moduleAssaysView()->showRobustness();
}

bool waitOpened(MainWindow& window, const std::function<bool()>& open)
{
    QSignalSpy opened(window.sessionController(), &SessionController::sessionOpened);
    QSignalSpy failed(window.sessionController(), &SessionController::sessionFailed);
    if (!open())
        return false;
    if (!QTest::qWaitFor([&] { return !opened.isEmpty() || !failed.isEmpty(); }, kTimeoutMs) || !failed.isEmpty()) {
        qWarning("session did not open: %s",
                 failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        return false;
    }
    return waitForLatestFrame(window);
}

// A session document: `body` follows the format key; "MODEL" stands for the bundled model's path. (Raw
// strings here keep their braces balanced: moc counts them.)
std::string document(std::string body)
{
    const std::string model = QFileInfo(defaultModel()).absoluteFilePath().toStdString();
    for (size_t at = body.find("MODEL"); at != std::string::npos; at = body.find("MODEL"))
        body.replace(at, 5, model);
    return "{\"format\": \"latent-explorer-session\", " + body + "}";
}

QString errorLine(const QSignalSpy& failed) { return failed.isEmpty() ? QString() : failed.last().first().toString(); }

} // namespace

class TestSessionController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // autosave and settings in a test location
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_SessionController"));
        lx::ui::registerWorkerTypes();
        QFile::remove(SessionController::autosavePath());
    }

    void saveThenOpenInANewWindow()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("work.lxsession"));
        auto first = std::make_unique<MainWindow>(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(*first);
        makeEdits(*first);
        QVERIFY(waitForLatestFrame(*first));
        const WorkbenchState state = first->workbenchState();
        QCOMPARE(int(state.edit.interventions.size()), 3);
        QVERIFY(!first->undoStack()->isClean());
        QVERIFY(first->sessionController()->saveTo(path));
        QVERIFY(first->undoStack()->isClean());
        QCOMPARE(first->sessionController()->currentPath(), path);
        QVERIFY(first->windowTitle().startsWith(QStringLiteral("work.lxsession")));

        // The document: the model relative to the session, its hash, the state.
        const lx::Session saved = lx::Session::load(path.toStdString());
        QCOMPARE(QString::fromStdString(saved.modelPath), QFileInfo(defaultModel()).absoluteFilePath());
        QCOMPARE(saved.modelSha256.size(), size_t(64));
        QCOMPARE(saved.seed1, quint64(7));
        QCOMPARE(saved.modules.k, 5);
        QCOMPARE(QString::fromStdString(saved.layer), first->layerPanel()->layerName(state.layer));

        MainWindow second(QStringLiteral("cpu"), kThreads);
        second.setErrorDialogsEnabled(false);
        second.resize(1400, 900);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(waitOpened(second, [&] { return second.sessionController()->open(path); }));
        QVERIFY(second.hasModel());
        QVERIFY(second.workbenchState() == state);
        QCOMPARE(second.layerPanel()->currentLayer(), state.layer);
        QCOMPARE(second.channelPanel()->selectedChannels(), state.channels);
        QCOMPARE(second.seedPanel()->seed2(), quint64(19));
        QCOMPARE(second.interventionPanel()->list()->count(), 3);
        QVERIFY(!second.interventionPanel()->enabledBox(1)->isChecked());
        QCOMPARE(second.interventionPanel()->rowText(0), first->interventionPanel()->rowText(0));
        QCOMPARE(second.modulesPanel()->kBox()->value(), 5);
        QCOMPARE(second.influencePanel()->pairsBox()->value(), 200);
        QCOMPARE(second.influencePanel()->seedBox()->value(), 31);
        const RobustnessView* robustness = first->moduleAssaysView()->robustnessView();
        const RobustnessView* reopened = second.moduleAssaysView()->robustnessView();
        QCOMPARE(reopened->classifierEdit()->text(), QStringLiteral("/data/classifiers/fashion_resnet.pt"));
        QCOMPARE(reopened->pairsBox()->value(), 40);
        QCOMPARE(reopened->seedBox()->value(), 9);
        QCOMPARE(reopened->differingBox()->isChecked(), robustness->differingBox()->isChecked());
        const ModuleGridView* grid = second.moduleAssaysView()->gridView();
        QCOMPARE(grid->layerBox()->currentIndex(), 1);
        QCOMPARE(grid->channelsEdit()->text(), QStringLiteral("1, 2, 3"));
        QCOMPARE(grid->rowsEdit()->text(), QStringLiteral("3-8"));
        QCOMPARE(grid->colsEdit()->text(), QStringLiteral("20,21,22"));
        QCOMPARE(second.moduleAssaysView()->tabs()->currentWidget(), second.moduleAssaysView()->robustnessView());
        QCOMPARE(second.hybridView()->image(), first->hybridView()->image());
        QCOMPARE(second.x1View()->image(), first->x1View()->image());
        QCOMPARE(second.x2View()->image(), first->x2View()->image());
        QCOMPARE(second.undoStack()->count(), 0); // an opened session starts a clean history
        QCOMPARE(second.sessionController()->currentPath(), path);

        // Opening it again in a window that has the model loaded applies it without a reload.
        second.seedPanel()->setSeeds(1, 1);
        QVERIFY(waitForLatestFrame(second));
        QVERIFY(second.sessionController()->open(path));
        QVERIFY(waitForLatestFrame(second));
        QVERIFY(second.workbenchState() == state);
        QCOMPARE(second.hybridView()->image(), first->hybridView()->image());
    }

    void viewSettingsRoundTripAndKeepWhatIsMissing()
    {
        QSpinBox count;
        count.setRange(0, 100);
        QDoubleSpinBox radius;
        radius.setRange(0.0, 10.0);
        QSlider t;
        t.setRange(0, 50);
        QCheckBox flag;
        QLineEdit seeds;
        QComboBox classes;
        QTabWidget tabs;
        tabs.addTab(new QWidget, QStringLiteral("one"));
        tabs.addTab(new QWidget, QStringLiteral("two"));
        tabs.addTab(new QWidget, QStringLiteral("off"));
        tabs.setTabEnabled(2, false);
        classes.addItems({QStringLiteral("0  T-shirt"), QStringLiteral("1  Trouser"), QStringLiteral("2  Pullover")});
        const ViewSettings settings = ViewSettings()
                                          .add(QStringLiteral("count"), &count)
                                          .add(QStringLiteral("radius"), &radius)
                                          .add(QStringLiteral("t"), &t)
                                          .add(QStringLiteral("flag"), &flag)
                                          .add(QStringLiteral("seeds"), &seeds)
                                          .add(QStringLiteral("class"), &classes)
                                          .add(QStringLiteral("tab"), &tabs);
        count.setValue(42);
        radius.setValue(2.5);
        t.setValue(17);
        flag.setChecked(true);
        seeds.setText(QStringLiteral("0-5"));
        classes.setCurrentIndex(2);
        tabs.setCurrentIndex(1);
        QJsonObject extra;
        extra.insert(QStringLiteral("kept"), 1);
        const QJsonObject json = settings.toJson(extra);
        QCOMPARE(json.size(), 8);
        QCOMPARE(json.value(QStringLiteral("tab")).toInt(), 1);
        QCOMPARE(json.value(QStringLiteral("class")).toInt(), 2);
        QCOMPARE(json.value(QStringLiteral("count")).toInt(), 42);
        QCOMPARE(json.value(QStringLiteral("radius")).toDouble(), 2.5);
        QCOMPARE(json.value(QStringLiteral("t")).toInt(), 17);
        QCOMPARE(json.value(QStringLiteral("flag")).toBool(), true);
        QCOMPARE(json.value(QStringLiteral("seeds")).toString(), QStringLiteral("0-5"));

        count.setValue(0);
        radius.setValue(0.0);
        t.setValue(0);
        flag.setChecked(false);
        seeds.clear();
        classes.setCurrentIndex(0);
        tabs.setCurrentIndex(0);
        const auto restored = [&] {
            return count.value() == 42 && radius.value() == 2.5 && t.value() == 17 && flag.isChecked()
                && seeds.text() == QStringLiteral("0-5") && classes.currentIndex() == 2 && tabs.currentIndex() == 1;
        };
        QVERIFY(!restored());
        settings.restore(json);
        QVERIFY(restored());

        // Absent keys (an older session) and values of another type keep what the widgets show.
        QJsonObject odd;
        odd.insert(QStringLiteral("count"), QStringLiteral("many"));
        odd.insert(QStringLiteral("flag"), 0);
        odd.insert(QStringLiteral("seeds"), 7);
        odd.insert(QStringLiteral("class"), 3); // past the list
        odd.insert(QStringLiteral("tab"), 2); // a tab that is off
        settings.restore(odd);
        QVERIFY(restored());
    }
    void autosaveAndRecovery()
    {
        QFile::remove(SessionController::autosavePath());
        QByteArray crashed;
        WorkbenchState state;
        QImage image;
        {
            MainWindow window(QStringLiteral("cpu"), kThreads);
            LX_OPEN_DEFAULT_MODEL(window);
            window.channelPanel()->setSelectedChannels(range(0, 9));
            addThroughPanel(window, EditOp::Set, 1.75);
            QVERIFY(waitForLatestFrame(window));
            state = window.workbenchState();
            image = window.hybridView()->image();
            // Written once the edits pause, with the intervention in it.
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    if (!SessionController::hasAutosave())
                        return false;
                    try {
                        const lx::Session s = lx::Session::load(SessionController::autosavePath().toStdString());
                        return s.edit.interventions.size() == 1 && s.edit.interventions[0].value == 1.75;
                    } catch (const std::exception&) {
                        return false; // (never half-written: QSaveFile; this is only a guard)
                    }
                }(),
                10 * SessionController::kAutosaveDelayMs);
            QFile file(SessionController::autosavePath());
            QVERIFY(file.open(QIODevice::ReadOnly));
            crashed = file.readAll();
        }
        // A clean exit removes it.
        QVERIFY(!SessionController::hasAutosave());

        // A crash would have left it: the next start restores the work.
        lx::AtomicFile::write(SessionController::autosavePath().toStdString(), crashed.toStdString());
        MainWindow restored(QStringLiteral("cpu"), kThreads);
        restored.setErrorDialogsEnabled(false);
        restored.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restored));
        QVERIFY(SessionController::hasAutosave());
        QVERIFY(waitOpened(restored, [&] { return restored.sessionController()->restoreAutosave(); }));
        QVERIFY(restored.workbenchState() == state);
        QCOMPARE(restored.hybridView()->image(), image);
        QVERIFY(restored.sessionController()->currentPath().isEmpty()); // it was never saved to a file
    }

    void badSessionFilesChangeNothing()
    {
        QTemporaryDir dir;
        MainWindow window(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(window);
        window.channelPanel()->setSelectedChannels({6, 7});
        addThroughPanel(window, EditOp::Scale, -0.5);
        QVERIFY(waitForLatestFrame(window));
        const WorkbenchState state = window.workbenchState();
        const QImage image = window.hybridView()->image();
        const int steps = window.undoStack()->count();
        const QString modelPath = window.summary().path;

        const auto write = [&](const char* name, const std::string& text) {
            const QString path = dir.filePath(QLatin1String(name));
            lx::AtomicFile::write(path.toStdString(), text);
            return path;
        };
        const std::string model = QFileInfo(defaultModel()).absoluteFilePath().toStdString();
        const QList<QPair<QString, QString>> cases{
            {dir.filePath(QStringLiteral("missing.lxsession")), QStringLiteral("no such file")},
            {write("garbled.lxsession", "{\"format\": \"latent-explorer-session\", \"vers"),
             QStringLiteral("not valid JSON")},
            {write("card.lxsession", R"({"kind": "generator", "latent_shape": [100]})"),
             QStringLiteral("not a Latent Explorer session")},
            {write("newer.lxsession", document(R"("version": 7, "model": {"path": "MODEL"})")),
             QStringLiteral("version 7 is newer than this Latent Explorer reads (version 1)")},
            {write("nomodel.lxsession", document(R"("version": 1, "model": {"path": "gone/m.pt"})")),
             QStringLiteral("model not found: looked for ") + dir.filePath(QStringLiteral("gone/m.pt"))},
            {write(
                 "badedit.lxsession",
                 document(
                     R"("version": 1, "model": {"path": "MODEL"}, "edit": {"interventions": [{"op": "twist", "channels": [1]}]})")),
             QStringLiteral("unknown intervention 'twist'")},
        };
        for (const auto& [path, words] : cases) {
            QSignalSpy failed(window.sessionController(), &SessionController::sessionFailed);
            QVERIFY2(!window.sessionController()->open(path), qPrintable(path));
            QCOMPARE(failed.size(), 1);
            const QString error = errorLine(failed);
            QVERIFY2(error.contains(words), qPrintable(error));
            QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
            QVERIFY2(window.statusBar()->currentMessage().contains(words),
                     qPrintable(window.statusBar()->currentMessage()));
            QVERIFY(window.workbenchState() == state);
            QCOMPARE(window.undoStack()->count(), steps);
            QCOMPARE(window.summary().path, modelPath);
        }
        QCOMPARE(lastHybridPosted(*window.controller()), window.lastShownSeq());
        QCOMPARE(window.hybridView()->image(), image);

        // A model file that is there but does not load: the current model and state stay.
        const QString notAModel = write("broken.pt", "this is not TorchScript");
        const QString session = write("broken.lxsession", document(R"("version": 1, "model": {"path": "broken.pt"})"));
        QSignalSpy failed(window.sessionController(), &SessionController::sessionFailed);
        QVERIFY(window.sessionController()->open(session)); // found; loading starts
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kTimeoutMs);
        QVERIFY(errorLine(failed).contains(QStringLiteral("did not load")));
        QVERIFY(window.hasModel());
        QCOMPARE(window.summary().path, modelPath);
        QVERIFY(window.workbenchState() == state);
        Q_UNUSED(notAModel);

        // A model whose bytes changed since the session was saved: opened, with a warning.
        lx::Session changed;
        changed.modelPath = model;
        changed.modelSha256 = std::string(64, '0');
        changed.layer = window.layerPanel()->layerName(state.layer).toStdString();
        changed.seed1 = 3;
        const QString changedPath = dir.filePath(QStringLiteral("changed.lxsession"));
        changed.save(changedPath.toStdString());
        QSignalSpy errors(window.sessionController(), &SessionController::errorOccurred);
        QVERIFY(waitOpened(window, [&] { return window.sessionController()->open(changedPath); }));
        QCOMPARE(window.seedPanel()->seed1(), quint64(3));
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.first().at(1).toString().contains(
            QStringLiteral("differs from the one the session was saved with")));
    }
};

QTEST_MAIN(TestSessionController)
#include "test_SessionController.moc"
