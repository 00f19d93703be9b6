// The CGN mixer, offscreen on the hand-built cgn_known.pt (tests/fixtures/make_cgn_fixtures.py
// documents its exact outputs): a cgn file opened like any model lands in the mixer; the images shown
// are the model's mechanisms (checked against the fixture's formulas and against lx::CgnModel); the
// mechanisms are independent; a slider burst ends on the final request; Shuffle keeps the shape; the
// grid keeps the mask; dataset export writes PNGs + labels.csv, or one error for a folder it cannot use;
// sessions restore the mixer; opening a generator brings the workbench back.
#include "lx/CgnModel.h"
#include "lx/LatentSampler.h"
#include "lx/Npy.h"
#include "ui/cgn/CgnGridCanvas.h"
#include "ui/cgn/CgnGridView.h"
#include "ui/cgn/CgnMechanismPanel.h"
#include "ui/cgn/CgnMixerView.h"
#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ImageView.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/SessionController.h"
#include "ui/compute/TaskBar.h"

#include "UiTestSupport.h"

#include <QComboBox>
#include <QDockWidget>
#include <QDropEvent>
#include <QFile>
#include <QJsonDocument>
#include <QMimeData>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>

using lx::ui::CgnMixerState;
using lx::ui::CgnMixerView;
using lx::ui::MainWindow;
using namespace lx::ui::test;

namespace {

// cgn_known.pt (make_cgn_fixtures.py): 3 classes, 8x8 images in [-1, 1], class k's mask covers the top
// ROWS[k] rows, foreground colour FG[k] * 0.6, background colour BG[k] * 0.3, shuffler tile2x2.
constexpr int kSide = 8;
const int kRows[3] = {2, 4, 6};
const float kFg[3][3] = {{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
const float kBg[3][3] = {{-1, 1, 1}, {1, -1, 1}, {1, 1, -1}};

QString knownPath() { return fixture(QStringLiteral("cgn_known.pt")); }

int toByte(double v, double lo, double hi)
{
    return static_cast<int>(std::clamp<long>(std::lround((v - lo) * 255.0 / (hi - lo)), 0L, 255L));
}

double tanhU0(quint64 seed) { return std::tanh(lx::LatentSampler({4}).sample({seed}).ptr()[0]); }

// The fixture's formulas for one pure-class request (mix 0), as the tool shows them (shuffled).
struct Known {
    double mask[kSide][kSide];
    double fg[3][kSide][kSide];
    double bg[3][kSide][kSide];
};

Known knownImages(const lx::CgnRequest& r)
{
    Known k{};
    const double ts = tanhU0(r.shape.seed), tf = tanhU0(r.texture.seed), tb = tanhU0(r.background.seed);
    const auto [fy, fx] = lx::CgnModel::shuffleOffset(r.texture.seed, kSide, kSide);
    const auto [by, bx] = lx::CgnModel::shuffleOffset(r.background.seed, kSide, kSide);
    for (int y = 0; y < kSide; ++y) {
        for (int x = 0; x < kSide; ++x) {
            const double pre = (y < kRows[r.shape.classA] ? 5.0 : -5.0) + ts;
            k.mask[y][x] = std::clamp(pre, 1e-4, 0.9999);
            const int ry = (y + fy) % kSide, rx = (x + fx) % kSide;
            const int sy = (y + by) % kSide, sx = (x + bx) % kSide;
            for (int c = 0; c < 3; ++c) {
                k.fg[c][y][x] = 0.6 * kFg[r.texture.classA][c] + 0.2 * (ry * kSide + rx) / 64.0 + 0.1 * tf;
                k.bg[c][y][x] = 0.3 * kBg[r.background.classA][c] + 0.5 * sx / 7.0 + 0.05 * sy / 7.0 - 0.25 + 0.1 * tb;
            }
        }
    }
    return k;
}

int channel(const QImage& image, int x, int y, int c)
{
    const QRgb p = image.pixel(x, y);
    return c == 0 ? qRed(p) : c == 1 ? qGreen(p) : qBlue(p);
}

// The largest difference between an RGB image and [3, H, W] values (in [-1, 1]) mapped to bytes.
int maxByteDiff(const QImage& image, const float* chw)
{
    int worst = 0;
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                worst = std::max(worst,
                                 std::abs(channel(image, x, y, c)
                                          - toByte(chw[(c * image.height() + y) * image.width() + x], -1, 1)));
    return worst;
}

bool waitForRender(CgnMixerView* view)
{
    return QTest::qWaitFor(
        [&] { return view->lastShownRender() != 0 && view->lastShownRender() == view->lastPostedRender(); },
        kTimeoutMs);
}

bool waitForGrid(CgnMixerView* view)
{
    return QTest::qWaitFor(
        [&] { return view->lastShownGrid() != 0 && view->lastShownGrid() == view->lastPostedGrid(); }, kTimeoutMs);
}

// A shown window with cgn_known.pt open in the mixer and its first render shown.
std::unique_ptr<MainWindow> openKnown()
{
    auto window = std::make_unique<MainWindow>(QStringLiteral("cpu"), 1);
    window->setErrorDialogsEnabled(false);
    window->sessionController()->setAutosaveEnabled(false);
    window->show();
    if (!openAndWait(*window, knownPath(), false) || !waitForRender(window->cgnMixer()))
        return nullptr;
    return window;
}

std::unique_ptr<lx::CgnModel> loadDirect()
{
    lx::LoadOptions options;
    options.device = lx::DeviceChoice::Cpu;
    options.threads = 1;
    return lx::CgnModel::load(knownPath().toStdString(), options);
}

} // namespace

class TestCgnMixer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // recent models, settings and autosave in a test location
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        lx::ui::registerWorkerTypes();
        if (!QFileInfo::exists(knownPath()))
            QFAIL(
                qPrintable(QStringLiteral("fixture %1 is missing (run the make_cgn_fixtures test)").arg(knownPath())));
    }

