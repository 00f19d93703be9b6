#include "ScreenshotRunner.h"

#include "ui/compute/ComputeController.h"
#include "ui/compute/TaskHandle.h"
#include "ui/hybrids/HybridTasks.h"
#include "ui/influence/InfluencePanel.h"
#include "ui/shell/MainWindow.h"
#include "ui/modules/ModulesPanel.h"
#include "ui/modules/ConsistencyPanel.h"
#include "ui/modules/ModuleAssaysView.h"
#include "ui/modules/ModuleGridView.h"
#include "ui/modules/ModulePlot.h"
#include "ui/modules/RobustnessView.h"
#include "ui/compute/TaskBar.h"
#include "ui/responses/ConditionedPanel.h"
#include "ui/responses/LatentSlidersPanel.h"
#include "ui/responses/ResponseMapPanel.h"
#include "ui/responses/ResponseMapQuad.h"
#include "ui/responses/ResponseSourceBar.h"
#include "ui/responses/ResponsesView.h"
#include "ui/shell/SessionController.h"
#include "ui/cgn/CgnMixerView.h"
#include "ui/explore/ExploreView.h"
#include "ui/vq/VqEvaluatePanel.h"
#include "ui/vq/VqView.h"
#include "lx/VqPairs.h"

#include <QDockWidget>
#include <QPixmap>
#include <QPushButton>
#include <QTabWidget>
#include <QSlider>
#include <QSpinBox>

#include <spdlog/spdlog.h>

#include <cstdio>

namespace {

// The id of the newest hybrid task the window ran (what its lastShownSeq() catches up with).
quint64 lastHybridPosted(const lx::ui::MainWindow* window)
{
    return window->controller()->lastPosted(QString::fromLatin1(lx::ui::HybridTasks::kKey));
}

} // namespace

ScreenshotRunner::ScreenshotRunner(lx::ui::MainWindow* window, QString path, int timeoutMs, int modulesK,
                                   QObject* parent)
    : QObject(parent)
    , mWindow(window)
    , mPath(std::move(path))
    , mModulesK(modulesK)
{
    mTimeout.setSingleShot(true);
    connect(&mTimeout, &QTimer::timeout, this, [this] {
        const char* what = mStage == Stage::WaitFirstFrame ? "no hybrid frame arrived"
            : mStage == Stage::Influence                   ? "the influence maps did not arrive"
            : mStage == Stage::Modules                     ? "the modules did not arrive"
            : mStage == Stage::Responses                   ? "the latent responses did not arrive"
            : mStage == Stage::ModuleAssay                 ? "the module assay did not finish"
            : mStage == Stage::Cgn                         ? "the CGN render did not arrive"
            : mStage == Stage::Vq                          ? "the codes, adjacency or retrieval did not arrive"
            : mStage == Stage::Explore                     ? "the Explore views did not arrive"
                                                           : "the screenshot was not taken";
        fail(QStringLiteral("%1 within %2 s").arg(QLatin1String(what)).arg(mTimeout.interval() / 1000));
    });
    mTimeout.start(timeoutMs);

    connect(window, &lx::ui::MainWindow::modelFailed, this, [this](const QString& error) {
        if (!mWindow->hasModel())
            fail(QStringLiteral("cannot load model: %1").arg(error));
    });
    connect(window, &lx::ui::MainWindow::frameShown, this, &ScreenshotRunner::onFrameShown);
    connect(window, &lx::ui::MainWindow::modelReady, this, [this](const lx::ui::ModelSummary& summary) {
        if (summary.kind == QLatin1String("cgn"))
            startCgn();
        else if (!mCgn.isEmpty())
            fail(QStringLiteral("--cgn needs a model of kind cgn, not %1").arg(summary.kind));
        if (summary.kind == QLatin1String("vqvae"))
            startVq();
        else if (mVq)
            fail(QStringLiteral("--vq needs a model of kind vqvae, not %1").arg(summary.kind));
    });
    connect(window->cgnMixer(), &lx::ui::CgnMixerView::frameShown, this, &ScreenshotRunner::onCgnShown);
    connect(window->cgnMixer(), &lx::ui::CgnMixerView::gridShown, this, &ScreenshotRunner::onCgnShown);
    lx::ui::VqView* vq = window->vqView();
    for (auto signal : {&lx::ui::VqView::frameShown, &lx::ui::VqView::adjacencyShown, &lx::ui::VqView::retrievalShown})
        connect(vq, signal, this, &ScreenshotRunner::onVqShown);
    connect(vq, &lx::ui::VqView::evaluationFinished, this, [this](bool ok) {
        if (mStage != Stage::Vq)
            return;
        if (!ok) {
            fail(QStringLiteral("the evaluation was cancelled or failed"));
            return;
        }
        mVqEvaluated = true;
        onVqShown();
    });
    // A batch task that fails ends the run with its error. Each task reports to whoever ran it, so the
    // runner follows the tasks the views' task bars run (and the influence panel's, in startAnalysis).
    const QList<lx::ui::TaskBar*> bars = window->findChildren<lx::ui::TaskBar*>();
    for (lx::ui::TaskBar* bar : bars) {
        connect(bar, &lx::ui::TaskBar::runningChanged, this, [this, bar](bool running) {
            if (running && bar->current())
                connect(bar->current(), &lx::ui::TaskHandle::failed, this,
                        [this](const QString& error) { fail(QStringLiteral("job failed: %1").arg(error)); });
        });
    }
}

