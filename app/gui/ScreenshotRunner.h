#pragma once
// --screenshot: waits for the model to load and the first hybrid frame to be shown, grabs the window
// into a PNG, and reports an exit code (0 saved, 1 failed or timed out). With --compute-modules K it
// first computes the influence maps of the current layer and K modules (through the panels, as a
// user would), selects the first module so the hybrid swaps it, and shows both docks.
#include <QObject>
#include <QString>
#include <QTimer>

namespace lx::ui {
class MainWindow;
}

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    // `modulesK` > 0: compute influence maps and that many modules before grabbing.
    ScreenshotRunner(lx::ui::MainWindow* window, QString path, int timeoutMs, int modulesK,
                     QObject* parent);

    // Fails at once (e.g. no model to load).
    void fail(const QString& error);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onFrameShown();
    void startAnalysis();
    void scheduleGrab();
    void grabAndSave();
    void finish(int exitCode);

    lx::ui::MainWindow* mWindow;
    QString mPath;
    int mModulesK = 0;
    enum class Stage { WaitFirstFrame, Influence, Modules, WaitModuleFrame, Grabbing };
    Stage mStage = Stage::WaitFirstFrame;
    QTimer mTimeout;
    bool mDone = false;
};