    void opensInMixerAndShowsTheModelsImages()
    {
        auto window = openKnown();
        QVERIFY(window);
        CgnMixerView* mixer = window->cgnMixer();
        QVERIFY(window->cgnOpen());
        QCOMPARE(window->summary().kind, QStringLiteral("cgn"));
        QTabWidget* tabs = window->centralTabs();
        QVERIFY(tabs->currentWidget()->isAncestorOf(mixer));
        for (int i = 0; i < tabs->count(); ++i)
            QCOMPARE(tabs->isTabEnabled(i), tabs->widget(i)->isAncestorOf(mixer));
        QVERIFY(!window->channelDock()->isVisible());
        QCOMPARE(mixer->info().classes, QStringList({"top2", "top4", "top6"}));
        QVERIFY(mixer->info().shuffled);

        // The first render: shape/texture/background class 0, seeds 1, 2, 3.
        const lx::CgnRequest r = mixer->state().request;
        QCOMPARE(mixer->lastFrame().request.shape.seed, r.shape.seed);
        QCOMPARE(r.shape.classA, 0);
        QCOMPARE(r.texture.seed, quint64(2));
        const Known known = knownImages(r);
        const QImage mask = mixer->maskView()->image();
        const QImage fg = mixer->foregroundView()->image();
        const QImage bg = mixer->backgroundView()->image();
        const QImage composite = mixer->compositeView()->image();
        QCOMPARE(mask.size(), QSize(kSide, kSide));
        QCOMPARE(composite.size(), QSize(kSide, kSide));
        int worst = 0;
        for (int y = 0; y < kSide; ++y) {
            for (int x = 0; x < kSide; ++x) {
                // top2: the top two rows are exactly 0.9999 (255), the rest 1e-4 (0).
                QCOMPARE(qGray(mask.pixel(x, y)), y < 2 ? 255 : 0);
                const double m = known.mask[y][x];
                for (int c = 0; c < 3; ++c) {
                    worst = std::max(worst, std::abs(channel(fg, x, y, c) - toByte(known.fg[c][y][x], -1, 1)));
                    worst = std::max(worst, std::abs(channel(bg, x, y, c) - toByte(known.bg[c][y][x], -1, 1)));
                    const double x0 = m * known.fg[c][y][x] + (1 - m) * known.bg[c][y][x];
                    worst = std::max(worst, std::abs(channel(composite, x, y, c) - toByte(x0, -1, 1)));
                }
            }
        }
        QVERIFY2(worst <= 1,
                 qPrintable(QStringLiteral("largest byte difference from the fixture's formulas: %1").arg(worst)));

        // And against lx::CgnModel itself, on its own.
        auto model = loadDirect();
        const lx::CgnImages direct = model->render({r});
        QCOMPARE(maxByteDiff(composite, direct.composite.ptr()), 0);
        QCOMPARE(maxByteDiff(fg, direct.foreground.ptr()), 0);
        QVERIFY(mixer->statusText().contains(QStringLiteral("ms")));

        // Exports: the parts as arrays (those core renders) and the panels as a PNG.
        const QMap<QString, lx::Array> parts = mixer->partArrays();
        QCOMPARE(parts.keys(), (QStringList{"background", "composite", "foreground", "mask", "premask"}));
        QVERIFY(parts.value(QStringLiteral("composite")) == direct.composite);
        QVERIFY(parts.value(QStringLiteral("mask")) == direct.mask);
        QTemporaryDir dir;
        const QStringList written = lx::ui::ExportMenu::writeArrays(dir.path(), parts);
        QCOMPARE(written.size(), 5);
        QVERIFY(lx::Npy::read(dir.filePath(QStringLiteral("premask.npy")).toStdString()) == direct.premask);
        QString error;
        QVERIFY(lx::ui::ExportMenu::saveWidget(mixer, dir.filePath(QStringLiteral("mixer.png")), &error));
        QVERIFY(!QImage(dir.filePath(QStringLiteral("mixer.png"))).isNull());
        QVERIFY(!lx::ui::ExportMenu::saveWidget(mixer, dir.filePath(QStringLiteral("no/mixer.png")), &error));
        QVERIFY(error.startsWith(QStringLiteral("cannot write")));
    }