void ScreenshotRunner::onFrameShown()
{
    // A session opens after its model's first frame was asked for: wait for the newest frame.
    if (mStage == Stage::WaitFirstFrame
        && (mWindow->lastShownSeq() != lastHybridPosted(mWindow) || mWindow->sessionController()->isOpening()))
        return;
    if (mStage == Stage::WaitFirstFrame && !mResponses.isEmpty())
        startResponses();
    else if (mStage == Stage::WaitFirstFrame && mExplore)
        startExplore();
    else if (mStage == Stage::WaitFirstFrame)
        mModulesK > 0 ? startAnalysis() : scheduleGrab();
    else if (mStage == Stage::WaitModuleFrame)
        modulesDone();
}

void ScreenshotRunner::setCgn(const QString& view) { mCgn = view; }

void ScreenshotRunner::startCgn()
{
    if (mStage != Stage::WaitFirstFrame)
        return;
    mStage = Stage::Cgn;
    mWindow->showCgnMixer();
    // Wait for the newest render (a session restores its state after the model's first one).
    QTimer::singleShot(0, this, [this] {
        mWindow->cgnMixer()->showSubView(mCgn == QLatin1String("grid") ? lx::ui::CgnMixerView::SubView::Grid
                                                                       : lx::ui::CgnMixerView::SubView::Mixer);
        onCgnShown();
    });
}

void ScreenshotRunner::setVq(bool on, const QString& page)
{
    mVq = on;
    mVqPage = page;
}

void ScreenshotRunner::startVq()
{
    if (mStage != Stage::WaitFirstFrame)
        return;
    mStage = Stage::Vq;
    mWindow->showVqView();
    // (A session restores its state on modelReady, before this runs: its steps are kept.)
    QTimer::singleShot(0, this, [this] {
        lx::ui::VqView* view = mWindow->vqView();
        const lx::ui::VqModelInfo& info = view->info();
        if (view->state().ops.isEmpty()) {
            int action = 0;
            if (info.pairsUsable && view->randomPair(1)) {
                for (int a = 0; a < info.actions.size(); ++a) {
                    if (lx::VqPairs::step(*info.dataset, view->state().source, a) == view->state().target)
                        action = a;
                }
            }
            if (info.hasTransition())
                view->applyAction(action, 1);
        }
        QString page = mVqPage;
        if (page.isEmpty())
            page = info.pairsUsable ? QStringLiteral("retrieval") : QStringLiteral("adjacency");
        if ((page == QLatin1String("retrieval") || page == QLatin1String("evaluate")) && !info.pairsUsable) {
            fail(QStringLiteral("--vq-page %1: %2").arg(page, info.datasetNote));
            return;
        }
        mVqPage = page;
        view->showPage(page == QLatin1String("evaluate")        ? lx::ui::VqView::Page::Evaluate
                           : page == QLatin1String("retrieval") ? lx::ui::VqView::Page::Retrieval
                                                                : lx::ui::VqView::Page::Adjacency);
        if (page == QLatin1String("evaluate")) {
            mTimeout.start(kResponsesTimeoutMs);
            if (view->evaluate(view->evaluatePanel()->pairsBox()->value(),
                               quint64(view->evaluatePanel()->seedBox()->value()))
                == 0)
                fail(QStringLiteral("the evaluation could not start"));
        }
        mVqReady = true;
        onVqShown();
    });
}

