#pragma once
// Command line of the GUI executable.
#include <QString>
#include <QStringList>

class QCommandLineParser;

struct GuiOptions {
    QString model;        // empty: none found, start without a model
    QString device = QStringLiteral("auto");
    int threads = 0;
    QString screenshot;   // non-empty: screenshot mode
    int computeModules = 0;   // screenshot mode: compute influence maps and this many modules first

    // Parses the application's arguments (handles --help and --version itself, which exit). Returns
    // false with a one-line `error` for bad values.
    static bool parse(const QStringList& arguments, GuiOptions& options, QString& error);
    // The bundled model: ../share/latent-explorer/models/ beside the executable, then the source tree.
    static QString findDefaultModel();
};
