#include "GuiOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <tuple>

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
    const QCommandLineOption model(
        QStringLiteral("model"),
        QStringLiteral("TorchScript model to open (default: the bundled %1).").arg(QLatin1String(kDefaultModelFile)),
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
    const QCommandLineOption responses(
        QStringLiteral("responses"),
        QStringLiteral("With --screenshot (autoencoders): open the Latent responses tab and first compute VIEW: "
                       "matrix, conditioned, map (and decode a point) or latents."),
        QStringLiteral("VIEW"));
    const QCommandLineOption responseSamples(
        QStringLiteral("response-samples"),
        QStringLiteral("With --responses: the number of samples N (default: the GUI's, 128)."), QStringLiteral("N"));
    const QCommandLineOption responseGrid(
        QStringLiteral("response-grid"),
        QStringLiteral("With --responses map: grid points per axis (default: the GUI's, 64)."), QStringLiteral("N"));
    const QCommandLineOption moduleAssay(
        QStringLiteral("module-assay"),
        QStringLiteral("With --compute-modules: then open the Module assays tab and compute VIEW: grid (the "
                       "first module's hybrid grid) or robustness (the classifier assay); or consistency (the "
                       "modules panel's consistency-over-K curve)."),
        QStringLiteral("VIEW"));
    const QCommandLineOption responseDims(
        QStringLiteral("response-dims"),
        QStringLiteral("With --responses map: the slice's latent dimensions X,Y (default: 0,1)."),
        QStringLiteral("X,Y"));
    const QCommandLineOption responseTraversals(
        QStringLiteral("response-traversals"),
        QStringLiteral("With --responses conditioned: traversals per factor (default: the GUI's, 20)."),
        QStringLiteral("T"));
    parser.addOptions({model, device, threads, screenshot, computeModules, responses, responseSamples, responseGrid,
                       responseDims, responseTraversals});
    parser.addOption(moduleAssay);
    const QCommandLineOption cgn(
        QStringLiteral("cgn"),
        QStringLiteral("With --screenshot and a CGN (kind \"cgn\"): show the CGN mixer's VIEW: mixer (the "
                       "mechanisms and the composite, the default) or grid (the counterfactual grid)."),
        QStringLiteral("VIEW"));
    parser.addOption(cgn);
    const QCommandLineOption vq(
        QStringLiteral("vq"),
        QStringLiteral("With --screenshot and a VQ-VAE (kind \"vqvae\"): the Codes (CT-VAE) tab after drawing a true "
                       "one-step pair (seed 1) and applying its action once, with the codes, adjacency and retrieval "
                       "bars computed."));
    const QCommandLineOption vqPage(
        QStringLiteral("vq-page"),
        QStringLiteral("With --vq: the page on the right: adjacency, retrieval (the default when the model's dataset "
                       "allows) or evaluate (runs Evaluate first)."),
        QStringLiteral("PAGE"));
    parser.addOptions({vq, vqPage});
    const QCommandLineOption explore(
        QStringLiteral("explore"),
        QStringLiteral("With --screenshot: open the Explore tab (interpolation z1 -> z2 at t = 0.5, sample grid) "
                       "and wait for its views."));
    parser.addOption(explore);
    // (Not --session: QApplication takes -session for the X11 session manager.)
    const QCommandLineOption session(
        QStringLiteral("open-session"),
        QStringLiteral("Session document (.lxsession) to open: its model, layer, seeds, channels and "
                       "interventions (a MODEL argument ending in .lxsession does the same)."),
        QStringLiteral("FILE"));
    const QCommandLineOption restoreAutosave(
        QStringLiteral("restore-autosave"),
        QStringLiteral("If the last run left an autosave (it crashed), restore it without asking."));
    const QCommandLineOption noRestore(QStringLiteral("no-restore"),
                                       QStringLiteral("Do not offer to restore an autosave left by a crash."));
    parser.addOptions({session, restoreAutosave, noRestore});
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Model to open (same as --model), or a session (.lxsession)."),
                                 QStringLiteral("[MODEL]"));
    parser.process(arguments); // exits on --help, --version and unknown options

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        error = QStringLiteral("at most one MODEL argument, got %1").arg(positional.size());
        return false;
    }
    if (parser.isSet(model) && !positional.isEmpty()) {
        error = QStringLiteral("give the model either as --model or as MODEL, not both");
        return false;
    }
    const bool sessionArgument = !positional.isEmpty()
        && QFileInfo(positional.first()).suffix().compare(QLatin1String("lxsession"), Qt::CaseInsensitive) == 0;
    options.model = parser.isSet(model)             ? parser.value(model)
        : !positional.isEmpty() && !sessionArgument ? positional.first()
                                                    : findDefaultModel();
    if (parser.isSet(session) || sessionArgument) {
        options.session = sessionArgument ? positional.first() : parser.value(session);
        if (parser.isSet(model) || (parser.isSet(session) && !positional.isEmpty())) {
            error = QStringLiteral("give either a session or a model, not both: the session names its model");
            return false;
        }
    }
    if (parser.isSet(restoreAutosave) && parser.isSet(noRestore)) {
        error = QStringLiteral("--restore-autosave and --no-restore exclude each other");
        return false;
    }
    options.restoreAutosave = parser.isSet(restoreAutosave) ? GuiOptions::Restore::Yes
        : parser.isSet(noRestore)                           ? GuiOptions::Restore::No
                                                            : GuiOptions::Restore::Ask;

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
    if (parser.isSet(responses)) {
        options.responses = parser.value(responses).trimmed().toLower();
        const QStringList views{QStringLiteral("matrix"), QStringLiteral("conditioned"), QStringLiteral("map"),
                                QStringLiteral("latents")};
        if (!views.contains(options.responses)) {
            error = QStringLiteral("--responses must be matrix, conditioned, map or latents, not '%1'")
                        .arg(parser.value(responses));
            return false;
        }
        if (options.screenshot.isEmpty()) {
            error = QStringLiteral("--responses goes with --screenshot FILE.png");
            return false;
        }
        if (options.computeModules > 0) {
            error = QStringLiteral("--responses and --compute-modules exclude each other");
            return false;
        }
    }
    if (parser.isSet(moduleAssay)) {
        options.moduleAssay = parser.value(moduleAssay).trimmed().toLower();
        if (options.moduleAssay != QLatin1String("grid") && options.moduleAssay != QLatin1String("robustness")
            && options.moduleAssay != QLatin1String("consistency")) {
            error = QStringLiteral("--module-assay must be grid, robustness or consistency, not '%1'")
                        .arg(parser.value(moduleAssay));
            return false;
        }
        if (options.computeModules < 1) {
            error = QStringLiteral("--module-assay goes with --screenshot FILE.png --compute-modules K");
            return false;
        }
    }
    options.explore = parser.isSet(explore);
    if (options.explore && options.screenshot.isEmpty()) {
        error = QStringLiteral("--explore goes with --screenshot FILE.png");
        return false;
    }
    if (parser.isSet(cgn)) {
        options.cgn = parser.value(cgn).trimmed().toLower();
        if (options.cgn != QLatin1String("mixer") && options.cgn != QLatin1String("grid")) {
            error = QStringLiteral("--cgn must be mixer or grid, not '%1'").arg(parser.value(cgn));
            return false;
        }
        if (options.screenshot.isEmpty()) {
            error = QStringLiteral("--cgn goes with --screenshot FILE.png");
            return false;
        }
        if (options.computeModules > 0 || !options.responses.isEmpty()) {
            error = QStringLiteral("--cgn excludes --compute-modules and --responses (a CGN has no layers or encoder)");
            return false;
        }
    }
    options.vq = parser.isSet(vq);
    if (options.vq) {
        if (options.screenshot.isEmpty()) {
            error = QStringLiteral("--vq goes with --screenshot FILE.png");
            return false;
        }
        if (options.computeModules > 0 || !options.responses.isEmpty() || !options.cgn.isEmpty() || options.explore) {
            error = QStringLiteral(
                "--vq excludes --compute-modules, --responses, --cgn and --explore (a VQ-VAE has its own tab)");
            return false;
        }
    }
    if (parser.isSet(vqPage)) {
        options.vqPage = parser.value(vqPage).trimmed().toLower();
        if (options.vqPage != QLatin1String("adjacency") && options.vqPage != QLatin1String("retrieval")
            && options.vqPage != QLatin1String("evaluate")) {
            error = QStringLiteral("--vq-page must be adjacency, retrieval or evaluate, not '%1'")
                        .arg(parser.value(vqPage));
            return false;
        }
        if (!options.vq) {
            error = QStringLiteral("--vq-page goes with --vq");
            return false;
        }
    }
    if (parser.isSet(responseDims)) {
        const QStringList parts = parser.value(responseDims).split(QLatin1Char(','));
        bool okX = false, okY = false;
        if (parts.size() == 2) {
            options.responseDimX = parts[0].trimmed().toInt(&okX);
            options.responseDimY = parts[1].trimmed().toInt(&okY);
        }
        if (!okX || !okY || options.responseDimX < 0 || options.responseDimY < 0
            || options.responseDimX == options.responseDimY) {
            error = QStringLiteral("--response-dims takes two different dimensions X,Y, not '%1'")
                        .arg(parser.value(responseDims));
            return false;
        }
        if (options.responses != QLatin1String("map")) {
            error = QStringLiteral("--response-dims goes with --responses map");
            return false;
        }
    }
    for (const auto& [option, target, low, high] :
         {std::tuple{&responseSamples, &options.responseSamples, 1, 65536},
          std::tuple{&responseGrid, &options.responseGrid, 4, 256},
          std::tuple{&responseTraversals, &options.responseTraversals, 1, 1000}}) {
        if (!parser.isSet(*option))
            continue;
        *target = parser.value(*option).toInt(&ok);
        if (!ok || *target < low || *target > high) {
            error = QStringLiteral("--%1 must be a whole number in %2..%3, not '%4'")
                        .arg(option->names().first())
                        .arg(low)
                        .arg(high)
                        .arg(parser.value(*option));
            return false;
        }
        if (options.responses.isEmpty()) {
            error = QStringLiteral("--%1 goes with --responses").arg(option->names().first());
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
