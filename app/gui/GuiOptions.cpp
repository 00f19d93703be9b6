#include "GuiOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace {
const char* const kDefaultModelFile = "fashion_dcgan.pt";
} // namespace

bool GuiOptions::parse(const QStringList& arguments, GuiOptions& options, QString& error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Latent Explorer: look inside deep generative models (counterfactual hybrids)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("TorchScript model to open (default: the bundled %1).")
                                       .arg(QLatin1String(kDefaultModelFile)),
                                   QStringLiteral("M"));
    const QCommandLineOption device(QStringLiteral("device"),
                                    QStringLiteral("Compute device: auto, cpu or cuda (default auto)."),
                                    QStringLiteral("D"), QStringLiteral("auto"));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("LibTorch intra-op threads (default: all cores)."),
                                     QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Show the window at 1400x900, wait for the first hybrid, save it as a PNG and exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption computeModules(
        QStringLiteral("compute-modules"),
        QStringLiteral("With --screenshot: first compute the influence maps of the current layer and K "
                       "modules, select the first module and show the Influence and Modules panels."),
        QStringLiteral("K"));
    parser.addOptions({model, device, threads, screenshot, computeModules});
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Model to open (same as --model)."),
                                 QStringLiteral("[MODEL]"));
    parser.process(arguments);   // exits on --help, --version and unknown options

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        error = QStringLiteral("at most one MODEL argument, got %1").arg(positional.size());
        return false;
    }
    if (parser.isSet(model) && !positional.isEmpty()) {
        error = QStringLiteral("give the model either as --model or as MODEL, not both");
        return false;
    }
    options.model = parser.isSet(model) ? parser.value(model)
                    : !positional.isEmpty() ? positional.first()
                                            : findDefaultModel();

    options.device = parser.value(device).trimmed().toLower();
    if (options.device != QLatin1String("auto") && options.device != QLatin1String("cpu")
        && options.device != QLatin1String("cuda")) {
        error = QStringLiteral("--device must be auto, cpu or cuda, not '%1'").arg(parser.value(device));
        return false;
    }
    bool ok = false;
    options.threads = parser.value(threads).toInt(&ok);
    if (!ok || options.threads < 0) {
        error = QStringLiteral("--threads must be a whole number >= 0, not '%1'").arg(parser.value(threads));
        return false;
    }
    options.screenshot = parser.value(screenshot);
    if (parser.isSet(screenshot) && options.screenshot.isEmpty()) {
        error = QStringLiteral("--screenshot needs a file name");
        return false;
    }
    if (parser.isSet(computeModules)) {
        options.computeModules = parser.value(computeModules).toInt(&ok);
        if (!ok || options.computeModules < 1) {
            error = QStringLiteral("--compute-modules must be a whole number >= 1, not '%1'")
                        .arg(parser.value(computeModules));
            return false;
        }
        if (options.screenshot.isEmpty()) {
            error = QStringLiteral("--compute-modules goes with --screenshot FILE.png");
            return false;
        }
    }
    return true;
}

QString GuiOptions::findDefaultModel()
{
    const QDir appDir(QCoreApplication::applicationDirPath());
    const QStringList candidates{
        appDir.filePath(QStringLiteral("../share/latent-explorer/models/%1").arg(QLatin1String(kDefaultModelFile))),
        QStringLiteral(LX_SOURCE_MODELS_DIR "/%1").arg(QLatin1String(kDefaultModelFile)),
    };
    for (const QString& candidate : candidates) {
        if (QFileInfo::exists(candidate))
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}
