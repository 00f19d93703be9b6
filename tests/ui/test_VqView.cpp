// The Codes (CT-VAE) tab, offscreen on the hand-built vq_known.pt (tests/fixtures/make_vq_fixtures.py
// documents it in closed form: grid [2, 3, 4], K = 5, decode fills each 8x8 patch with code / 4, action f /
// F + f moves row f of code map 0 by +1 / -1 and of code map 1 by -1 / +1, mod K). Its card names no
// dataset, so the tests give the view KnownDataset: factors top, middle, bottom with 5 values each, the image
// of (t, m, b) being the decoding of code map 0 rows (t, m, b) and code map 1 rows (4 - t, 4 - m, 4 - b). A
// factor step is then exactly the fixture's action, without wrap-around.
//
// Checked: a vqvae file opens in the Codes tab; the grid shows exactly the encoded codes; editing one cell
// changes that code only and the decoded image only in its patch (against lx::VqModel::decode); an action
// highlights exactly the nodes it changes; the trajectory strip counts the applications; the adjacency
// heatmap holds lx::VqModel::adjacency; retrieval bars sum to 1 with the true action on top; Evaluate gives
// accuracy 1 and Cancel stops it; undo restores the codes; a broken file is one line and the model stays;
// sessions restore the codes; drag-and-drop and other kinds switch the tabs; vq_shapes.pt gets lx-shapes; the
// bundled models/ctvae_shapes.pt (when there) shows core's codes and accuracies.
#include "lx/Npy.h"
#include "lx/VqModel.h"
#include "lx/VqPairs.h"
#include "ui/cgn/CgnMixerView.h"
#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ImageStrips.h"
#include "ui/widgets/ImageView.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/ResponseMatrixPlot.h"
#include "ui/shell/SessionController.h"
#include "ui/compute/TaskBar.h"
#include "ui/vq/VqActionPalette.h"
#include "ui/vq/VqCodeGrid.h"
#include "ui/vq/VqEvaluatePanel.h"
#include "ui/vq/VqFactorPicker.h"
#include "ui/vq/VqRetrievalPanel.h"
#include "ui/vq/VqRetrievalPlot.h"
#include "ui/vq/VqTasks.h"
#include "ui/vq/VqView.h"

#include "UiTestSupport.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QDropEvent>
#include <QFile>
#include <QJsonDocument>
#include <QMimeData>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>
#include <numeric>

using lx::ui::MainWindow;
using lx::ui::VqView;
using lx::ui::VqViewState;
using namespace lx::ui::test;

