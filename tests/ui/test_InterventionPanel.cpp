// Interventions in the GUI, end to end on the bundled model (offscreen): the intervention panel
// adds, toggles, removes and drags interventions; the hybrid view must show exactly what core's
// HybridEngine::intervene gives, converted as the worker converts; every edit is one undo step.
#include "ui/hybrids/ChannelPanel.h"
#include "ui/compute/ComputeController.h"
#include "ui/widgets/FrameRate.h"
#include "ui/widgets/ImageView.h"
#include "ui/hybrids/InterventionPanel.h"
#include "ui/hybrids/LayerPanel.h"
#include "ui/shell/MainWindow.h"
#include "ui/hybrids/SeedPanel.h"
#include "ui/hybrids/WorkbenchState.h"

#include "InterventionTestSupport.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QListWidget>
#include <QSlider>
#include <QUndoStack>
#include <QtTest>

using lx::EditOp;
using lx::ui::InterventionPanel;
using lx::ui::MainWindow;
using namespace lx::ui::test;

namespace {

lx::LayerEdit editOf(std::initializer_list<lx::Intervention> list)
{
    lx::LayerEdit edit;
    edit.interventions = list;
    return edit;
}

// The action bound to `keys` (its text changes with the command it would undo).
QAction* findAction(QWidget* window, const QKeySequence& keys)
{
    const QList<QAction*> actions = window->findChildren<QAction*>();
    for (QAction* a : actions) {
        if (a->shortcuts().contains(keys))
            return a;
    }
    return nullptr;
}

const QKeySequence kUndoKeys(Qt::CTRL | Qt::Key_Z);
const QKeySequence kRedoKeys(Qt::CTRL | Qt::SHIFT | Qt::Key_Z);

} // namespace

class TestInterventionPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_InterventionPanel"));
        lx::ui::registerWorkerTypes();
    }

    void describesInterventions()
    {
        QCOMPARE(lx::ui::describeIntervention(intervention(EditOp::Scale, range(0, 12), 1.5)),
                 QStringLiteral("scale ×1.50 on 12 channels"));
        QCOMPARE(lx::ui::describeIntervention(intervention(EditOp::Offset, {4}, -0.5)),
                 QStringLiteral("offset -0.50 on 1 channel"));
        QCOMPARE(lx::ui::describeIntervention(intervention(EditOp::Offset, {4}, 0.25)),
                 QStringLiteral("offset +0.25 on 1 channel"));
        QCOMPARE(lx::ui::describeIntervention(intervention(EditOp::Set, {1, 2}, 3.0)),
                 QStringLiteral("set to 3.00 on 2 channels"));
        QCOMPARE(lx::ui::describeIntervention(intervention(EditOp::Ablate, {1, 2, 3})),
                 QStringLiteral("ablate 3 channels"));
        QCOMPARE(lx::ui::describeIntervention(intervention(EditOp::CopyDonor, {7})),
                 QStringLiteral("copy from z2 on 1 channel"));
        // Slider ranges hold the default values; ablate and copy take none.
        for (EditOp op : {EditOp::Scale, EditOp::Set, EditOp::Offset}) {
            const auto [low, high] = InterventionPanel::sliderRange(op);
            QVERIFY(low < InterventionPanel::defaultValue(op) && InterventionPanel::defaultValue(op) < high);
        }
        QVERIFY(!InterventionPanel::takesValue(EditOp::Ablate));
        QVERIFY(!InterventionPanel::takesValue(EditOp::CopyDonor));
    }

    void frameRateCountsTheLastSecond()
    {
        lx::ui::FrameRate rate;
        QCOMPARE(rate.fps(), 0.0);
        for (int i = 0; i <= 10; ++i)
            rate.frame(qint64(i) * 100); // 10 frames a second
        QCOMPARE(rate.fps(), 10.0);
        rate.frame(1050);
        rate.frame(1100); // frames before 100 ms fell out of the window: 11 intervals in 1000 ms
        QCOMPARE(rate.fps(), 11.0);
        rate.frame(5000); // alone in its second: no rate
        QCOMPARE(rate.fps(), 0.0);
    }

    void panelWaitsForAModel()
    {
        MainWindow window(QStringLiteral("cpu"), kThreads);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        InterventionPanel* panel = window.interventionPanel();
        QVERIFY(!panel->addButton()->isEnabled());
        QVERIFY(!panel->slider()->isEnabled());
        // Ctrl+Z / Ctrl+Shift+Z (and the platform's own undo and redo keys) in an Edit menu.
        QAction* undo = findAction(&window, kUndoKeys);
        QAction* redo = findAction(&window, kRedoKeys);
        QVERIFY(undo && redo);
        QCOMPARE(undo->text(), QStringLiteral("&Undo"));
        QCOMPARE(redo->text(), QStringLiteral("&Redo"));
        QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
        for (const QKeySequence& keys : QKeySequence::keyBindings(QKeySequence::Redo))
            QVERIFY(redo->shortcuts().contains(keys)); // the platform's keys too
        QVERIFY(!undo->isEnabled());
    }

    void addedInterventionMatchesCore()
    {
        MainWindow window(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(window);
        CoreReference core(defaultModel());
        InterventionPanel* panel = window.interventionPanel();
        const int layer = window.workbenchState().layer;
        QVERIFY(layer >= 0);

        window.channelPanel()->setSelectedChannels(range(0, 12));
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(panel->addButton()->isEnabled());
        addThroughPanel(window, EditOp::Scale, 2.5);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(panel->list()->count(), 1);
        QCOMPARE(panel->rowText(0), QStringLiteral("1. scale ×2.50 on 12 channels"));
        QCOMPARE(panel->currentIndex(), 0); // the new intervention is selected: the slider edits it
        const lx::LayerEdit one = editOf({intervention(EditOp::Scale, range(0, 12), 2.5)});
        const QImage expected = core.edited(layer, 1, 2, one);
        QCOMPARE(window.hybridView()->image(), expected);
        QVERIFY(window.hybridView()->image() != window.x1View()->image());
        QVERIFY(window.statusText().contains(QStringLiteral("edit")));

        // A second operation on other channels composes with the first, in order.
        window.channelPanel()->setSelectedChannels(range(20, 8));
        QVERIFY(waitForLatestFrame(window));
        addThroughPanel(window, EditOp::Ablate, 0.0);
        addThroughPanel(window, EditOp::Offset, -0.75);
        window.channelPanel()->setSelectedChannels({3});
        addThroughPanel(window, EditOp::CopyDonor, 0.0);
        addThroughPanel(window, EditOp::Set, 4.0);
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(panel->list()->count(), 5);
        QCOMPARE(panel->rowText(2), QStringLiteral("3. offset -0.75 on 8 channels"));
        const lx::LayerEdit all =
            editOf({intervention(EditOp::Scale, range(0, 12), 2.5), intervention(EditOp::Ablate, range(20, 8)),
                    intervention(EditOp::Offset, range(20, 8), -0.75), intervention(EditOp::CopyDonor, {3}),
                    intervention(EditOp::Set, {3}, 4.0)});
        QVERIFY(lx::ui::sameEdit(window.workbenchState().edit, all));
        QCOMPARE(window.hybridView()->image(), core.edited(layer, 1, 2, all));
        QVERIFY(window.hybridView()->image() != expected);
    }

    void toggleAndRemoveRestoreX1()
    {
        MainWindow window(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(window);
        CoreReference core(defaultModel());
        InterventionPanel* panel = window.interventionPanel();
        const int layer = window.workbenchState().layer;
        window.channelPanel()->setSelectedChannels(range(4, 10));
        addThroughPanel(window, EditOp::Set, 3.0);
        QVERIFY(waitForLatestFrame(window));
        const QImage edited = core.edited(layer, 1, 2, editOf({intervention(EditOp::Set, range(4, 10), 3.0)}));
        QCOMPARE(window.hybridView()->image(), edited);

        // While an intervention is on, the channel selection does not swap anything.
        window.channelPanel()->selectNone();
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.hybridView()->image(), edited);

        // Off: no intervention and no channel from z2, x(z1) exactly.
        QCheckBox* box = panel->enabledBox(0);
        QVERIFY(box && box->isChecked());
        box->click();
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(!window.workbenchState().edit.interventions[0].enabled);
        QCOMPARE(window.hybridView()->image(), window.x1View()->image());
        QCOMPARE(window.hybridView()->image(), core.hybrid(layer, 1, 2, {}));
        panel->enabledBox(0)->click();
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.hybridView()->image(), edited);

        QAbstractButton* remove = panel->removeButton(0);
        QVERIFY(remove);
        remove->click();
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(panel->list()->count(), 0);
        QCOMPARE(window.hybridView()->image(), window.x1View()->image());
        QVERIFY(!panel->clearButton()->isEnabled());
    }

    void undoRedoRestoresExactPixels()
    {
        MainWindow window(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(window);
        QUndoStack* undo = window.undoStack();
        QCOMPARE(undo->count(), 0); // a freshly loaded model starts a clean history
        QVERIFY(undo->isClean());

        QVector<lx::ui::WorkbenchState> states{window.workbenchState()};
        QVector<QImage> images{window.hybridView()->image()};
        const auto record = [&] {
            QVERIFY(waitForLatestFrame(window));
            states << window.workbenchState();
            images << window.hybridView()->image();
        };
        window.channelPanel()->setSelectedChannels({1, 2, 3, 9});
        record();
        addThroughPanel(window, EditOp::Scale, 0.25);
        record();
        window.seedPanel()->setSeeds(5, 6);
        record();
        window.interventionPanel()->enabledBox(0)->click();
        record();
        const int otherLayer = window.workbenchState().layer - 1;
        window.layerPanel()->setCurrentLayer(otherLayer);
        record();
        QCOMPARE(window.workbenchState().layer, otherLayer);
        QVERIFY(window.workbenchState().edit.interventions.empty()); // interventions belong to a layer
        QCOMPARE(undo->count(), 5);
        for (int i = 1; i < images.size(); ++i)
            QVERIFY2(images[i] != images[i - 1], qPrintable(QStringLiteral("edit %1 changed nothing").arg(i)));

        // Ctrl+Z walks back through every edit, restoring the state and the exact pixels.
        QAction* undoAction = findAction(&window, kUndoKeys);
        QAction* redoAction = findAction(&window, kRedoKeys);
        QVERIFY(undoAction && redoAction);
        for (int i = images.size() - 2; i >= 0; --i) {
            QVERIFY(undoAction->isEnabled());
            undoAction->trigger();
            QVERIFY(waitForLatestFrame(window));
            QVERIFY2(window.workbenchState() == states[i], qPrintable(QStringLiteral("state %1").arg(i)));
            QCOMPARE(window.hybridView()->image(), images[i]);
        }
        QCOMPARE(window.layerPanel()->currentLayer(), states[0].layer);
        QCOMPARE(window.channelPanel()->selectedChannels(), states[0].channels);
        QCOMPARE(window.seedPanel()->seed1(), quint64(1));
        QCOMPARE(window.interventionPanel()->list()->count(), 0);
        QVERIFY(!undoAction->isEnabled());
        for (int i = 1; i < images.size(); ++i) {
            redoAction->trigger();
            QVERIFY(waitForLatestFrame(window));
            QVERIFY2(window.workbenchState() == states[i], qPrintable(QStringLiteral("state %1").arg(i)));
            QCOMPARE(window.hybridView()->image(), images[i]);
        }
        // The keys themselves, with the window active.
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.hybridView()->setFocus();
        QTest::keySequence(&window, kUndoKeys);
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(window.workbenchState() == states[states.size() - 2]);
        QTest::keySequence(&window, kRedoKeys);
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(window.workbenchState() == states.last());
    }

    void channelClicksAreUndoSteps()
    {
        MainWindow window(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(window);
        QListWidget* list = window.channelPanel()->list();
        const QVector<int> start = window.channelPanel()->selectedChannels();
        const auto centre = [&](int row) {
            list->scrollToItem(list->item(row));
            return list->visualItemRect(list->item(row)).center();
        };
        QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, centre(3));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::ControlModifier, centre(5));
        QCOMPARE(window.channelPanel()->selectedChannels(), QVector<int>({3, 5}));
        QCOMPARE(window.undoStack()->count(), 2); // a click, one step
        // A rubber-band drag over three channels, however many selection changes it makes: one step.
        QTest::mousePress(list->viewport(), Qt::LeftButton, Qt::NoModifier, centre(8));
        QTest::mouseMove(list->viewport(), centre(9));
        QTest::mouseMove(list->viewport(), centre(10));
        QTest::mouseRelease(list->viewport(), Qt::LeftButton, Qt::NoModifier, centre(10));
        QCOMPARE(window.channelPanel()->selectedChannels(), QVector<int>({8, 9, 10}));
        QCOMPARE(window.undoStack()->count(), 3);
        window.undoStack()->undo();
        QCOMPARE(window.channelPanel()->selectedChannels(), QVector<int>({3, 5}));
        window.undoStack()->undo();
        QCOMPARE(window.channelPanel()->selectedChannels(), QVector<int>({3}));
        window.undoStack()->undo();
        QCOMPARE(window.channelPanel()->selectedChannels(), start);
        QVERIFY(waitForLatestFrame(window));
    }

    void brushedMaskMatchesCore()
    {
        MainWindow window(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(window);
        CoreReference core(defaultModel());
        InterventionPanel* panel = window.interventionPanel();
        lx::ui::ImageView* view = window.hybridView();
        const int layer = window.workbenchState().layer;
        window.channelPanel()->setSelectedChannels(range(0, 32));
        addThroughPanel(window, EditOp::Set, 4.0);
        QVERIFY(waitForLatestFrame(window));
        const QImage everywhere = view->image();
        QCOMPARE(panel->maskText(), QStringLiteral("No mask: acts everywhere"));

        // Brush a disc of radius 4 at the image's centre onto the selected intervention.
        QVERIFY(panel->brushButton()->isEnabled());
        panel->brushButton()->click();
        QVERIFY(view->brushEnabled());
        panel->radiusBox()->setValue(4);
        QCOMPARE(view->brushRadius(), 4.0);
        const QRect shown = view->imageRect();
        QVERIFY(shown.width() >= view->image().width());
        QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, shown.center());
        QVERIFY(waitForLatestFrame(window));
        const lx::Intervention& brushed = window.workbenchState().edit.interventions[0];
        QVERIFY(brushed.hasMask());
        QCOMPARE(brushed.maskHeight, view->image().height()); // at the image's resolution
        QCOMPARE(brushed.maskWidth, view->image().width());
        int inside = 0;
        for (float m : brushed.mask) {
            QVERIFY(m == 0.0f || m == 1.0f);
            inside += m == 1.0f ? 1 : 0;
        }
        QVERIFY2(inside >= 36 && inside <= 64, qPrintable(QString::number(inside))); // ~ pi 4^2 = 50
        const int cx = (shown.center().x() - shown.x()) * brushed.maskWidth / shown.width();
        const int cy = (shown.center().y() - shown.y()) * brushed.maskHeight / shown.height();
        QCOMPARE(brushed.mask[size_t(cy * brushed.maskWidth + cx)], 1.0f);
        QCOMPARE(brushed.mask[0], 0.0f);
        QVERIFY(panel->maskText().endsWith(QStringLiteral("% of the image")));
        QCOMPARE(view->mask().size(), view->image().size()); // the overlay shows it

        // Core pools the mask to the layer (8 x 8 at main.5): the same pixels as core's own result.
        lx::LayerEdit masked;
        masked.interventions = {brushed};
        const QImage expected = core.edited(layer, 1, 2, masked);
        QCOMPARE(view->image(), expected);
        QVERIFY(expected != everywhere);
        QVERIFY(expected != window.x1View()->image());
        // Two transposed convolutions (kernel 4, stride 2) spread a layer cell by a few pixels only:
        // the far corner keeps x(z1)'s pixels.
        QCOMPARE(view->image().copy(0, 0, 3, 3), window.x1View()->image().copy(0, 0, 3, 3));

        // One undo step per stroke; "Clear mask" makes it act everywhere again.
        window.undoStack()->undo();
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(!window.workbenchState().edit.interventions[0].hasMask());
        QCOMPARE(view->image(), everywhere);
        window.undoStack()->redo();
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(view->image(), expected);
        panel->clearMaskButton()->click();
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(!window.workbenchState().edit.interventions[0].hasMask());
        QCOMPARE(view->image(), everywhere);
        QVERIFY(view->mask().isNull());

        // With no intervention selected, the stroke is the mask the next "Add" takes.
        panel->setCurrentIndex(-1);
        QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, shown.topLeft() + QPoint(2, 2));
        QVERIFY(!panel->pendingMask().isNull());
        QCOMPARE(int(window.workbenchState().edit.interventions.size()), 1);
        addThroughPanel(window, EditOp::Ablate, 0.0);
        QVERIFY(waitForLatestFrame(window));
        QVERIFY(window.workbenchState().edit.interventions[1].hasMask());
        panel->brushButton()->click();
        QVERIFY(!view->brushEnabled());
    }

    void sliderStormEndsOnFinalValue()
    {
        MainWindow window(QStringLiteral("cpu"), kThreads);
        LX_OPEN_DEFAULT_MODEL(window);
        CoreReference core(defaultModel());
        InterventionPanel* panel = window.interventionPanel();
        const int layer = window.workbenchState().layer;
        window.channelPanel()->setSelectedChannels(range(0, 16));
        addThroughPanel(window, EditOp::Scale, 1.5);
        QVERIFY(waitForLatestFrame(window));
        const QImage before = window.hybridView()->image();
        const int steps = window.undoStack()->count();
        QCOMPARE(panel->currentIndex(), 0);

        // 500 slider positions, as fast as the UI thread can post them; frames arrive in between.
        QSlider* slider = panel->slider();
        const quint64 firstSeq = lastHybridPosted(*window.controller());
        for (int i = 0; i < 500; ++i) {
            slider->setValue((i * 379 + 11) % (InterventionPanel::kSliderSteps + 1));
            if (i % 25 == 0)
                QCoreApplication::processEvents();
        }
        const double last = panel->value();
        QVERIFY(lastHybridPosted(*window.controller()) - firstSeq >= 400); // (a few positions repeat)
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.workbenchState().edit.interventions[0].value, last);
        const QImage expected = core.edited(layer, 1, 2, editOf({intervention(EditOp::Scale, range(0, 16), last)}));
        QCOMPARE(window.hybridView()->image(), expected);
        // No stale frame comes after the final one.
        const quint64 shown = window.lastShownSeq();
        QTest::qWait(300);
        QCOMPARE(window.lastShownSeq(), shown);
        QCOMPARE(window.hybridView()->image(), expected);
        QVERIFY(panel->rowText(0).startsWith(QStringLiteral("1. scale ×")));

        // The whole drag is one undo step, back to the value before it.
        QCOMPARE(window.undoStack()->count(), steps + 1);
        window.undoStack()->undo();
        QVERIFY(waitForLatestFrame(window));
        QCOMPARE(window.workbenchState().edit.interventions[0].value, 1.5);
        QCOMPARE(panel->value(), 1.5);
        QCOMPARE(window.hybridView()->image(), before);
    }
};

QTEST_MAIN(TestInterventionPanel)
#include "test_InterventionPanel.moc"
