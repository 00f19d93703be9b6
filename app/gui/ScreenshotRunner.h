#pragma once
// --screenshot: waits for the model to load and the first hybrid frame to be shown, grabs the window
// into a PNG, and reports an exit code (0 saved, 1 failed or timed out).
#include <QObject>
#include <QString>
#include <QTimer>

namespace lx::ui {
class MainWindow;
}

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    ScreenshotRunner(lx::ui::MainWindow* window, QString path, int timeoutMs, QObject* parent);

    // Fails at once (e.g. no model to load).
    void fail(const QString& error);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void grabAndSave();
    void finish(int exitCode);

    lx::ui::MainWindow* mWindow;
    QString mPath;
    QTimer mTimeout;
    bool mDone = false;
    bool mGrabScheduled = false;
};
