#pragma once
// --screenshot: waits for the model to load and the first hybrid frame to be shown, grabs the window
// into a PNG, and reports an exit code (0 saved, 1 failed or timed out). With --compute-modules K it
// first computes the influence maps of the current layer and K modules (through the panels, as a
// user would), selects the first module so the hybrid swaps it, and shows both docks. With
// setResponses(VIEW) it opens the Latent responses tab instead and computes VIEW there first: matrix,
// conditioned, map (then decodes a point of the map and iterates its response) or latents (the sliders
// at a prior sample, with their traversal strips and iterated responses).
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
    ScreenshotRunner(lx::ui::MainWindow* window, QString path, int timeoutMs, int modulesK, QObject* parent);

    // "matrix", "conditioned", "map" or "latents" (see above); empty: none. samples / grid /
    // traversals > 0 and dims >= 0 (the map's slice) replace the GUI's defaults. The latent responses
    // get a longer time limit (kResponsesTimeoutMs).
    void setResponses(const QString& view, int samples, int grid, int dimX = -1, int dimY = -1, int traversals = 0);
    static constexpr int kResponsesTimeoutMs = 15 * 60 * 1000;

    // After --compute-modules: open the Module assays tab and compute "grid" (the first module's hybrid
    // grid, once the module influence maps are in) or "robustness" (the classifier assay with the
    // classifier the view proposes), or compute the modules panel's "consistency" curve, before grabbing.
    void setModuleAssay(const QString& view);

    // A model of kind "cgn" opens in the CGN mixer: the screenshot waits for its render ("mixer", the
    // default) or its counterfactual grid ("grid") instead of a hybrid frame. A view given here fails for
    // other models.
    void setCgn(const QString& view);

    // A model of kind "vqvae" opens in the Codes (CT-VAE) tab: the screenshot then draws a true one-step pair
    // (random pair, seed 1) when the model's dataset allows, applies that pair's action (else the first
    // action) once and waits for the codes, the adjacency and the retrieval bars. `page` is the tab's page
    // shown on the right: "adjacency", "retrieval" (the default when retrieval can run) or "evaluate" (which
    // first runs Evaluate with its default pairs and seed). `on` false: only when the model is a vqvae.
    void setVq(bool on, const QString& page);

    // After the first frame: open the Explore tab and wait for its interpolation strip, preview and
    // sample grid before grabbing.
    void setExplore(bool on) { mExplore = on; }

    // Fails at once (e.g. no model to load).
    void fail(const QString& error);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onFrameShown();
    void startCgn();
    void startExplore();
    void onCgnShown();
    void startVq();
    void onVqShown();
    void startAnalysis();
    void startResponses();
    void modulesDone();
    void startModuleAssay();
    void grabWhenModuleMapsAreIn();
    void computeResponses();
    void scheduleGrab();
    void grabAndSave();
    void finish(int exitCode);

    lx::ui::MainWindow* mWindow;
    QString mPath;
    int mModulesK = 0;
    QString mResponses;
    int mResponseSamples = 0;
    int mResponseGrid = 0;
    int mResponseDimX = -1;
    int mResponseDimY = -1;
    int mResponseTraversals = 0;
    QString mModuleAssay;
    QString mCgn;
    bool mVq = false;
    QString mVqPage;
    bool mVqEvaluated = false;
    bool mVqReady = false; // the pair is drawn and the action applied: what arrives now is the screenshot's
    bool mExplore = false;
    int mExploreParts = 0; // bit 0 strip, 1 preview, 2 grid
    enum class Stage {
        WaitFirstFrame,
        Influence,
        Modules,
        WaitModuleFrame,
        Responses,
        ModuleAssay,
        Cgn,
        Vq,
        Explore,
        Grabbing
    };
    Stage mStage = Stage::WaitFirstFrame;
    QTimer mTimeout;
    bool mDone = false;
};