    void backgroundClassLeavesTheMask()
    {
        auto window = openKnown();
        QVERIFY(window);
        CgnMixerView* mixer = window->cgnMixer();
        const QImage maskBefore = mixer->maskView()->image();
        const QImage fgBefore = mixer->foregroundView()->image();
        const QImage bgBefore = mixer->backgroundView()->image();
        mixer->panel(CgnMixerView::Background)->classBox()->setCurrentIndex(2);
        QCOMPARE(mixer->state().request.background.classA, 2);
        QVERIFY(waitForRender(mixer));
        QCOMPARE(mixer->lastFrame().request.background.classA, 2);
        QCOMPARE(mixer->maskView()->image(), maskBefore); // no mask pixel changes
        QCOMPARE(mixer->foregroundView()->image(), fgBefore);
        QVERIFY(mixer->backgroundView()->image() != bgBefore);
        // Known: background class 2 is yellow (+0.3, +0.3, -0.3) over the ramp.
        const Known known = knownImages(mixer->state().request);
        QVERIFY(std::abs(channel(mixer->backgroundView()->image(), 3, 5, 2) - toByte(known.bg[2][5][3], -1, 1)) <= 1);
        // One undo step, and undo brings the first background back.
        QCOMPARE(window->undoStack()->count(), 1);
        window->undoStack()->undo();
        QCOMPARE(mixer->state().request.background.classA, 0);
        QVERIFY(waitForRender(mixer));
        QCOMPARE(mixer->backgroundView()->image(), bgBefore);
    }