void ScreenshotRunner::onVqShown()
{
    if (mStage != Stage::Vq || !mVqReady || mWindow->sessionController()->isOpening())
        return;
    const lx::ui::VqView* view = mWindow->vqView();
    const lx::ui::VqModelInfo& info = view->info();
    const bool codes = view->lastShownRender() != 0 && view->lastShownRender() == view->lastPostedRender()
        && view->lastFrame().state == view->state();
    const bool adjacency = !info.hasTransition()
        || (view->lastShownAdjacency() != 0 && view->lastShownAdjacency() == view->lastPostedAdjacency());
    const bool retrieval = !info.pairsUsable
        || (view->lastShownRetrieval() != 0 && view->lastShownRetrieval() == view->lastPostedRetrieval());
    const bool evaluated = mVqPage != QLatin1String("evaluate") || mVqEvaluated;
    if (codes && adjacency && retrieval && evaluated)
        scheduleGrab();
}

void ScreenshotRunner::startExplore()
{
    mStage = Stage::Explore;
    lx::ui::ExploreView* explore = mWindow->exploreView();
    const auto part = [this](int bit) {
        return [this, bit] {
            mExploreParts |= bit;
            if (mStage == Stage::Explore && mExploreParts == 7)
                scheduleGrab();
        };
    };
    connect(explore, &lx::ui::ExploreView::interpolationShown, this, part(1));
    connect(explore, &lx::ui::ExploreView::previewShown, this, part(2));
    connect(explore, &lx::ui::ExploreView::gridShown, this, part(4));
    explore->slider()->setValue(lx::ui::ExploreView::kSliderTicks / 2);
    mWindow->showExplore(); // showing it computes its views
}

void ScreenshotRunner::onCgnShown()
{
    if (mStage != Stage::Cgn || mWindow->sessionController()->isOpening())
        return;
    const lx::ui::CgnMixerView* mixer = mWindow->cgnMixer();
    const bool grid = mCgn == QLatin1String("grid");
    const bool rendered = mixer->lastShownRender() != 0 && mixer->lastShownRender() == mixer->lastPostedRender();
    const bool gridDone = mixer->lastShownGrid() != 0 && mixer->lastShownGrid() == mixer->lastPostedGrid();
    if (rendered && (!grid || gridDone))
        scheduleGrab();
}

void ScreenshotRunner::startAnalysis()
{
    mStage = Stage::Influence;
    lx::ui::InfluencePanel* influence = mWindow->influencePanel();
    lx::ui::ModulesPanel* modules = mWindow->modulesPanel();
    connect(influence, &lx::ui::InfluencePanel::mapsChanged, this,
            [this, modules](const lx::ui::InfluenceResult& maps) {
                if (mStage != Stage::Influence || maps.isEmpty())
                    return;
                mStage = Stage::Modules;
                modules->kBox()->setValue(mModulesK);
                modules->findModules();
                if (lx::ui::TaskHandle* job = modules->currentJob())
                    connect(job, &lx::ui::TaskHandle::failed, this, [this](const QString& error) {
                        fail(QStringLiteral("module discovery failed: %1").arg(error));
                    });
            });
    connect(modules, &lx::ui::ModulesPanel::resultChanged, this, [this, modules](const lx::ui::ModulesResult& result) {
        if (mStage != Stage::Modules || result.k <= 0)
            return;
        mStage = Stage::WaitModuleFrame;
        // Swap the first module, as a click on it would; a new frame follows.
        const quint64 shown = mWindow->lastShownSeq();
        modules->selectModule(0);
        if (lastHybridPosted(mWindow) == shown)
            modulesDone(); // the selection was already that module
    });
    mWindow->influenceDock()->show();
    mWindow->influenceDock()->raise();
    mWindow->modulesDock()->show();
    mWindow->modulesDock()->raise();
    influence->compute();
    if (lx::ui::TaskHandle* job = influence->currentJob()) // none when the maps were cached
        connect(job, &lx::ui::TaskHandle::failed, this,
                [this](const QString& error) { fail(QStringLiteral("job failed: %1").arg(error)); });
}