namespace {

constexpr int kB = 2, kH = 3, kW = 4, kK = 5, kNodes = kB * kH * kW, kPatch = 8;
const QStringList kActions{"top+", "middle+", "bottom+", "top-", "middle-", "bottom-"};

QString knownPath() { return fixture(QStringLiteral("vq_known.pt")); }

// The codes of factor values (t, m, b): code map 0 row f = v_f, code map 1 row f = 4 - v_f.
QVector<int> codesOf(const std::vector<int64_t>& v)
{
    QVector<int> codes(kNodes);
    for (int f = 0; f < kH; ++f) {
        for (int j = 0; j < kW; ++j) {
            codes[f * kW + j] = int(v[size_t(f)]);
            codes[kH * kW + f * kW + j] = kK - 1 - int(v[size_t(f)]);
        }
    }
    return codes;
}

class KnownDataset : public lx::FactorDataset {
public:
    std::string name() const override { return "known-vq"; }
    const std::vector<std::string>& factorNames() const override { return mNames; }
    const std::vector<int64_t>& factorSizes() const override { return mSizes; }
    std::vector<int64_t> imageShape() const override { return {kB, kH * kPatch, kW * kPatch}; }
    lx::Array images(const std::vector<int64_t>& indices) const override
    {
        lx::Array out({int64_t(indices.size()), kB, kH * kPatch, kW * kPatch});
        float* p = out.ptr();
        for (int64_t index : indices) {
            const QVector<int> codes = codesOf(factorsOf(index));
            for (int c = 0; c < kB; ++c)
                for (int y = 0; y < kH * kPatch; ++y)
                    for (int x = 0; x < kW * kPatch; ++x)
                        *p++ = codes[c * kH * kW + (y / kPatch) * kW + x / kPatch] / 4.0f;
        }
        return out;
    }

private:
    std::vector<std::string> mNames{"top", "middle", "bottom"};
    std::vector<int64_t> mSizes{5, 5, 5};
};

std::unique_ptr<lx::VqModel> loadDirect(const QString& path = knownPath())
{
    lx::LoadOptions options;
    options.device = lx::DeviceChoice::Cpu;
    options.threads = 1;
    return lx::VqModel::load(path.toStdString(), options);
}

lx::Array codesArray(const QVector<int>& codes)
{
    return lx::Array({1, kB, kH, kW}, std::vector<float>(codes.begin(), codes.end()));
}

bool waitForRender(VqView* view)
{
    return QTest::qWaitFor(
        [&] { return view->lastShownRender() != 0 && view->lastShownRender() == view->lastPostedRender(); },
        kTimeoutMs);
}

bool waitForAdjacency(VqView* view)
{
    return QTest::qWaitFor(
        [&] { return view->lastShownAdjacency() != 0 && view->lastShownAdjacency() == view->lastPostedAdjacency(); },
        kTimeoutMs);
}

bool waitForRetrieval(VqView* view)
{
    return QTest::qWaitFor(
        [&] { return view->lastShownRetrieval() != 0 && view->lastShownRetrieval() == view->lastPostedRetrieval(); },
        kTimeoutMs);
}

std::unique_ptr<MainWindow> newWindow()
{
    auto window = std::make_unique<MainWindow>(QStringLiteral("cpu"), 1);
    window->setErrorDialogsEnabled(false);
    window->sessionController()->setAutosaveEnabled(false);
    window->resize(1400, 900);
    window->show();
    return window;
}

// A shown window with vq_known.pt open in the Codes tab, its first codes shown; with `known`, on KnownDataset.
std::unique_ptr<MainWindow> openKnown(bool known = true)
{
    auto window = newWindow();
    if (!openAndWait(*window, knownPath(), false) || !waitForRender(window->vqView()))
        return nullptr;
    if (known) {
        window->vqView()->setDataset(std::make_shared<KnownDataset>());
        if (!waitForRender(window->vqView()))
            return nullptr;
    }
    return window;
}

// The nodes of row `row` in both code maps.
QVector<int> rowNodes(int row)
{
    QVector<int> nodes;
    for (int b = 0; b < kB; ++b)
        for (int j = 0; j < kW; ++j)
            nodes << b * kH * kW + row * kW + j;
    return nodes;
}

} // namespace