    void sliderBurstEndsOnTheFinalRequest()
    {
        auto window = openKnown();
        QVERIFY(window);
        CgnMixerView* mixer = window->cgnMixer();
        lx::ui::CgnMechanismPanel* shape = mixer->panel(CgnMixerView::Shape);
        shape->mixClassBox()->setCurrentIndex(2); // top2 -> top6
        const int stepsBefore = window->undoStack()->count();
        // One drag: 50 quick steps with the slider held.
        shape->mixSlider()->setSliderDown(true);
        for (int v = 1; v <= 50; ++v)
            shape->mixSlider()->setValue(v);
        shape->mixSlider()->setSliderDown(false);
        QCOMPARE(window->undoStack()->count(), stepsBefore + 1); // the drag is one undo step
        QCOMPARE(mixer->state().request.shape.mix, 0.5);
        QVERIFY(waitForRender(mixer));
        QTest::qWait(100); // nothing older may arrive after it
        QCOMPARE(mixer->lastFrame().request.shape.mix, 0.5);
        QCOMPARE(mixer->lastFrame().request.shape.classB, 2);
        // The mask of 0.5 top2 + 0.5 top6: rows 0-1 0.9999, rows 2-5 clamp(t), rows 6-7 1e-4.
        const double t = tanhU0(mixer->state().request.shape.seed);
        const QImage mask = mixer->maskView()->image();
        for (int y = 0; y < kSide; ++y) {
            const double expected = y < 2 ? 0.9999 : y < 6 ? std::clamp(t, 1e-4, 0.9999) : 1e-4;
            QVERIFY2(std::abs(qGray(mask.pixel(4, y)) - toByte(expected, 0, 1)) <= 1, qPrintable(QString::number(y)));
        }
        auto model = loadDirect();
        const lx::CgnImages direct = model->render({mixer->state().request});
        QCOMPARE(maxByteDiff(mixer->compositeView()->image(), direct.composite.ptr()), 0);
    }

    void shuffleKeepsTheShape()
    {
        auto window = openKnown();
        QVERIFY(window);
        CgnMixerView* mixer = window->cgnMixer();
        const CgnMixerState before = mixer->state();
        const QImage maskBefore = mixer->maskView()->image();
        mixer->shuffleAction()->trigger();
        const CgnMixerState after = mixer->state();
        QVERIFY(lx::ui::sameInput(after.request.shape, before.request.shape));
        QVERIFY(!lx::ui::sameInput(after.request.texture, before.request.texture)
                || !lx::ui::sameInput(after.request.background, before.request.background));
        QCOMPARE(after.request.texture.mix, 0.0);
        QVERIFY(after.request.texture.seed >= 1 && after.request.background.seed >= 1);
        QCOMPARE(mixer->panel(CgnMixerView::Texture)->seedBox()->value(), int(after.request.texture.seed));
        QVERIFY(waitForRender(mixer));
        QCOMPARE(mixer->maskView()->image(), maskBefore);
        const Known known = knownImages(after.request);
        QVERIFY(std::abs(channel(mixer->foregroundView()->image(), 1, 1, 0) - toByte(known.fg[0][1][1], -1, 1)) <= 1);
    }

