#include "ScreenshotRunner.h"

#include "lx/ui/MainWindow.h"

#include <QPixmap>

#include <spdlog/spdlog.h>

#include <cstdio>

ScreenshotRunner::ScreenshotRunner(lx::ui::MainWindow* window, QString path, int timeoutMs,
                                   QObject* parent)
    : QObject(parent)
    , mWindow(window)
    , mPath(std::move(path))
{
    mTimeout.setSingleShot(true);
    connect(&mTimeout, &QTimer::timeout, this, [this, timeoutMs] {
        fail(QStringLiteral("no hybrid frame arrived within %1 s").arg(timeoutMs / 1000));
    });
    mTimeout.start(timeoutMs);

    connect(window, &lx::ui::MainWindow::modelFailed, this, [this](const QString& error) {
        if (!mWindow->hasModel())
            fail(QStringLiteral("cannot load model: %1").arg(error));
    });
    connect(window, &lx::ui::MainWindow::frameShown, this, [this] {
        if (mGrabScheduled)
            return;
        mGrabScheduled = true;
        // Let the views and thumbnails paint and the layout settle before grabbing.
        QTimer::singleShot(300, this, &ScreenshotRunner::grabAndSave);
    });
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