class TestVqView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        lx::ui::registerWorkerTypes();
        for (const char* name : {"vq_known.pt", "vq_shapes.pt", "vq_nodecode.pt", "tiny_gen.pt", "cgn_known.pt"}) {
            if (!QFileInfo::exists(fixture(QLatin1String(name))))
                QFAIL(qPrintable(QStringLiteral("fixture %1 is missing (run the make_*_fixtures tests)").arg(name)));
        }
    }

    void opensInTheCodesTabWithTheEncodedCodes()
    {
        auto window = openKnown(false);
        QVERIFY(window);
        VqView* view = window->vqView();
        QVERIFY(window->vqOpen());
        QVERIFY(!window->cgnOpen());
        QCOMPARE(window->summary().kind, QStringLiteral("vqvae"));
        QTabWidget* tabs = window->centralTabs();
        QVERIFY(tabs->currentWidget()->isAncestorOf(view));
        QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Codes (CT-VAE)"));
        for (int i = 0; i < tabs->count(); ++i)
            QCOMPARE(tabs->isTabEnabled(i), tabs->widget(i)->isAncestorOf(view));
        QVERIFY(!window->channelDock()->isVisible());
        QCOMPARE(view->info().actions, kActions);
        QCOMPARE(view->info().nodes(), kNodes);
        QVERIFY(view->actionPalette()->isFactorGrid());
        QCOMPARE(view->actionPalette()->buttonCell(1), qMakePair(2, 1)); // middle+: row "middle", column +
        QCOMPARE(view->actionPalette()->buttonCell(4), qMakePair(2, 2)); // middle-

        // No dataset in the card: x decodes random codes (seed 1), which encode gives back exactly.
        QVERIFY(!view->info().dataset);
        QVERIFY(!view->sourcePicker()->hasDataset());
        const lx::Array random = lx::ui::VqTasks::randomCodes(view->info(), 1);
        const QVector<int> randomCodes(random.data().begin(), random.data().end());
        QCOMPARE(view->codeGrid()->codes(), randomCodes);
        QVERIFY(view->codeGrid()->changedNodes().isEmpty());

        // KnownDataset: x picked by its factors, through the spin boxes.
        view->setDataset(std::make_shared<KnownDataset>());
        QVERIFY(view->info().pairsUsable);
        lx::ui::VqFactorPicker* picker = view->sourcePicker();
        QCOMPARE(picker->factorCount(), 3);
        picker->factorBox(0)->setValue(1);
        picker->factorBox(1)->setValue(3);
        picker->factorBox(2)->setValue(4);
        QVERIFY(waitForRender(view));
        QCOMPARE(int64_t(view->state().source), KnownDataset().indexOf({1, 3, 4}));
        QCOMPARE(picker->indexBox()->value(), int(view->state().source));
        const QVector<int> expected = codesOf({1, 3, 4});
        QCOMPARE(view->codeGrid()->codes(), expected);
        QCOMPARE(view->codeGrid()->reference(), expected);
        QCOMPARE(view->lastFrame().encoded, expected);
        // The same as core on its own.
        auto model = loadDirect();
        const KnownDataset data;
        const lx::Array x = lx::VqPairs::imagesFor(*model, data, {view->state().source});
        QVERIFY(model->encode(x) == codesArray(expected));
        QVERIFY(view->lastFrame().x == x);
        QVERIFY(view->lastFrame().decoded == model->decode(codesArray(expected)));
        // The images: x, its reconstruction and the current codes are the same here (channel 0 shown).
        QCOMPARE(view->originalView()->image().size(), QSize(32, 24));
        QCOMPARE(view->reconstructionView()->image(), view->originalView()->image());
        QCOMPARE(view->currentView()->image(), view->originalView()->image());
        QCOMPARE(qGray(view->originalView()->image().pixel(3, 9)), int(std::lround(255 * 3 / 4.0))); // row 1: code 3
        // Hover text and cell geometry.
        QCOMPARE(view->codeGrid()->cellText(23), QStringLiteral("codebook 1, row 2, column 3: code 0"));
        QCOMPARE(view->codeGrid()->nodeAt(view->codeGrid()->cellRect(17).center()), 17);
        QVERIFY(view->codeGrid()->numbersShown());
        QCOMPARE(window->undoStack()->count(), 3); // one step per factor
        QVERIFY(view->statusText().contains(QStringLiteral("ms")));
    }

    void editingOneCellChangesOnlyItsPatch()
    {
        auto window = openKnown();
        QVERIFY(window);
        VqView* view = window->vqView();
        lx::ui::VqCodeGrid* grid = view->codeGrid();
        const QVector<int> encoded = view->lastFrame().codes;
        const lx::Array before = view->lastFrame().decoded;
        const QImage imageBefore = view->currentView()->image();
        const int stepsBefore = window->undoStack()->count();

        // Click the cell (codebook 0, row 1, column 2), then set its code in the spin box.
        const int node = 1 * kW + 2;
        QTest::mouseClick(grid, Qt::LeftButton, Qt::NoModifier, grid->cellRect(node).center());
        QCOMPARE(view->selectedNode(), node);
        QCOMPARE(grid->selected(), node);
        QCOMPARE(view->codeBox()->value(), encoded[node]);
        const int code = (encoded[node] + 2) % kK;
        view->codeBox()->setValue(code);
        QVERIFY(waitForRender(view));
        QCOMPARE(window->undoStack()->count(), stepsBefore + 1);
        QVector<int> want = encoded;
        want[node] = code;
        QCOMPARE(grid->codes(), want);
        QCOMPARE(grid->changedNodes(), QVector<int>{node});
        QCOMPARE(view->lastFrame().lastChanged, QVector<int>{node});

        // Decoded as core decodes the edited codes; only the cell's 8x8 patch of channel 0 differs.
        auto model = loadDirect();
        const lx::Array direct = model->decode(codesArray(want));
        QVERIFY(view->lastFrame().decoded == direct);
        const int h = kH * kPatch, w = kW * kPatch;
        int changedPixels = 0;
        for (int c = 0; c < kB; ++c) {
            for (int y = 0; y < h; ++y) {
                for (int x = 0; x < w; ++x) {
                    const int i = (c * h + y) * w + x;
                    const bool inPatch = c == 0 && y / kPatch == 1 && x / kPatch == 2;
                    const bool differs = view->lastFrame().decoded.ptr()[i] != before.ptr()[i];
                    QCOMPARE(differs, inPatch);
                    changedPixels += differs;
                }
            }
        }
        QCOMPARE(changedPixels, kPatch * kPatch);
        const QImage imageAfter = view->currentView()->image();
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                QCOMPARE(imageAfter.pixel(x, y) != imageBefore.pixel(x, y), y / kPatch == 1 && x / kPatch == 2);
        QCOMPARE(qGray(imageAfter.pixel(17, 9)), int(std::lround(255 * code / 4.0)));

        // More spin steps on the same cell fold into the same undo step; undo gives the encoded codes back.
        view->codeBox()->setValue((code + 1) % kK);
        QCOMPARE(window->undoStack()->count(), stepsBefore + 1);
        QVERIFY(waitForRender(view));
        window->undoStack()->undo();
        QVERIFY(view->state().ops.isEmpty());
        QVERIFY(waitForRender(view));
        QCOMPARE(grid->codes(), encoded);
        QVERIFY(grid->changedNodes().isEmpty());
        QVERIFY(view->lastFrame().decoded == before);

        // The context menu's choice (codeRequested) is the same edit, on a code map 1 cell.
        Q_EMIT grid->codeRequested(kH * kW + 5, (encoded[kH * kW + 5] + 1) % kK);
        QVERIFY(waitForRender(view));
        QCOMPARE(grid->changedNodes(), QVector<int>{kH * kW + 5});
        QVERIFY(view->lastFrame().decoded == model->decode(codesArray(grid->codes())));
    }

    void actionsHighlightTheirNodesAndMakeATrajectory()
    {
        auto window = openKnown();
        QVERIFY(window);
        VqView* view = window->vqView();
        lx::ui::VqActionPalette* palette = view->actionPalette();
        const QVector<int> encoded = view->lastFrame().codes;
        auto model = loadDirect();

        // middle+ moves row 1: code map 0 by +1, code map 1 by -1 (mod 5); exactly those 8 nodes change.
        QCOMPARE(palette->button(1)->text(), QStringLiteral("middle+"));
        QTest::mouseClick(palette->button(1), Qt::LeftButton);
        QVERIFY(waitForRender(view));
        QCOMPARE(view->codeGrid()->highlighted(), rowNodes(1));
        QCOMPARE(view->codeGrid()->changedNodes(), rowNodes(1));
        QVector<int> want = encoded;
        for (int j = 0; j < kW; ++j) {
            want[kW + j] = (encoded[kW + j] + 1) % kK;
            want[kH * kW + kW + j] = (encoded[kH * kW + kW + j] + kK - 1) % kK;
        }
        QCOMPARE(view->codeGrid()->codes(), want);
        QVERIFY(model->apply(codesArray(encoded), 1) == codesArray(want));
        QVERIFY(view->lastFrame().decoded == model->decode(codesArray(want)));
        QCOMPARE(view->trajectoryStrip()->rowCount(), 1);
        QCOMPARE(int(view->trajectoryStrip()->row(0).images.size()), 2); // start + one step
        QCOMPARE(view->adjacencyAction(), 1); // the applied action's graph

        // top- three times (one click, one undo step): row 0 highlighted, the strip counts 1 + 1 + 3.
        const int steps = window->undoStack()->count();
        palette->repeatBox()->setValue(3);
        QTest::mouseClick(palette->button(3), Qt::LeftButton);
        QCOMPARE(window->undoStack()->count(), steps + 1);
        QVERIFY(waitForRender(view));
        QCOMPARE(view->codeGrid()->highlighted(), rowNodes(0));
        QCOMPARE(view->lastFrame().trajectorySteps, 4);
        QCOMPARE(int(view->trajectoryStrip()->row(0).images.size()), 5);
        QCOMPARE(view->trajectoryStrip()->columnCaptions().last(), QStringLiteral("4. top-"));
        lx::Array direct = codesArray(want);
        for (int k = 0; k < 3; ++k)
            direct = model->apply(direct, 3);
        QVERIFY(view->lastFrame().codesArray == direct);
        const lx::Array trajectory = model->trajectory(codesArray(want), 3, 3); // [1, 4, B, h, w]
        QCOMPARE(view->lastFrame().trajectoryArray.shape(), (std::vector<int64_t>{1, 5, kB, kH, kW}));
        for (int s = 0; s < 4; ++s)
            QVERIFY(view->lastFrame().trajectoryArray.row(0).row(s + 1) == trajectory.row(0).row(s));

        // Reset: the encoded codes, nothing highlighted; undo brings the trajectory back.
        QTest::mouseClick(palette->resetButton(), Qt::LeftButton);
        QVERIFY(waitForRender(view));
        QCOMPARE(view->codeGrid()->codes(), encoded);
        QVERIFY(view->codeGrid()->highlighted().isEmpty());
        QCOMPARE(view->trajectoryStrip()->rowCount(), 0);
        window->undoStack()->undo();
        QVERIFY(waitForRender(view));
        QVERIFY(view->lastFrame().codesArray == direct);
        window->undoStack()->undo();
        window->undoStack()->undo();
        QVERIFY(waitForRender(view));
        QCOMPARE(view->codeGrid()->codes(), encoded);

        // Exports: the codes as .npy (integer values), the panels as PNG.
        const QMap<QString, lx::Array> arrays = view->codeArrays();
        QVERIFY(arrays.contains(QStringLiteral("codes")) && arrays.contains(QStringLiteral("trajectory")));
        QVERIFY(arrays.value(QStringLiteral("codes")) == codesArray(encoded));
        QTemporaryDir dir;
        lx::ui::ExportMenu::writeArrays(dir.path(), arrays);
        QVERIFY(lx::Npy::read(dir.filePath(QStringLiteral("codes.npy")).toStdString()) == codesArray(encoded));
        QString error;
        QVERIFY(lx::ui::ExportMenu::saveWidget(view->codesPanel(), dir.filePath(QStringLiteral("codes.png")), &error));
        QVERIFY(!QImage(dir.filePath(QStringLiteral("codes.png"))).isNull());
    }

    void adjacencyHeatmapIsTheModels()
    {
        auto window = openKnown();
        QVERIFY(window);
        VqView* view = window->vqView();
        auto model = loadDirect();
        QCOMPARE(view->adjacencyBox()->count(), 1 + 6);
        for (int a : {lx::VqModel::kIdentity, 0, 4}) {
            view->setAdjacencyAction(a);
            QVERIFY(waitForAdjacency(view));
            QCOMPARE(view->lastAdjacency().action, a);
            const lx::ui::ResponseMatrixPlot* plot = view->adjacencyPlot();
            QCOMPARE(plot->rows(), kNodes);
            QCOMPARE(plot->columns(), kNodes);
            QVERIFY(plot->title().contains(view->info().actionName(a)));
            const lx::Array adj = model->adjacency(a);
            for (int i = 0; i < kNodes; ++i)
                for (int j = 0; j < kNodes; ++j)
                    QCOMPARE(plot->cellValue(i, j), double(adj.ptr()[i * kNodes + j]));
        }
        // middle- (4): 0.75 between the row-1 nodes of both maps, 0.5 on the diagonal.
        QCOMPARE(view->adjacencyPlot()->cellValue(4, 16), 0.75);
        QCOMPARE(view->adjacencyPlot()->cellValue(4, 4), 0.5);
        QCOMPARE(view->adjacencyPlot()->cellValue(0, 1), 0.0);
    }

    void retrievalFindsTheTrueAction()
    {
        auto window = openKnown();
        QVERIFY(window);
        VqView* view = window->vqView();
        view->showPage(VqView::Page::Retrieval);
        auto model = loadDirect();
        const KnownDataset data;
        for (int draw = 0; draw < 2; ++draw) {
            const quint64 seed = quint64(view->retrievalPanel()->pairSeedBox()->value());
            const lx::VqPairSet pair = lx::VqPairs::generate(data, 1, seed);
            QTest::mouseClick(view->retrievalPanel()->randomPairButton(), Qt::LeftButton);
            QCOMPARE(int64_t(view->state().source), pair.base.front());
            QCOMPARE(int64_t(view->state().target), pair.stepped.front());
            QVERIFY(waitForRetrieval(view));
            QVERIFY(waitForRender(view));
            const lx::ui::VqRetrievalData& r = view->lastRetrieval();
            QCOMPARE(r.source, view->state().source);
            QCOMPARE(r.target, view->state().target);
            QCOMPARE(r.trueAction, pair.actions.front());
            QCOMPARE(lx::VqPairs::step(data, r.source, r.trueAction), r.target);
            const QVector<double> bars = view->retrievalPanel()->plot()->values();
            QCOMPARE(int(bars.size()), 6);
            QVERIFY(std::abs(std::accumulate(bars.begin(), bars.end(), 0.0) - 1.0) < 1e-5);
            QCOMPARE(int(std::max_element(bars.begin(), bars.end()) - bars.begin()), r.trueAction);
            QCOMPARE(view->retrievalPanel()->plot()->markedAction(), r.trueAction);
            QCOMPARE(r.predicted, r.trueAction);
            const lx::Array p = model->retrieval(lx::VqPairs::imagesFor(*model, data, {r.source}),
                                                 lx::VqPairs::imagesFor(*model, data, {r.target}));
            for (int a = 0; a < 6; ++a)
                QVERIFY(std::abs(bars[a] - p.ptr()[a]) < 1e-6);
            QVERIFY(view->retrievalPanel()->resultText().contains(QStringLiteral("right")));
        }
        // The seed moved on with each draw (1 -> 2 -> 3).
        QCOMPARE(view->retrievalPanel()->pairSeedBox()->value(), 3);
        // y two steps away: no true action, nothing marked.
        lx::ui::VqFactorPicker* y = view->retrievalPanel()->targetPicker();
        const std::vector<int64_t> x = data.factorsOf(view->state().source);
        y->setIndex(view->state().source);
        y->factorBox(0)->setValue(int((x[0] + 2) % 5));
        y->factorBox(1)->setValue(int((x[1] + 2) % 5));
        QVERIFY(waitForRetrieval(view));
        QCOMPARE(view->lastRetrieval().trueAction, -1);
        QCOMPARE(view->retrievalPanel()->plot()->markedAction(), -1);
    }

    void evaluateIsExactAndCancels()
    {
        auto window = openKnown();
        QVERIFY(window);
        VqView* view = window->vqView();
        view->showPage(VqView::Page::Evaluate);
        lx::ui::VqEvaluatePanel* panel = view->evaluatePanel();
        QSignalSpy finished(view, &VqView::evaluationFinished);
        panel->pairsBox()->setValue(300);
        panel->seedBox()->setValue(4);
        QTest::mouseClick(panel->evaluateButton(), Qt::LeftButton);
        QVERIFY(panel->taskBar()->isRunning());
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, kTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), true);
        const lx::VqEvaluation& e = view->lastEvaluation().evaluation;
        QCOMPARE(e.pairs, int64_t(300));
        QCOMPARE(e.actionAccuracy, 1.0);
        QCOMPARE(e.factorAccuracy, 1.0);
        QCOMPARE(e.actionChance, 1.0 / 6);
        QCOMPARE(e.factorChance, 1.0 / 3);
        QVERIFY(panel->resultText().contains(QStringLiteral("100.0%")));
        const lx::ui::ResponseMatrixPlot* confusion = panel->confusionPlot();
        QCOMPARE(confusion->rows(), 6);
        for (int t = 0; t < 6; ++t)
            for (int p = 0; p < 6; ++p)
                QCOMPARE(confusion->cellValue(t, p), t == p ? 1.0 : 0.0);
        // The same numbers as core's evaluate.
        auto model = loadDirect();
        const lx::VqEvaluation direct = lx::VqPairs::evaluate(*model, KnownDataset(), 300, 4);
        QCOMPARE(e.meanTrueProbability, direct.meanTrueProbability);

        // A long evaluation stops on Cancel.
        finished.clear();
        QVERIFY(view->evaluate(1000000, 1) != 0);
        QVERIFY(view->evaluate(10, 1) == 0); // one at a time
        QTest::mouseClick(panel->taskBar()->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, kTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(panel->taskBar()->statusText().contains(QStringLiteral("cancelled")));
        QVERIFY(!panel->taskBar()->isRunning());
        QCOMPARE(view->lastEvaluation().evaluation.pairs, int64_t(300)); // the last result stays
    }

    void rapidFactorChangesCoalesce()
    {
        auto window = openKnown();
        QVERIFY(window);
        VqView* view = window->vqView();
        const int steps = window->undoStack()->count();
        QSpinBox* box = view->sourcePicker()->factorBox(2);
        for (int k = 0; k < 20; ++k)
            box->setValue(k % 5);
        box->setValue(3);
        QCOMPARE(window->undoStack()->count(), steps + 1); // one factor's edits: one undo step
        QVERIFY(waitForRender(view));
        QTest::qWait(100); // nothing older may arrive after it
        QVERIFY(view->lastFrame().state == view->state());
        QCOMPARE(KnownDataset().factorsOf(view->state().source)[2], int64_t(3));
        QCOMPARE(view->codeGrid()->codes(), codesOf(KnownDataset().factorsOf(view->state().source)));
    }

    void brokenFileKeepsTheModel()
    {
        auto window = openKnown(false);
        QVERIFY(window);
        for (const char* name : {"vq_nodecode.pt", "vq_badcard.pt", "vq_notidentity.pt"}) {
            QSignalSpy failed(window.get(), &MainWindow::modelFailed);
            window->openModel(fixture(QLatin1String(name)));
            QVERIFY(QTest::qWaitFor([&] { return !failed.isEmpty(); }, kTimeoutMs));
            const QString error = failed.first().first().toString();
            QVERIFY2(!error.isEmpty() && !error.contains(QLatin1Char('\n')), qPrintable(error));
            QVERIFY2(error.contains(QLatin1String(name)), qPrintable(error));
            QVERIFY(window->vqOpen());
            QCOMPARE(window->vqView()->info().path, knownPath());
            QCOMPARE(window->summary().path, knownPath());
        }
        // It still computes.
        window->vqView()->applyAction(0);
        QVERIFY(waitForRender(window->vqView()));
        QCOMPARE(window->vqView()->codeGrid()->highlighted(), rowNodes(0));
    }

    void sessionRestoresTheCodes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vq.lxsession"));
        VqViewState saved;
        QVector<int> codes;
        {
            auto window = openKnown(false); // random codes from a seed: the session can restore them
            QVERIFY(window);
            VqView* view = window->vqView();
            view->sourcePicker()->indexBox()->setValue(7);
            view->setCode(5, 4);
            view->applyAction(2, 2);
            view->setAdjacencyAction(3);
            view->showPage(VqView::Page::Evaluate);
            QVERIFY(waitForRender(view));
            saved = view->state();
            QCOMPARE(saved.source, qint64(7));
            QCOMPARE(int(saved.ops.size()), 3);
            codes = view->codeGrid()->codes();
            QVERIFY(window->sessionController()->saveTo(path));
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject view =
            QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("view")).toObject();
        QCOMPARE(view.value(QStringLiteral("vq")).toObject().value(QStringLiteral("source")).toInt(), 7);

        auto second = newWindow();
        QSignalSpy opened(second->sessionController(), &lx::ui::SessionController::sessionOpened);
        QVERIFY(second->sessionController()->open(path));
        QVERIFY(QTest::qWaitFor([&] { return !opened.isEmpty(); }, kTimeoutMs));
        QVERIFY(second->vqOpen());
        VqView* restored = second->vqView();
        QVERIFY(restored->state() == saved);
        QCOMPARE(restored->adjacencyAction(), 3);
        QCOMPARE(restored->page(), VqView::Page::Evaluate);
        QVERIFY(waitForRender(restored));
        QCOMPARE(restored->codeGrid()->codes(), codes);
        QVERIFY(second->undoStack()->isClean());
    }

    void dropOpensAndOtherKindsLeave()
    {
        auto window = newWindow();
        QVERIFY(openAndWait(*window, fixture(QStringLiteral("tiny_gen.pt"))));
        QVERIFY(window->channelDock()->isVisible());

        // A vqvae file dropped on the window opens in the Codes tab.
        QSignalSpy ready(window.get(), &MainWindow::modelReady);
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(knownPath())});
        QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &drop);
        QVERIFY(QTest::qWaitFor([&] { return !ready.isEmpty(); }, kTimeoutMs));
        QVERIFY(window->vqOpen());
        QVERIFY(waitForRender(window->vqView()));
        QVERIFY(!window->channelDock()->isVisible());
        QTabWidget* tabs = window->centralTabs();
        const int codesTab = tabs->currentIndex();
        QVERIFY(tabs->widget(codesTab)->isAncestorOf(window->vqView()));
        QVERIFY(tabs->isTabVisible(codesTab));

        // A CGN replaces it: the mixer's tab only.
        QVERIFY(openAndWait(*window, fixture(QStringLiteral("cgn_known.pt")), false));
        QVERIFY(window->cgnOpen());
        QVERIFY(!window->vqOpen());
        QVERIFY(!tabs->isTabVisible(codesTab));
        QVERIFY(tabs->currentWidget()->isAncestorOf(window->cgnMixer()));
        for (int i = 0; i < tabs->count(); ++i)
            QCOMPARE(tabs->isTabEnabled(i), tabs->widget(i)->isAncestorOf(window->cgnMixer()));

        // A VQ-VAE again (from the recent list's path), then a generator: the workbench comes back.
        QVERIFY(openAndWait(*window, knownPath(), false));
        QVERIFY(window->vqOpen());
        QVERIFY(!window->cgnOpen());
        QVERIFY(tabs->currentWidget()->isAncestorOf(window->vqView()));
        QVERIFY(openAndWait(*window, fixture(QStringLiteral("tiny_gen.pt"))));
        QVERIFY(!window->vqOpen());
        QVERIFY(!tabs->isTabVisible(codesTab));
        QCOMPARE(tabs->currentIndex(), 0);
        QVERIFY(tabs->isTabEnabled(0));
        QVERIFY(window->channelDock()->isVisible());
        QCOMPARE(window->summary().kind, QStringLiteral("generator"));
    }

    void shapesModelUsesLxShapes()
    {
        auto window = newWindow();
        QVERIFY(openAndWait(*window, fixture(QStringLiteral("vq_shapes.pt")), false));
        VqView* view = window->vqView();
        QVERIFY(waitForRender(view));
        QVERIFY(view->info().dataset);
        QCOMPARE(QString::fromStdString(view->info().dataset->name()), QStringLiteral("lx-shapes"));
        QVERIFY(view->info().pairsUsable);
        QCOMPARE(view->sourcePicker()->factorCount(), 5);
        QCOMPARE(view->codeGrid()->nodeCount(), 64);
        QCOMPARE(view->codeGrid()->codebookSize(), 17);
        auto model = loadDirect(fixture(QStringLiteral("vq_shapes.pt")));
        const lx::Array codes =
            model->encode(lx::VqPairs::imagesFor(*model, *view->info().dataset, {view->state().source}));
        QCOMPARE(view->codeGrid()->codes(), QVector<int>(codes.data().begin(), codes.data().end()));
        QVERIFY(waitForRetrieval(view));
        QVERIFY(view->lastRetrieval().trueAction >= 0); // the default y is one step from x
        QCOMPARE(int(view->retrievalPanel()->plot()->values().size()), 10);
    }

    // The bundled CT-VAE (models/train_ctvae.py), when it is there: the tab shows core's codes and scores.
    void bundledModelWhenPresent()
    {
        const QString path = sourceFile(QStringLiteral("models/ctvae_shapes.pt"));
        if (!QFileInfo::exists(path))
            QSKIP("models/ctvae_shapes.pt is not there (models/train_ctvae.py makes it)");
        auto window = newWindow();
        QVERIFY(openAndWait(*window, path, false));
        VqView* view = window->vqView();
        QVERIFY(waitForRender(view));
        QVERIFY(view->info().pairsUsable);
        QVERIFY(view->evaluateAction()->isEnabled());
        auto model = loadDirect(path);
        const lx::Array x = lx::VqPairs::imagesFor(*model, *view->info().dataset, {view->state().source});
        const lx::Array codes = model->encode(x);
        QCOMPARE(view->codeGrid()->codes(), QVector<int>(codes.data().begin(), codes.data().end()));
        view->applyAction(0, 2);
        QVERIFY(waitForRender(view));
        QVERIFY(view->lastFrame().codesArray == model->apply(model->apply(codes, 0), 0));
        QVERIFY(view->lastFrame().decoded == model->decode(view->lastFrame().codesArray));
        QSignalSpy finished(view, &VqView::evaluationFinished);
        view->evaluatePanel()->pairsBox()->setValue(200);
        view->evaluateAction()->trigger();
        QCOMPARE(view->page(), VqView::Page::Evaluate);
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, kTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), true);
        const lx::VqEvaluation direct = lx::VqPairs::evaluate(*model, *view->info().dataset, 200, 0);
        QCOMPARE(view->lastEvaluation().evaluation.actionAccuracy, direct.actionAccuracy);
        QCOMPARE(view->lastEvaluation().evaluation.factorAccuracy, direct.factorAccuracy);
        QVERIFY(direct.actionAccuracy > direct.actionChance); // it learned something
    }
};

QTEST_MAIN(TestVqView)
#include "test_VqView.moc"