    void gridKeepsTheMask()
    {
        auto window = openKnown();
        QVERIFY(window);
        CgnMixerView* mixer = window->cgnMixer();
        mixer->gridView()->rowsBox()->setValue(2);
        mixer->gridView()->colsBox()->setValue(3);
        QCOMPARE(mixer->state().gridRows, 2);
        mixer->showSubView(CgnMixerView::SubView::Grid);
        QVERIFY(waitForGrid(mixer));
        const lx::ui::CgnGridCanvas* canvas = mixer->gridView()->canvas();
        QVERIFY(canvas->hasData());
        const lx::ui::CgnGridData& grid = canvas->data();
        QCOMPARE(grid.composites.size(), 6);
        QCOMPARE(grid.mask, mixer->maskView()->image()); // the mixer's shape mechanism, fixed
        auto model = loadDirect();
        const lx::CgnImages direct = model->render(grid.cells);
        for (int i = 0; i < 6; ++i) {
            QVERIFY(lx::ui::sameInput(grid.cells[size_t(i)].shape, mixer->state().request.shape));
            QCOMPARE(maxByteDiff(grid.composites[i], direct.composite.row(i).ptr()), 0);
        }
        // Crisp tiles with gaps, in order.
        QVERIFY(canvas->tileRect(0, 1).left() > canvas->tileRect(0, 0).right() + 1);
        QVERIFY(canvas->cellText(1, 2).contains(QStringLiteral("background")));
        // A new shape redraws the grid with the new mask.
        mixer->panel(CgnMixerView::Shape)->classBox()->setCurrentIndex(1);
        QVERIFY(waitForGrid(mixer));
        QVERIFY(waitForRender(mixer));
        QCOMPARE(canvas->data().request.shape.classA, 1);
        QCOMPARE(canvas->data().mask, mixer->maskView()->image());
    }

