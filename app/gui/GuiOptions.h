#pragma once
// Command line of the GUI executable.
#include <QString>
#include <QStringList>

class QCommandLineParser;

struct GuiOptions {
    QString model; // empty: none found, start without a model
    QString device = QStringLiteral("auto");
    int threads = 0;
    QString screenshot; // non-empty: screenshot mode
    int computeModules = 0; // screenshot mode: compute influence maps and this many modules first
    QString responses; // screenshot mode: open the latent responses tab and compute this view
        // (matrix, conditioned, map or latents) first
    int responseSamples = 0; // with --responses: samples N (0: the GUI's default)
    int responseGrid = 0; // with --responses map: grid points per axis (0: the GUI's default)
    int responseTraversals = 0; // with --responses conditioned: traversals per factor (0: the GUI's default)
    int responseDimX = -1; // with --responses map: the slice's dimensions (-1: the GUI's default)
    int responseDimY = -1;
    QString moduleAssay; // with --compute-modules: then show this module assay (grid, robustness, consistency)
    QString session; // a session document to open at start (instead of the model)
    bool explore = false; // screenshot mode: the Explore tab
    QString cgn; // screenshot mode, a model of kind "cgn": the CGN mixer's page to show (mixer, grid)
    bool vq = false; // screenshot mode: a model of kind "vqvae" in the Codes tab after an action
    QString vqPage; // with --vq: the page on the right (adjacency, retrieval, evaluate; empty: default)
    enum class Restore { Ask, Yes, No };
    Restore restoreAutosave = Restore::Ask; // an autosave left by a crash: ask, restore, or leave it

    // Parses the application's arguments (handles --help and --version itself, which exit). Returns
    // false with a one-line `error` for bad values.
    static bool parse(const QStringList& arguments, GuiOptions& options, QString& error);
    // The bundled model: ../share/latent-explorer/models/ beside the executable, then the source tree.
    static QString findDefaultModel();
};
