#include "ScreenshotRunner.h"

#include "lx/ui/ComputeController.h"
#include "lx/ui/InfluencePanel.h"
#include "lx/ui/MainWindow.h"
#include "lx/ui/ModulesPanel.h"

#include <QDockWidget>
#include <QPixmap>
#include <QSpinBox>

#include <spdlog/spdlog.h>

#include <cstdio>

ScreenshotRunner::ScreenshotRunner(lx::ui::MainWindow* window, QString path, int timeoutMs,
                                   int modulesK, QObject* parent)
    : QObject(parent)
    , mWindow(window)
    , mPath(std::move(path))
    , mModulesK(modulesK)
{
    mTimeout.setSingleShot(true);
    connect(&mTimeout, &QTimer::timeout, this, [this, timeoutMs] {
        const char* what = mStage == Stage::WaitFirstFrame ? "no hybrid frame arrived"
                           : mStage == Stage::Influence    ? "the influence maps did not arrive"
                           : mStage == Stage::Modules      ? "the modules did not arrive"
                                                           : "the screenshot was not taken";
        fail(QStringLiteral("%1 within %2 s").arg(QLatin1String(what)).arg(timeoutMs / 1000));
    });
    mTimeout.start(timeoutMs);

    connect(window, &lx::ui::MainWindow::modelFailed, this, [this](const QString& error) {
        if (!mWindow->hasModel())
            fail(QStringLiteral("cannot load model: %1").arg(error));
    });
    connect(window, &lx::ui::MainWindow::frameShown, this, &ScreenshotRunner::onFrameShown);
    connect(window->controller(), &lx::ui::ComputeController::jobFailed, this,
            [this](quint64, const QString& error) { fail(QStringLiteral("job failed: %1").arg(error)); });
}

void ScreenshotRunner::onFrameShown()
{
    if (mStage == Stage::WaitFirstFrame)
        mModulesK > 0 ? startAnalysis() : scheduleGrab();
    else if (mStage == Stage::WaitModuleFrame)
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
            });
    connect(modules, &lx::ui::ModulesPanel::resultChanged, this,
            [this, modules](const lx::ui::ModulesResult& result) {
                if (mStage != Stage::Modules || result.k <= 0)
                    return;
                mStage = Stage::WaitModuleFrame;
                // Swap the first module, as a click on it would; a new frame follows.
                const quint64 shown = mWindow->lastShownSeq();
                modules->selectModule(0);
                if (mWindow->controller()->lastPostedSeq() == shown)
                    scheduleGrab();   // the selection was already that module
            });
    mWindow->influenceDock()->show();
    mWindow->influenceDock()->raise();
    mWindow->modulesDock()->show();
    mWindow->modulesDock()->raise();
    influence->compute();
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