    void exportsADataset()
    {
        auto window = openKnown();
        QVERIFY(window);
        CgnMixerView* mixer = window->cgnMixer();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QSignalSpy finished(mixer, &CgnMixerView::exportFinished);
        lx::ui::CgnExportRequest request;
        request.folder = dir.filePath(QStringLiteral("cf"));
        request.count = 6;
        request.cfsPerMask = 2;
        request.seed = 7;
        QVERIFY(mixer->exportDataset(request) != 0);
        QVERIFY(mixer->taskBar()->isRunning());
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, kTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(mixer->lastExport().written, 6);
        QCOMPARE(mixer->lastExport().skipped, 0);
        const QStringList pngs =
            QDir(request.folder + QStringLiteral("/images")).entryList({QStringLiteral("*.png")}, QDir::Files);
        QCOMPARE(pngs.size(), 6);
        QFile labels(request.folder + QStringLiteral("/labels.csv"));
        QVERIFY(labels.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(labels.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 7); // header + 6 images
        QVERIFY(lines.first().startsWith(QStringLiteral("index,file,shape_class")));
        QVERIFY(mixer->statusText().contains(QStringLiteral("6 images written")));
        QVERIFY(mixer->statusText().contains(QStringLiteral("images/s")));
    }

    void exportToAnUnusableFolderIsOneError()
    {
        auto window = openKnown();
        QVERIFY(window);
        CgnMixerView* mixer = window->cgnMixer();
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QSignalSpy errors(mixer, &CgnMixerView::errorOccurred);
        QSignalSpy finished(mixer, &CgnMixerView::exportFinished);
        lx::ui::CgnExportRequest request;
        request.folder = dir.filePath(QStringLiteral("blocker/dataset")); // under a file: cannot be made, even as root
        request.count = 6;
        request.cfsPerMask = 2;
        QVERIFY(mixer->exportDataset(request) != 0);
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, kTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(errors.size(), 1);
        const QString text = errors.first().at(1).toString();
        QVERIFY2(!text.isEmpty() && !text.contains(QLatin1Char('\n')), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("blocker")), qPrintable(text));
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList({"blocker"}));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("blocker"))).isFile());
    }

    void sessionRestoresTheMixer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cgn.lxsession"));
        CgnMixerState saved;
        {
            auto window = openKnown();
            QVERIFY(window);
            CgnMixerView* mixer = window->cgnMixer();
            CgnMixerState s = mixer->state();
            s.request.shape = {1, 2, 0.3, 11};
            s.request.texture = {2, 0, 0.0, 12};
            s.request.background = {1, 1, 0.0, 13};
            s.gridRows = 2;
            s.gridCols = 4;
            s.gridSeed = 5;
            mixer->commit(QStringLiteral("test edit"), s);
            mixer->showSubView(CgnMixerView::SubView::Grid);
            saved = mixer->state();
            QVERIFY(saved == s);
            QVERIFY(window->sessionController()->saveTo(path));
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject view =
            QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("view")).toObject();
        QCOMPARE(view.value(QStringLiteral("cgn"))
                     .toObject()
                     .value(QStringLiteral("shape"))
                     .toObject()
                     .value(QStringLiteral("seed"))
                     .toInt(),
                 11);

        MainWindow second(QStringLiteral("cpu"), 1);
        second.setErrorDialogsEnabled(false);
        second.sessionController()->setAutosaveEnabled(false);
        second.show();
        QSignalSpy opened(second.sessionController(), &lx::ui::SessionController::sessionOpened);
        QVERIFY(second.sessionController()->open(path));
        QVERIFY(QTest::qWaitFor([&] { return !opened.isEmpty(); }, kTimeoutMs));
        CgnMixerView* mixer = second.cgnMixer();
        QVERIFY(second.cgnOpen());
        QVERIFY(mixer->state() == saved);
        QCOMPARE(mixer->subView(), CgnMixerView::SubView::Grid);
        QCOMPARE(mixer->panel(CgnMixerView::Shape)->mixSlider()->value(), 30);
        QVERIFY(waitForRender(mixer));
        QVERIFY(waitForGrid(mixer));
        QVERIFY(lx::ui::sameInput(mixer->lastFrame().request.shape, saved.request.shape));
        QCOMPARE(mixer->gridView()->canvas()->data().composites.size(), 8);
        QVERIFY(second.undoStack()->isClean());
    }

    void dropOpensAndGeneratorLeaves()
    {
        MainWindow window(QStringLiteral("cpu"), 1);
        window.setErrorDialogsEnabled(false);
        window.sessionController()->setAutosaveEnabled(false);
        window.show();
        QVERIFY(openAndWait(window, fixture(QStringLiteral("tiny_gen.pt"))));
        QVERIFY(window.channelDock()->isVisible());

        // A cgn file dropped on the window opens in the mixer.
        QSignalSpy ready(&window, &MainWindow::modelReady);
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(knownPath())});
        // As a drag would: the window accepts the file on entering, then takes the drop.
        QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QVERIFY(QTest::qWaitFor([&] { return !ready.isEmpty(); }, kTimeoutMs));
        QVERIFY(window.cgnOpen());
        QVERIFY(waitForRender(window.cgnMixer()));
        QVERIFY(!window.channelDock()->isVisible());
        const int mixerTab = window.centralTabs()->currentIndex();
        QVERIFY(window.centralTabs()->widget(mixerTab)->isAncestorOf(window.cgnMixer()));
        QVERIFY(window.centralTabs()->isTabVisible(mixerTab));

        // A broken cgn: its own one-line error, and the CGN stays.
        QSignalSpy failed(&window, &MainWindow::modelFailed);
        window.openModel(fixture(QStringLiteral("cgn_nomethod.pt")));
        QVERIFY(QTest::qWaitFor([&] { return !failed.isEmpty(); }, kTimeoutMs));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("background")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(window.cgnOpen());

        // A generator again: the workbench comes back.
        QVERIFY(openAndWait(window, fixture(QStringLiteral("tiny_gen.pt"))));
        QVERIFY(!window.cgnOpen());
        QVERIFY(!window.centralTabs()->isTabVisible(mixerTab));
        QCOMPARE(window.centralTabs()->currentIndex(), 0);
        QVERIFY(window.centralTabs()->isTabEnabled(0));
        QVERIFY(window.channelDock()->isVisible());
        QCOMPARE(window.summary().kind, QStringLiteral("generator"));
    }
};

QTEST_MAIN(TestCgnMixer)
#include "test_CgnMixer.moc"