void ScreenshotRunner::setResponses(const QString& view, int samples, int grid, int dimX, int dimY, int traversals)
{
    mResponseTraversals = traversals;
    mResponses = view;
    mResponseDimX = dimX;
    mResponseDimY = dimY;
    mResponseSamples = samples;
    mResponseGrid = grid;
    if (!view.isEmpty())
        mTimeout.start(kResponsesTimeoutMs);
}

void ScreenshotRunner::startResponses()
{
    mStage = Stage::Responses;
    lx::ui::ResponsesView* view = mWindow->responsesView();
    if (!view->isAvailable()) {
        fail(QStringLiteral("--responses needs an autoencoder"));
        return;
    }
    // The conditioned matrix depends on what the card says about datasets: wait for it.
    if (view->hasModelInfo())
        computeResponses();
    else
        connect(view, &lx::ui::ResponsesView::modelInfoReady, this, &ScreenshotRunner::computeResponses,
                Qt::SingleShotConnection);
}

void ScreenshotRunner::computeResponses()
{
    lx::ui::ResponsesView* view = mWindow->responsesView();
    mWindow->showResponses();
    if (mResponseSamples > 0)
        view->sourceBar()->samplesBox()->setValue(mResponseSamples);
    if (mResponseGrid > 0)
        view->mapPanel()->gridBox()->setValue(mResponseGrid);
    if (mResponseTraversals > 0)
        view->conditionedPanel()->traversalsBox()->setValue(mResponseTraversals);
    if (mResponseDimX >= 0 && mResponseDimY >= 0) {
        const int d = view->modelInfo().latentSize;
        if (mResponseDimX >= d || mResponseDimY >= d) {
            fail(QStringLiteral("--response-dims: the model has %1 latent dimensions").arg(d));
            return;
        }
        view->mapPanel()->setDims(mResponseDimX, mResponseDimY);
    }
    if (mResponses == QLatin1String("matrix")) {
        connect(view, &lx::ui::ResponsesView::matrixShown, this, &ScreenshotRunner::scheduleGrab);
        view->computeMatrix();
    } else if (mResponses == QLatin1String("conditioned")) {
        if (!view->modelInfo().datasetUsable) {
            fail(QStringLiteral("no conditioned matrix for this model: %1").arg(view->modelInfo().datasetNote));
            return;
        }
        connect(view, &lx::ui::ResponsesView::conditionedShown, this, &ScreenshotRunner::scheduleGrab);
        view->computeConditioned();
    } else if (mResponses == QLatin1String("map")) {
        lx::ui::ResponseMapPanel* map = view->mapPanel();
        // Then decode a point off the base and iterate its response, as a click would.
        connect(view, &lx::ui::ResponsesView::mapShown, this, [map] {
            const double r = map->quad()->data().request.radius;
            map->probeAt(QPointF(0.6 * r, -0.45 * r));
        });
        connect(map, &lx::ui::ResponseMapPanel::pointShown, this, &ScreenshotRunner::scheduleGrab);
        view->computeMap();
    } else {
        lx::ui::LatentSlidersPanel* latents = view->latentsPanel();
        connect(latents, &lx::ui::LatentSlidersPanel::stripsShown, this, [this, latents] {
            if (!latents->iterated().images.isEmpty() && !latents->probe().image.isNull())
                scheduleGrab();
        });
        connect(latents, &lx::ui::LatentSlidersPanel::iteratedShown, this, [this, latents] {
            if (!latents->strips().strips.isEmpty() && !latents->probe().image.isNull())
                scheduleGrab();
        });
        view->showTab(lx::ui::ResponsesView::Tab::Latents);
    }
}

