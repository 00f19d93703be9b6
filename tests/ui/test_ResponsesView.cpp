// lx::ui::ResponsesView end to end (offscreen), through the real widgets of the main window and the
// worker: the response matrix of analytic autoencoders against core's numbers (identity_ae: R(z) = z,
// a diagonal matrix), prior vs aggregate posterior, cancelling a long matrix, the response map of
// identity_ae (zero field) and scaled_ae (R(z) = z / 2: a sink at 0), click-to-decode with iterated
// responses, the latent sliders against core's R(z), traversal strips, the conditioned matrix and its
// CDS on shapes_ae (card dataset lx-shapes) against core, the exports, and matrices opened from files
// (what the CLI or a merged cluster job writes) with their refusals.
#include "lx/ConditionedResponse.h"
#include "lx/FactorDataset.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/ResponseEngine.h"
#include "lx/ResponseMap.h"
#include "lx/Sha256.h"
#include "lx/Session.h"
#include "ui/responses/ConditionedPanel.h"
#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ImageStrips.h"
#include "ui/widgets/ImageView.h"
#include "ui/responses/LatentSlidersPanel.h"
#include "ui/responses/ResponseMapPanel.h"
#include "ui/responses/ResponseMapQuad.h"
#include "ui/responses/ResponseMatrixPanel.h"
#include "ui/widgets/ResponseMatrixPlot.h"
#include "ui/responses/ResponseSourceBar.h"
#include "ui/responses/ResponseTasks.h"
#include "ui/responses/ResponsesView.h"
#include "ui/shell/SessionController.h"
#include "ui/compute/TaskBar.h"
#include "ui/widgets/ValueBar.h"

#include "UiTestSupport.h"

#include <QAction>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using lx::ui::MainWindow;
using lx::ui::ResponseMapQuad;
using lx::ui::ResponsesView;
using lx::ui::SessionController;
using lx::ui::ValueSource;
using namespace lx::ui::test;

namespace {

// A window showing `model`, on the "Latent responses" tab.
// The "Latent responses" tab's index (tabs are found by their text, not their position).
int responsesTab(MainWindow& window)
{
    QTabWidget* tabs = window.centralTabs();
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->tabText(i) == QLatin1String("Latent responses"))
            return i;
    }
    return -1;
}

struct Bench {
    MainWindow window{QStringLiteral("cpu"), 1};
    ResponsesView* view = nullptr;

    bool open(const QString& model)
    {
        window.setErrorDialogsEnabled(false);
        window.resize(1400, 900);
        window.show();
        window.activateWindow(); // shortcuts go to the active window
        if (!QTest::qWaitForWindowActive(&window) || !openAndWait(window, model, false))
            return false;
        view = window.responsesView();
        // The worker answers what the card says about datasets right after the load.
        QSignalSpy info(view, &ResponsesView::modelInfoReady);
        if (!view->hasModelInfo() && !info.wait(kTimeoutMs))
            return false;
        window.showResponses();
        return window.centralTabs()->currentIndex() == responsesTab(window);
    }
};

// Waits for `signal` of `object` after `trigger` ran.
template <typename Object, typename Signal, typename Trigger>
bool runAndWait(Object* object, Signal signal, Trigger trigger)
{
    QSignalSpy spy(object, signal);
    trigger();
    return !spy.isEmpty() || spy.wait(kTimeoutMs);
}

std::unique_ptr<lx::Model> loadCore(const QString& path)
{
    lx::LoadOptions options;
    options.device = lx::DeviceChoice::Cpu;
    options.threads = 1;
    return lx::Model::load(path.toStdString(), options);
}

QString requireFixture(const char* name)
{
    const QString path = fixture(QLatin1String(name));
    if (!QFileInfo::exists(path))
        qWarning("fixture %s missing (run the fixture tests)", qPrintable(path));
    return path;
}

// Writes `array` to DIR/`name` and, with a `job`, the provenance `latent-explorer-cli merge` writes beside
// it; returns the path.
QString writeMatrix(const QTemporaryDir& dir, const char* name, const lx::Array& array, const QJsonObject& job = {},
                    int shards = 0, int items = 0)
{
    const QString path = dir.filePath(QLatin1String(name));
    lx::Npy::write(path.toStdString(), array);
    if (!job.isEmpty()) {
        const QJsonObject provenance{{QStringLiteral("job"), job},
                                     {QStringLiteral("shards"), shards},
                                     {QStringLiteral("items"), items},
                                     {QStringLiteral("shard_compute_ms"), 1.5}};
        QFile file(path + QStringLiteral(".provenance.json"));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(provenance).toJson()) <= 0)
            qWarning("cannot write %s", qPrintable(file.fileName()));
    }
    return path;
}

// `job` with `key` set to `value`.
QJsonObject jobWith(QJsonObject job, const char* key, const QString& value)
{
    job.insert(QLatin1String(key), value);
    return job;
}

QString modelSha256(const QString& model) { return QString::fromStdString(lx::Sha256::fileHex(model.toStdString())); }

// The text of the last `message` a spy caught, or an empty string.
QString lastMessage(const QSignalSpy& spy) { return spy.isEmpty() ? QString() : spy.last().at(0).toString(); }

// Whether `open` (ResponsesView::openMatrix or openConditioned) refused `file` with one message, one line
// that contains `expected`; otherwise a warning says what came instead.
bool refusal(ResponsesView* view, bool (ResponsesView::*open)(const QString&), const QString& file,
             const QString& expected)
{
    QSignalSpy messages(view, &ResponsesView::message);
    const bool ok = (view->*open)(file);
    const QString text = lastMessage(messages);
    const bool refused = !ok && messages.size() == 1 && text.startsWith(QStringLiteral("Cannot open the "))
        && text.contains(expected) && !text.contains(QLatin1Char('\n'));
    if (!refused)
        qWarning("expected a refusal with \"%s\", got: %s", qPrintable(expected), qPrintable(text));
    return refused;
}

} // namespace