void ScreenshotRunner::setModuleAssay(const QString& view)
{
    mModuleAssay = view;
    if (!view.isEmpty())
        mTimeout.start(kResponsesTimeoutMs);
}

void ScreenshotRunner::modulesDone()
{
    if (mModuleAssay.isEmpty())
        scheduleGrab();
    else
        startModuleAssay();
}

void ScreenshotRunner::startModuleAssay()
{
    if (mStage == Stage::ModuleAssay || mStage == Stage::Grabbing)
        return;
    mStage = Stage::ModuleAssay;
    lx::ui::ModuleAssaysView* assays = mWindow->moduleAssaysView();
    lx::ui::TaskBar* tasks = nullptr;
    if (mModuleAssay == QLatin1String("consistency")) {
        // The modules panel's second tab, beside the hybrids.
        lx::ui::ModulesPanel* modules = mWindow->modulesPanel();
        modules->tabs()->setCurrentWidget(modules->consistencyPanel());
        tasks = modules->consistencyPanel()->taskBar();
    } else {
        mWindow->showModuleAssays();
        // The assay views need the height the bottom docks take.
        mWindow->influenceDock()->hide();
        mWindow->channelDock()->hide();
    }
    if (mModuleAssay == QLatin1String("grid")) {
        assays->showGrid();
        tasks = assays->gridView()->taskBar();
    } else if (mModuleAssay == QLatin1String("robustness")) {
        assays->showRobustness();
        tasks = assays->robustnessView()->taskBar();
    }
    connect(tasks, &lx::ui::TaskBar::finished, this, [this](quint64, bool ok) {
        if (ok)
            grabWhenModuleMapsAreIn();
        else
            fail(QStringLiteral("the module assay was cancelled or failed"));
    });
    if (mModuleAssay == QLatin1String("grid"))
        assays->gridView()->compute();
    else if (mModuleAssay == QLatin1String("robustness"))
        assays->robustnessView()->run();
    else
        mWindow->modulesPanel()->consistencyPanel()->computeButton()->click();
    if (!tasks->isRunning())
        fail(QStringLiteral("the module assay could not start (%1)").arg(mModuleAssay));
}

void ScreenshotRunner::grabWhenModuleMapsAreIn()
{
    // The modules dock shows the real module influence maps once their task is done.
    if (mWindow->modulesPanel()->groupMapsRunning()) {
        QTimer::singleShot(200, this, &ScreenshotRunner::grabWhenModuleMapsAreIn);
        return;
    }
    scheduleGrab();
}

void ScreenshotRunner::scheduleGrab()
{
    if (mStage == Stage::Grabbing)
        return;
    mStage = Stage::Grabbing;
    // Let the views, thumbnails and plots paint and the layout settle before grabbing.
    QTimer::singleShot(300, this, &ScreenshotRunner::grabAndSave);
}

void ScreenshotRunner::grabAndSave()
{
    const QPixmap shot = mWindow->grab();
    if (shot.isNull() || !shot.save(mPath, "PNG")) {
        fail(QStringLiteral("cannot write screenshot %1").arg(mPath));
        return;
    }
    spdlog::info("screenshot saved to {} ({}x{})", mPath.toStdString(), shot.width(), shot.height());
    finish(0);
}

void ScreenshotRunner::fail(const QString& error)
{
    if (mDone)
        return;
    std::fprintf(stderr, "latent-explorer: error: %s\n", qPrintable(error));
    finish(1);
}

void ScreenshotRunner::finish(int exitCode)
{
    if (mDone)
        return;
    mDone = true;
    mTimeout.stop();
    Q_EMIT finished(exitCode);
}