class TestResponsesView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentExplorerTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_ResponsesView"));
        lx::ui::registerWorkerTypes();
    }

    void tabFollowsModelKind()
    {
        // A generator: the responses tab stays disabled and its actions too.
        Bench bench;
        bench.window.setErrorDialogsEnabled(false);
        bench.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bench.window));
        QVERIFY(openAndWait(bench.window, requireFixture("tiny_gen.pt")));
        ResponsesView* view = bench.window.responsesView();
        QVERIFY(!bench.window.centralTabs()->isTabEnabled(responsesTab(bench.window)));
        QCOMPARE(bench.window.centralTabs()->currentIndex(), 0);
        QVERIFY(!view->isAvailable());
        QVERIFY(!view->computeMatrixAction()->isEnabled());
        QCOMPARE(view->computeMatrixAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
        // Nothing to open a response matrix for.
        QVERIFY(!view->openMatrixAction()->isEnabled());
        QVERIFY(!view->matrixPanel()->openButton()->isEnabled());
        QVERIFY(refusal(view, &ResponsesView::openMatrix, QStringLiteral("M.npy"),
                        QStringLiteral("no autoencoder loaded")));
        QVERIFY(refusal(view, &ResponsesView::openConditioned, QStringLiteral("C.npy"),
                        QStringLiteral("no autoencoder loaded")));

        // An autoencoder with layers: enabled, but the hybrids stay in front.
        QVERIFY(openAndWait(bench.window, requireFixture("identity_ae.pt")));
        QVERIFY(bench.window.centralTabs()->isTabEnabled(responsesTab(bench.window)));
        QCOMPARE(bench.window.centralTabs()->currentIndex(), 0);
        QVERIFY(view->isAvailable());
        // The hybrid docks give way to the plots on the responses tab and come back after.
        QVERIFY(bench.window.channelDock()->isVisible());
        bench.window.showResponses();
        QVERIFY(!bench.window.channelDock()->isVisible());
        bench.window.centralTabs()->setCurrentIndex(0);
        QVERIFY(bench.window.channelDock()->isVisible());
    }

    void identityMatrixMatchesCore()
    {
        const QString model = requireFixture("identity_ae.pt");
        Bench bench;
        QVERIFY(bench.open(model));
        ResponsesView* view = bench.view;
        lx::ui::ResponseSourceBar* source = view->sourceBar();
        // No dataset and no file: the aggregate posterior falls back to the prior, visibly.
        QCOMPARE(source->source().values, lx::ui::ValueSource::AggregatePosterior);
        QVERIFY(source->noteText().contains(QStringLiteral("prior is used instead")));
        QVERIFY(view->conditionedPanel()->unavailableText().contains(QStringLiteral("names no dataset")));
        QVERIFY(!view->computeConditionedAction()->isEnabled());

        source->samplesBox()->setValue(64);
        source->seedBox()->setValue(5);
        // Ctrl+R, as a user would press it.
        QVERIFY(runAndWait(view, &ResponsesView::matrixShown,
                           [&] { QTest::keyClick(&bench.window, Qt::Key_R, Qt::ControlModifier); }));
        lx::ui::ResponseMatrixPanel* panel = view->matrixPanel();
        QCOMPARE(panel->result().values, lx::ui::ValueSource::Prior);
        QVERIFY(panel->noteText().contains(QStringLiteral("prior")));
        QCOMPARE(view->lastSource().samples, 64);

        // Core, on its own copy of the model: the same base points and values.
        auto core = loadCore(model);
        lx::ResponseEngine engine(*core);
        const lx::Array z = lx::LatentSampler({4}).sample(lx::LatentSampler::seedRange(5, 64));
        const lx::Array values = lx::ResponseEngine::priorValues(64, 4, 5);
        const lx::Array m = engine.responseMatrix(z, values);
        lx::ui::ResponseMatrixPlot* plot = panel->plot();
        QCOMPARE(plot->rows(), 4);
        QCOMPARE(plot->columns(), 4);
        for (int i = 0; i < 4; ++i) {
            // R(z) = z: the diagonal is the RMS of the value changes, everything else exactly 0.
            double sum = 0.0;
            for (int n = 0; n < 64; ++n)
                sum += std::pow(double(values.ptr()[n * 4 + i]) - z.ptr()[n * 4 + i], 2);
            QVERIFY(std::abs(plot->cellValue(i, i) - std::sqrt(sum / 64)) < 1e-5);
            for (int j = 0; j < 4; ++j) {
                QCOMPARE(plot->cellValue(i, j), double(m.ptr()[i * 4 + j]));
                if (i != j)
                    QCOMPARE(plot->cellValue(i, j), 0.0);
            }
        }
        QVERIFY(plot->cellValue(0, 0) > 0.5);
        QVERIFY(plot->annotationsVisible());
        // About two significant digits of the largest entry.
        const double high = *std::max_element(m.data().begin(), m.data().end());
        const int decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(high))), 0, 4);
        QCOMPARE(plot->cellText(1, 2), QString::number(0.0, 'f', decimals));
        QCOMPARE(plot->cellText(2, 2), QString::number(m.ptr()[2 * 4 + 2], 'f', decimals));
        QVERIFY(std::abs(plot->scaleHigh() - *std::max_element(m.data().begin(), m.data().end())) < 1e-6);

        // The aggregate posterior of a file of images: the request and the result change.
        QTemporaryDir dir;
        const QString images = dir.filePath(QStringLiteral("images.npy"));
        lx::Npy::write(images.toStdString(),
                       lx::LatentSampler({1, 2, 2}).sample(lx::LatentSampler::seedRange(100, 50)));
        source->setImagesPath(images);
        QVERIFY(source->noteText().isEmpty());
        QVERIFY(runAndWait(view, &ResponsesView::matrixShown, [&] { view->computeMatrix(); }));
        QCOMPARE(view->lastSource().values, lx::ui::ValueSource::AggregatePosterior);
        QCOMPARE(view->lastSource().imagesPath, images);
        QCOMPARE(panel->result().values, lx::ui::ValueSource::AggregatePosterior);
        QVERIFY(panel->result().sourceText.contains(QStringLiteral("images.npy")));
        QVERIFY(panel->noteText().isEmpty());
        for (int i = 0; i < 4; ++i) {
            QVERIFY(plot->cellValue(i, i) > 0.0);
            for (int j = 0; j < 4; ++j) {
                if (i != j)
                    QCOMPARE(plot->cellValue(i, j), 0.0);
            }
        }
        // A file of images with a NaN: the task fails with one line that names the file; the matrix stays.
        const QString nanImages = dir.filePath(QStringLiteral("nan_images.npy"));
        lx::Array bad = lx::LatentSampler({1, 2, 2}).sample(lx::LatentSampler::seedRange(100, 50));
        bad.data()[7] = NAN;
        lx::Npy::write(nanImages.toStdString(), bad);
        source->setImagesPath(nanImages);
        QSignalSpy messages(view, &ResponsesView::message);
        QSignalSpy shown(view, &ResponsesView::matrixShown);
        view->computeMatrix();
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(messages.begin(), messages.end(),
                                             [](const QList<QVariant>& m) {
                                                 return m.at(0).toString().contains(QStringLiteral(
                                                     "nan_images.npy: contains NaN or Inf (at flat index 7)"));
                                             }),
                                 10000);
        QCOMPARE(shown.count(), 0);
        QVERIFY(panel->result().sourceText.contains(QStringLiteral("images.npy")));
        QVERIFY(!panel->result().sourceText.contains(QStringLiteral("nan_images.npy")));
        QCOMPARE(plot->cellValue(1, 0), 0.0);
        source->setImagesPath(images);
        // Back to the prior: the first matrix again.
        source->setValueSource(lx::ui::ValueSource::Prior);
        QVERIFY(runAndWait(view, &ResponsesView::matrixShown, [&] { view->computeMatrix(); }));
        QCOMPARE(view->lastSource().values, lx::ui::ValueSource::Prior);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(plot->cellValue(i, i), double(m.ptr()[i * 4 + i]));

        // Export: the plot as PNG and PDF, the matrix as .npy.
        QString error;
        QVERIFY2(plot->savePlot(dir.filePath(QStringLiteral("m.png")), &error), qPrintable(error));
        QVERIFY2(plot->savePlot(dir.filePath(QStringLiteral("m.pdf")), &error), qPrintable(error));
        QVERIFY(QImage(dir.filePath(QStringLiteral("m.png"))).width() > 100);
        QFile pdf(dir.filePath(QStringLiteral("m.pdf")));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QMap<QString, lx::Array> arrays;
        arrays.insert(QStringLiteral("m"), lx::ui::arrayOf(panel->result().matrix, {4, 4}));
        lx::ui::ExportMenu::writeArrays(dir.filePath(QStringLiteral("m.npy")), arrays);
        QCOMPARE(lx::Npy::read(dir.filePath(QStringLiteral("m.npy")).toStdString()), m);
        QVERIFY(!plot->savePlot(dir.filePath(QStringLiteral("missing/m.png")), &error));
        QVERIFY(error.contains(QStringLiteral("missing")));
    }

    void cancelStopsAndViewStaysUsable()
    {
        constexpr int kCancelSamples = 8192;
        Bench bench;
        QVERIFY(bench.open(requireFixture("mlp_vae.pt")));
        ResponsesView* view = bench.view;
        view->sourceBar()->samplesBox()->setValue(kCancelSamples); // (20 + 1) * N rows
        QSignalSpy shown(view, &ResponsesView::matrixShown);
        view->computeMatrix();
        lx::ui::TaskBar* bar = view->taskBar();
        QVERIFY(bar->isRunning());
        TaskRecorder tasks;
        const quint64 id = tasks.track(bar->current());
        QVERIFY(id != 0);
        QVERIFY(bar->cancelAction()->isEnabled());
        QVERIFY(!view->computeMatrixAction()->isEnabled());
        // Halfway, Esc.
        QElapsedTimer timer;
        timer.start();
        QVERIFY(QTest::qWaitFor([&] { return bar->progressBar()->value() >= 500; }, kTimeoutMs));
        const qint64 halfwayMs = timer.restart();
        const int progressAtEsc = bar->progressBar()->value();
        QTest::keyClick(&bench.window, Qt::Key_Escape);
        QCOMPARE(tasks.wait(id), QStringLiteral("cancelled"));
        qInfo("halfway after %lld ms; cancelled %lld ms after Esc, at %d/1000", halfwayMs,
              static_cast<long long>(timer.elapsed()), progressAtEsc);
        QVERIFY(progressAtEsc < 1000);
        QVERIFY(!bar->isRunning());
        QCOMPARE(shown.size(), 0);
        QVERIFY(bar->statusText().contains(QStringLiteral("cancelled")));
        QVERIFY(!bar->cancelAction()->isEnabled());
        QVERIFY(view->computeMatrixAction()->isEnabled());
        QVERIFY(!view->matrixPanel()->hasResult());

        // Still usable: a small matrix computes.
        view->sourceBar()->samplesBox()->setValue(16);
        QVERIFY(runAndWait(view, &ResponsesView::matrixShown, [&] { view->computeMatrix(); }));
        QCOMPARE(view->matrixPanel()->plot()->rows(), 20);
    }

    void identityMapHasZeroField()
    {
        Bench bench;
        QVERIFY(bench.open(requireFixture("identity_ae.pt")));
        ResponsesView* view = bench.view;
        lx::ui::ResponseMapPanel* panel = view->mapPanel();
        panel->gridBox()->setValue(16);
        panel->setDims(1, 3);
        QVERIFY(runAndWait(view, &ResponsesView::mapShown, [&] { view->computeMapAction()->trigger(); }));
        QCOMPARE(view->currentTab(), ResponsesView::Tab::Map);
        ResponseMapQuad* quad = panel->quad();
        QVERIFY(quad->hasData());
        QCOMPARE(quad->data().grid(), 16);
        for (int row = 0; row < 16; ++row) {
            for (int col = 0; col < 16; ++col) {
                QCOMPARE(quad->shownValue(ResponseMapQuad::Panel::Magnitude, row, col), 0.0);
                QCOMPARE(quad->shownValue(ResponseMapQuad::Panel::Divergence, row, col), 0.0);
            }
        }
        QCOMPARE(quad->arrowCount(), 0);
        QVERIFY(!quad->histogramShown()); // no data for the posterior
        QVERIFY(quad->data().histogramNote.contains(QStringLiteral("needs data")));
    }

    void scaledMapSinkAndClickToDecode()
    {
        // scaled_ae: R(z) = z / 2, so u = -z / 2 on the slice: |u| = |z| / 2, a sink at 0 with
        // divergence 2 * (1/2 - 1) * delta per grid index everywhere, and R^k(z) = z / 2^k.
        const QString model = requireFixture("scaled_ae.pt");
        Bench bench;
        QVERIFY(bench.open(model));
        ResponsesView* view = bench.view;
        lx::ui::ResponseMapPanel* panel = view->mapPanel();
        panel->gridBox()->setValue(21);
        panel->radiusBox()->setValue(2.0);
        panel->setDims(0, 2);
        panel->stepsBox()->setValue(4);
        // Posterior histogram from a file of images.
        QTemporaryDir dir;
        const QString images = dir.filePath(QStringLiteral("images.npy"));
        lx::Npy::write(images.toStdString(), lx::LatentSampler({1, 2, 2}).sample(lx::LatentSampler::seedRange(0, 300)));
        view->sourceBar()->setImagesPath(images);
        QVERIFY(runAndWait(view, &ResponsesView::mapShown, [&] { view->computeMap(); }));
        ResponseMapQuad* quad = panel->quad();
        const lx::ui::ResponseMapData& data = quad->data();
        const int n = 21;
        const double delta = 4.0 / (n - 1);
        for (int row = 0; row < n; ++row) {
            for (int col = 0; col < n; ++col) {
                const double x = data.axis[col], y = data.axis[row];
                QVERIFY(std::abs(quad->shownValue(ResponseMapQuad::Panel::Magnitude, row, col) - std::hypot(x, y) / 2)
                        < 1e-5);
                QVERIFY(std::abs(data.fieldX[row * n + col] + x / 2) < 1e-5);
                QVERIFY(std::abs(data.fieldY[row * n + col] + y / 2) < 1e-5);
                QVERIFY(std::abs(data.divergence[row * n + col] + delta) < 1e-5);
                // Each sign normalised on its own: all negative, so all -1.
                QVERIFY(std::abs(quad->shownValue(ResponseMapQuad::Panel::Divergence, row, col) + 1.0) < 1e-6);
            }
        }
        QVERIFY(quad->arrowCount() > 0);
        QVERIFY(quad->histogramShown());
        QCOMPARE(quad->scaleRange(ResponseMapQuad::Panel::Divergence), qMakePair(-1.0, 1.0));
        // Histogram: max(N, 1024) posterior means = images / 2 ~ N(0, 1/4) (dims 0, 2), nearly all of
        // them inside [-2, 2]^2.
        QCOMPARE(data.posteriorPoints, lx::ui::ResponseTasks::kMinHistogramPoints);
        double total = 0.0;
        for (float c : data.histogram)
            total += c;
        QVERIFY(total <= data.posteriorPoints && total >= data.posteriorPoints - 2);
        QCOMPARE(data.bins, n / 2);
        // y points up: the top of the magnitude map is y = +r.
        QVERIFY(quad->pixelOf(ResponseMapQuad::Panel::Magnitude, {0.0, 2.0}).y()
                < quad->pixelOf(ResponseMapQuad::Panel::Magnitude, {0.0, -2.0}).y());
        QVERIFY(quad->pixelOf(ResponseMapQuad::Panel::Magnitude, {2.0, 0.0}).x()
                > quad->pixelOf(ResponseMapQuad::Panel::Magnitude, {-2.0, 0.0}).x());

        // Click a point of the divergence map: it is decoded and its responses iterated.
        const QPointF target(1.2, -0.8);
        const QPoint pixel = quad->pixelOf(ResponseMapQuad::Panel::Divergence, target);
        QVERIFY(runAndWait(panel, &lx::ui::ResponseMapPanel::pointShown,
                           [&] { QTest::mouseClick(quad->canvas(), Qt::LeftButton, {}, pixel); }));
        const lx::ui::IteratedResponses& it = panel->iterated();
        QCOMPARE(it.steps(), 4);
        const double px = it.at(0, 0), py = it.at(0, 2);
        QVERIFY2(std::abs(px - target.x()) < 0.05 && std::abs(py - target.y()) < 0.05,
                 qPrintable(QStringLiteral("clicked (%1, %2)").arg(px).arg(py)));
        for (int k = 0; k <= 4; ++k) {
            QVERIFY(std::abs(it.at(k, 0) - px / std::pow(2.0, k)) < 1e-5);
            QVERIFY(std::abs(it.at(k, 2) - py / std::pow(2.0, k)) < 1e-5);
            QVERIFY(std::abs(it.at(k, 1) - data.base[1] / std::pow(2.0, k)) < 1e-5); // off-slice dims follow too
        }
        QCOMPARE(quad->path().size(), 5);
        QVERIFY(!panel->pointView()->image().isNull());
        QVERIFY(!panel->responseView()->image().isNull());
        QCOMPARE(panel->iterateStrip()->rowCount(), 1);
        QCOMPARE(panel->iterateStrip()->row(0).images.size(), 5);

        // Core computes the same maps.
        auto core = loadCore(model);
        lx::ResponseEngine engine(*core);
        lx::ResponseMapOptions options;
        options.dimX = 0;
        options.dimY = 2;
        options.gridSize = n;
        const lx::ResponseMapResult r = lx::responseMap(engine, lx::ui::arrayOf(data.base, {1, 4}), options, {});
        QCOMPARE(lx::ui::floatsOf(r.curvature), data.curvature);
        QCOMPARE(lx::ui::floatsOf(r.magnitude), data.magnitude);

        // Export of the plot.
        QString error;
        QVERIFY2(quad->savePlot(dir.filePath(QStringLiteral("map.png")), &error), qPrintable(error));
    }

    void slidersShowCoreResponse()
    {
        // linear_ae: R(z) = B A z, a response that differs from z.
        const QString model = requireFixture("linear_ae.pt");
        Bench bench;
        QVERIFY(bench.open(model));
        ResponsesView* view = bench.view;
        lx::ui::LatentSlidersPanel* panel = view->latentsPanel();
        const quint64 before = panel->lastProbeSeq();
        // Showing the tab starts from the prior sample of seed 0.
        QVERIFY(runAndWait(panel, &lx::ui::LatentSlidersPanel::probeShown,
                           [&] { view->showTab(ResponsesView::Tab::Latents); }));
        QVERIFY(panel->lastProbeSeq() > before);
        const QImage first = panel->imageView()->image();
        QVERIFY(!first.isNull());

        // Move slider 2: a request is posted at once, and the decoded image changes.
        const quint64 posted = panel->lastProbeSeq();
        QSignalSpy shown(panel, &lx::ui::LatentSlidersPanel::probeShown);
        panel->slider(2)->setValue(150);
        QVERIFY(panel->lastProbeSeq() > posted);
        QCOMPARE(panel->latent()[2], 1.5f);
        QVERIFY(QTest::qWaitFor([&] { return panel->shownProbeSeq() == panel->lastProbeSeq(); }, kTimeoutMs));
        QVERIFY(panel->imageView()->image() != first);

        // The readout is R(z) from core.
        auto core = loadCore(model);
        lx::ResponseEngine engine(*core);
        const QVector<float> z = panel->latent();
        const lx::Array r = engine.response(lx::ui::arrayOf(z, {1, 4}));
        QCOMPARE(panel->probe().z, z);
        QCOMPARE(panel->probe().response, lx::ui::floatsOf(r));
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(panel->responseLabel(i)->text(), QString::number(r.ptr()[i], 'f', 2));
            QCOMPARE(panel->bar(i)->response(), double(r.ptr()[i]));
        }
        QVERIFY(lx::ui::floatsOf(r) != z);

        // z <- R(z) moves the sliders to the response.
        QVERIFY(runAndWait(panel, &lx::ui::LatentSlidersPanel::probeShown, [&] { panel->applyResponse(); }));
        QCOMPARE(panel->latent(), lx::ui::floatsOf(r));

        // Traversal strips: one per dim, sorted by diagonal response, and the iterated responses.
        QSignalSpy strips(panel, &lx::ui::LatentSlidersPanel::stripsShown);
        QSignalSpy iterated(panel, &lx::ui::LatentSlidersPanel::iteratedShown);
        panel->refreshStrips();
        QVERIFY(QTest::qWaitFor([&] { return !strips.isEmpty() && !iterated.isEmpty(); }, kTimeoutMs));
        const lx::ui::TraversalStrips& t = panel->strips();
        QCOMPARE(t.strips.size(), 4);
        QCOMPARE(t.strips[0].size(), panel->traversalStepsBox()->value());
        QCOMPARE(panel->traversalStrips()->rowCount(), 4);
        for (int k = 0; k + 1 < 4; ++k)
            QVERIFY(t.diagonal[t.order[k]] >= t.diagonal[t.order[k + 1]]);
        const lx::Array path =
            engine.iterate(lx::ui::arrayOf(panel->latent(), {1, 4}), panel->iterateStepsBox()->value());
        QCOMPARE(panel->iterated().path, lx::ui::floatsOf(path));

        // Exports: the strips as PNG, z, R(z), the path and the sort key as .npy.
        QTemporaryDir dir;
        QString error;
        QVERIFY2(panel->traversalStrips()->saveImage(dir.filePath(QStringLiteral("t.png")), &error), qPrintable(error));
        QCOMPARE(QImage(dir.filePath(QStringLiteral("t.png"))).size(), panel->traversalStrips()->size());
        const QStringList written =
            lx::ui::ExportMenu::writeArrays(dir.filePath(QStringLiteral("npy")), panel->arrays());
        QCOMPARE(written.size(), 4);
        const auto readBack = [&](const char* name) {
            return lx::ui::floatsOf(lx::Npy::read(dir.filePath(QLatin1String(name)).toStdString()));
        };
        QCOMPARE(readBack("npy/z.npy"), panel->probe().z);
        QCOMPARE(readBack("npy/response.npy"), panel->probe().response);
        QCOMPARE(lx::Npy::read(dir.filePath(QStringLiteral("npy/iterated_path.npy")).toStdString()).shape(),
                 (std::vector<int64_t>{panel->iterateStepsBox()->value() + 1, 4}));
    }

    void conditionedMatchesCore()
    {
        const QString model = requireFixture("shapes_ae.pt");
        if (!QFileInfo::exists(model))
            QFAIL("fixture shapes_ae.pt missing (run make_response_fixtures)");
        Bench bench;
        QVERIFY(bench.open(model));
        ResponsesView* view = bench.view;
        QVERIFY(view->modelInfo().datasetUsable);
        QCOMPARE(view->modelInfo().dataset, QStringLiteral("lx-shapes"));
        QVERIFY(view->computeConditionedAction()->isEnabled());
        // The dataset is the aggregate posterior's data now.
        QVERIFY(view->sourceBar()->noteText().isEmpty());
        QCOMPARE(view->sourceBar()->source().dataset, QStringLiteral("lx-shapes"));

        lx::ui::ConditionedPanel* panel = view->conditionedPanel();
        panel->traversalsBox()->setValue(2);
        panel->batchBox()->setValue(8);
        QVERIFY(runAndWait(view, &ResponsesView::conditionedShown, [&] {
            QTest::keyClick(&bench.window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        }));
        auto core = loadCore(model);
        lx::ResponseEngine engine(*core);
        const auto data = lx::makeFactorDataset("lx-shapes");
        lx::ConditionedOptions options;
        options.traversals = 2;
        options.batch = 8;
        const lx::ConditionedResult c = lx::conditionedResponseMatrix(engine, *core, *data, options);
        lx::ui::ResponseMatrixPlot* plot = panel->plot();
        QCOMPARE(plot->rows(), 5);
        QCOMPARE(plot->columns(), 3);
        for (int k = 0; k < 5; ++k) {
            for (int j = 0; j < 3; ++j)
                QCOMPARE(plot->cellValue(k, j), double(c.matrix.ptr()[k * 3 + j]));
        }
        QCOMPARE(panel->result().cds, c.cds);
        QVERIFY(panel->cdsText().startsWith(QStringLiteral("CDS = %1").arg(c.cds, 0, 'f', 4)));
        QVERIFY(c.cds >= 1.0 / 5 - 1e-9 && c.cds <= 1.0 + 1e-9);
        QCOMPARE(panel->result().factorNames.first(), QStringLiteral("shape"));

        // The aggregate posterior from the dataset: random lx-shapes images, encoded.
        view->sourceBar()->samplesBox()->setValue(32);
        QVERIFY(runAndWait(view, &ResponsesView::matrixShown, [&] { view->computeMatrix(); }));
        QCOMPARE(view->matrixPanel()->result().values, lx::ui::ValueSource::AggregatePosterior);
        QVERIFY(view->matrixPanel()->result().sourceText.contains(QStringLiteral("lx-shapes")));
    }

    void opensMatrixFromFile()
    {
        const QString model = requireFixture("identity_ae.pt");
        Bench bench;
        QVERIFY(bench.open(model));
        ResponsesView* view = bench.view;
        lx::ui::ResponseMatrixPanel* panel = view->matrixPanel();
        // The main window's menus hold the open actions.
        const QList<QAction*> menus = bench.window.menuBar()->actions();
        QVERIFY(std::any_of(menus.begin(), menus.end(), [&](const QAction* menu) {
            return menu->menu() && menu->menu()->actions().contains(view->openMatrixAction());
        }));
        QVERIFY(view->openMatrixAction()->isEnabled());
        QVERIFY(panel->openButton()->isEnabled());
        // identity_ae has no dataset: nothing to condition on.
        QVERIFY(!view->openConditionedAction()->isEnabled());

        // M [4, 4] with known values, merged from 4 shards of a cluster job.
        QTemporaryDir dir;
        std::vector<float> values(16);
        for (int k = 0; k < 16; ++k)
            values[size_t(k)] = 0.125f * float(k);
        const lx::Array m({4, 4}, values);
        const QJsonObject job{{QStringLiteral("command"), QStringLiteral("responses")},
                              {QStringLiteral("model_sha256"), modelSha256(model)}};
        const QString path = writeMatrix(dir, "M.npy", m, job, 4, 4096);
        QSignalSpy shown(view, &ResponsesView::matrixShown);
        QSignalSpy messages(view, &ResponsesView::message);
        view->showTab(ResponsesView::Tab::Map);
        QVERIFY2(view->openMatrix(path), qPrintable(lastMessage(messages)));
        QCOMPARE(shown.count(), 1);
        QCOMPARE(view->currentTab(), ResponsesView::Tab::Matrix);
        QVERIFY(panel->result().isOpened());
        QCOMPARE(panel->result().matrix, lx::ui::floatsOf(m));
        QCOMPARE(panel->result().samples, 4096);
        QCOMPARE(panel->result().sourceShards, 4);
        lx::ui::ResponseMatrixPlot* plot = panel->plot();
        QCOMPARE(plot->rows(), 4);
        QCOMPARE(plot->columns(), 4);
        for (int i = 0; i < 4; ++i) {
            for (int j = 0; j < 4; ++j)
                QCOMPARE(plot->cellValue(i, j), double(values[size_t(i * 4 + j)]));
        }
        QCOMPARE(panel->summaryText(), QStringLiteral("opened from M.npy, merged from 4 shards, 4096 latents"));
        QVERIFY(plot->title().contains(QStringLiteral("M.npy")));
        QVERIFY(lastMessage(messages).contains(QStringLiteral("opened from M.npy")));
        // It exports as a computed matrix does.
        QString error;
        QVERIFY2(plot->savePlot(dir.filePath(QStringLiteral("m.png")), &error), qPrintable(error));
        lx::ui::ExportMenu::writeArrays(dir.filePath(QStringLiteral("out.npy")), panel->arrays());
        QCOMPARE(lx::Npy::read(dir.filePath(QStringLiteral("out.npy")).toStdString()), m);

        // Refusals: one line naming the problem, and the shown matrix stays.
        const auto refused = [&](const char* name, const lx::Array& array, const QJsonObject& provenance,
                                 const QString& expected) {
            return refusal(view, &ResponsesView::openMatrix, writeMatrix(dir, name, array, provenance),
                           QStringLiteral("response matrix: %1: %2").arg(QLatin1String(name), expected))
                && shown.count() == 1 && panel->result().matrix == lx::ui::floatsOf(m)
                && plot->cellValue(3, 3) == double(values[15]);
        };
        QVERIFY(refused("small.npy", lx::Array({3, 3}), job,
                        QStringLiteral("shape [3, 3], but the model's latent size is 4: expected [4, 4]")));
        QVERIFY(refused("cube.npy", lx::Array({4, 4, 1}), {},
                        QStringLiteral("a response matrix is [d, d], not [4, 4, 1]")));
        lx::Array bad = m;
        bad.data()[6] = NAN;
        QVERIFY(refused("nan.npy", bad, job, QStringLiteral("NaN or Inf at row 1, column 2")));
        bad = m;
        bad.data()[13] = -0.5f;
        QVERIFY(refused("negative.npy", bad, job, QStringLiteral("negative value -0.5 at row 3, column 1")));
        QVERIFY(refused("foreign.npy", m, jobWith(job, "model_sha256", QString(64, QLatin1Char('a'))),
                        QStringLiteral("computed for another model file (SHA-256 aaaaaaaaaaaa")));
        QVERIFY(refused("eim.npy", m, jobWith(job, "command", QStringLiteral("influence")),
                        QStringLiteral("its provenance is of command \"influence\", not \"responses\"")));
        const QString missing = dir.filePath(QStringLiteral("missing.npy"));
        QVERIFY(refusal(view, &ResponsesView::openMatrix, missing, QStringLiteral("cannot read ") + missing));
        QCOMPARE(panel->result().matrix, lx::ui::floatsOf(m));
        // The unsharded CLI writes no provenance: accepted, and the panel says so.
        lx::Array plain = m;
        plain.data()[0] = 2.0f;
        QVERIFY(view->openMatrix(writeMatrix(dir, "plain.npy", plain)));
        QCOMPARE(shown.count(), 2);
        QCOMPARE(plot->cellValue(0, 0), 2.0);
        QCOMPARE(panel->summaryText(), QStringLiteral("opened from plain.npy (no provenance)"));
    }

    void opensConditionedFromFile()
    {
        const QString model = requireFixture("shapes_ae.pt");
        if (!QFileInfo::exists(model))
            QFAIL("fixture shapes_ae.pt missing (run make_response_fixtures)");
        Bench bench;
        QVERIFY(bench.open(model));
        ResponsesView* view = bench.view;
        lx::ui::ConditionedPanel* panel = view->conditionedPanel();
        QVERIFY(view->openConditionedAction()->isEnabled());
        QVERIFY(panel->openButton()->isEnabled());

        // lx-shapes has 5 factors, shapes_ae 3 latent dims: C is [5, 3]. Each of the first three factors
        // moves its own dim only: every dim responds to one factor, CDS = 1 by hand.
        QTemporaryDir dir;
        lx::Array one({5, 3});
        for (int k = 0; k < 3; ++k)
            one.data()[size_t(k * 3 + k)] = 1.0f;
        const QJsonObject job{{QStringLiteral("command"), QStringLiteral("conditioned")},
                              {QStringLiteral("model_sha256"), modelSha256(model)},
                              {QStringLiteral("dataset"), QStringLiteral("lx-shapes")},
                              {QStringLiteral("traversals"), QStringLiteral("20")},
                              {QStringLiteral("batch"), QStringLiteral("32")},
                              {QStringLiteral("seed"), QStringLiteral("0")}};
        const QString path = writeMatrix(dir, "C.npy", one, job, 3, 100);
        QSignalSpy shown(view, &ResponsesView::conditionedShown);
        QSignalSpy messages(view, &ResponsesView::message);
        QVERIFY2(view->openConditioned(path), qPrintable(lastMessage(messages)));
        QCOMPARE(shown.count(), 1);
        QCOMPARE(view->currentTab(), ResponsesView::Tab::Conditioned);
        QCOMPARE(panel->result().cds, 1.0);
        QCOMPARE(panel->cdsText(),
                 QStringLiteral("CDS = 1.0000   (range 1/F = 0.200 … 1; opened from C.npy, merged from "
                                "3 shards, 20 traversals per factor, batch 32, seed 0)"));
        QCOMPARE(panel->result().factorNames.first(), QStringLiteral("shape"));

        // A uniform C: CDS = 3 * 0.5 / (15 * 0.5) = 1/F by hand; then general values against core's CDS.
        lx::Array uniform({5, 3}, std::vector<float>(15, 0.5f));
        QVERIFY(view->openConditioned(writeMatrix(dir, "uniform.npy", uniform)));
        QVERIFY(std::abs(panel->result().cds - 0.2) < 1e-12);
        QVERIFY(panel->cdsText().startsWith(QStringLiteral("CDS = 0.2000")));
        std::vector<float> values(15);
        for (int k = 0; k < 15; ++k)
            values[size_t(k)] = 0.05f * float((k * 7) % 11);
        const lx::Array c({5, 3}, values);
        QVERIFY(view->openConditioned(writeMatrix(dir, "C.npy", c, job, 3, 100)));
        QCOMPARE(shown.count(), 3);
        const double cds = lx::causalDisentanglementScore(c);
        QCOMPARE(panel->result().cds, cds);
        QVERIFY(panel->cdsText().startsWith(QStringLiteral("CDS = %1   (range 1/F").arg(cds, 0, 'f', 4)));
        lx::ui::ResponseMatrixPlot* plot = panel->plot();
        QCOMPARE(plot->rows(), 5);
        QCOMPARE(plot->columns(), 3);
        for (int k = 0; k < 5; ++k) {
            for (int j = 0; j < 3; ++j)
                QCOMPARE(plot->cellValue(k, j), double(values[size_t(k * 3 + j)]));
        }
        lx::ui::ExportMenu::writeArrays(dir.filePath(QStringLiteral("out.npy")), panel->arrays());
        QCOMPARE(lx::Npy::read(dir.filePath(QStringLiteral("out.npy")).toStdString()), c);

        const auto refused = [&](const char* name, const lx::Array& array, const QJsonObject& provenance,
                                 const QString& expected) {
            return refusal(view, &ResponsesView::openConditioned, writeMatrix(dir, name, array, provenance),
                           QStringLiteral("conditioned matrix: %1: %2").arg(QLatin1String(name), expected))
                && shown.count() == 3 && panel->result().matrix == lx::ui::floatsOf(c) && panel->result().cds == cds;
        };
        QVERIFY(refused("wide.npy", lx::Array({3, 5}), job,
                        QStringLiteral("shape [3, 5], but lx-shapes has 5 factors and the model's latent size is 3: "
                                       "expected [5, 3]")));
        lx::Array bad = c;
        bad.data()[4] = -1.0f;
        QVERIFY(refused("negative.npy", bad, job, QStringLiteral("negative value -1 at row 1, column 1")));
        bad = c;
        bad.data()[14] = INFINITY;
        QVERIFY(refused("inf.npy", bad, {}, QStringLiteral("NaN or Inf at row 4, column 2")));
        QVERIFY(refused("other.npy", c, jobWith(job, "dataset", QStringLiteral("dsprites")),
                        QStringLiteral("computed on dataset \"dsprites\", but this model's is lx-shapes")));
        QVERIFY(refused("M.npy", c, jobWith(job, "command", QStringLiteral("responses")),
                        QStringLiteral("its provenance is of command \"responses\", not \"conditioned\"")));
        QVERIFY(refused("foreign.npy", c, jobWith(job, "model_sha256", QString(64, QLatin1Char('b'))),
                        QStringLiteral("computed for another model file")));
        QVERIFY(refusal(view, &ResponsesView::openConditioned, dir.filePath(QStringLiteral("missing.npy")),
                        QStringLiteral("cannot read")));
    }

    void settingsSurviveASession()
    {
        // The sample source and each tab's settings go into a saved session and come back in a new window.
        const QString model = requireFixture("shapes_ae.pt");
        Bench first;
        QVERIFY(first.open(model));
        ResponsesView* view = first.view;
        view->sourceBar()->setValueSource(ValueSource::Prior);
        view->sourceBar()->samplesBox()->setValue(77);
        view->sourceBar()->seedBox()->setValue(5);
        view->conditionedPanel()->traversalsBox()->setValue(33);
        view->conditionedPanel()->batchBox()->setValue(64);
        view->mapPanel()->setDims(2, 1);
        view->mapPanel()->gridBox()->setValue(24);
        view->mapPanel()->radiusBox()->setValue(2.5);
        view->mapPanel()->baseSeedBox()->setValue(4);
        view->mapPanel()->stepsBox()->setValue(6);
        view->latentsPanel()->radiusBox()->setValue(3.5);
        view->latentsPanel()->traversalStepsBox()->setValue(9);
        view->latentsPanel()->iterateStepsBox()->setValue(7);
        view->showTab(ResponsesView::Tab::Map);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("responses.lxsession"));
        QVERIFY(first.window.sessionController()->saveTo(path));
        const QJsonObject saved =
            QJsonDocument::fromJson(QByteArray::fromStdString(lx::Session::load(path.toStdString()).viewJson))
                .object()
                .value(QStringLiteral("responses"))
                .toObject();
        QCOMPARE(saved.value(QStringLiteral("map")).toObject().value(QStringLiteral("grid")).toInt(), 24);

        Bench second;
        QVERIFY(second.open(requireFixture("identity_ae.pt"))); // another model first: the session replaces it
        QSignalSpy opened(second.window.sessionController(), &SessionController::sessionOpened);
        QVERIFY(second.window.sessionController()->open(path));
        QVERIFY(!opened.isEmpty() || opened.wait(kTimeoutMs));
        ResponsesView* reopened = second.window.responsesView();
        QCOMPARE(reopened->sourceBar()->source().values, ValueSource::Prior);
        QCOMPARE(reopened->sourceBar()->samplesBox()->value(), 77);
        QCOMPARE(reopened->sourceBar()->seedBox()->value(), 5);
        QCOMPARE(reopened->conditionedPanel()->traversalsBox()->value(), 33);
        QCOMPARE(reopened->conditionedPanel()->batchBox()->value(), 64);
        QCOMPARE(reopened->mapPanel()->dimXBox()->value(), 2);
        QCOMPARE(reopened->mapPanel()->dimYBox()->value(), 1);
        QCOMPARE(reopened->mapPanel()->gridBox()->value(), 24);
        QCOMPARE(reopened->mapPanel()->radiusBox()->value(), 2.5);
        QCOMPARE(reopened->mapPanel()->baseSeedBox()->value(), 4);
        QCOMPARE(reopened->mapPanel()->stepsBox()->value(), 6);
        QCOMPARE(reopened->latentsPanel()->radiusBox()->value(), 3.5);
        QCOMPARE(reopened->latentsPanel()->traversalStepsBox()->value(), 9);
        QCOMPARE(reopened->latentsPanel()->iterateStepsBox()->value(), 7);
        QCOMPARE(reopened->currentTab(), ResponsesView::Tab::Map);
        QCOMPARE(reopened->sessionJson(), view->sessionJson()); // the seeds without a box of their own too
    }
    void fitsTheDefaultWindow()
    {
        // The workbench's tab page (a scroll area around the view) asks for little room, so it never
        // makes the window grow while the hybrid docks share it; on its tab the view gets all the room
        // it needs in the 1400 x 900 window (the screenshots' size) and fills the page: no scrolling.
        Bench bench;
        QVERIFY(bench.open(requireFixture("conv_vae64.pt")));
        QWidget* page = bench.window.centralTabs()->currentWidget();
        QVERIFY(page->isAncestorOf(bench.view));
        QVERIFY2(page->minimumSizeHint().width() < 200, qPrintable(QString::number(page->minimumSizeHint().width())));
        // Results with their (long) status lines in place.
        bench.view->mapPanel()->gridBox()->setValue(8);
        QVERIFY(runAndWait(bench.view, &ResponsesView::mapShown, [&] { bench.view->computeMap(); }));
        for (int tab = 0; tab < 4; ++tab) {
            bench.view->showTab(static_cast<ResponsesView::Tab>(tab));
            QCoreApplication::processEvents();
            QCOMPARE(bench.view->size(), bench.view->parentWidget()->size());
            const QSize minimum = bench.view->minimumSizeHint();
            QVERIFY2(bench.view->width() >= minimum.width() && bench.view->height() >= minimum.height(),
                     qPrintable(QStringLiteral("tab %1: %2 x %3 shown, %4 x %5 needed")
                                    .arg(tab)
                                    .arg(bench.view->width())
                                    .arg(bench.view->height())
                                    .arg(minimum.width())
                                    .arg(minimum.height())));
        }
    }
};

QTEST_MAIN(TestResponsesView)
#include "test_ResponsesView.moc"
