// latent-explorer: the desktop workbench. Parses the command line, sets up logging, opens the main
// window and (with --screenshot) saves a picture of it once the first hybrid is shown.
#include "GuiOptions.h"
#include "ScreenshotRunner.h"

#include "lx/Runtime.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/SessionController.h"

#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QMessageBox>
#include <QStandardPaths>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>

namespace {

constexpr int kScreenshotTimeoutMs = 120 * 1000;

// Console (stderr) + a rotating log file under the app's local data folder. In screenshot mode the
// console stays quiet so a failure is one line on stderr.
void setUpLogging(bool quietConsole)
{
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(quietConsole ? spdlog::level::off : spdlog::level::info);
    sinks.push_back(console);

    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QString logPath;
    if (!dir.isEmpty() && QDir().mkpath(dir)) {
        logPath = QDir(dir).filePath(QStringLiteral("latent-explorer.log"));
        try {
            auto file =
                std::make_shared<spdlog::sinks::rotating_file_sink_mt>(logPath.toStdString(), 2 * 1024 * 1024, 3);
            file->set_level(spdlog::level::debug);
            sinks.push_back(file);
        } catch (const spdlog::spdlog_ex&) {
            logPath.clear(); // no log file (read-only home): the console still works
        }
    }
    auto logger = std::make_shared<spdlog::logger>("lx", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::debug);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    if (!logPath.isEmpty())
        spdlog::debug("logging to {}", logPath.toStdString());
}

} // namespace

int main(int argc, char* argv[])
{
    lx::Runtime::preferPassiveThreadWaiting(argv);
    // --help and --version print and exit without a display (the GUI application needs one).
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" || arg == "-v") {
            QCoreApplication core(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("latent-explorer"));
            QCoreApplication::setApplicationVersion(QStringLiteral(LX_VERSION));
            GuiOptions options;
            QString error;
            GuiOptions::parse(QCoreApplication::arguments(), options, error); // prints and exits
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LatentExplorer"));
    QApplication::setApplicationName(QStringLiteral("latent-explorer"));
    QApplication::setApplicationDisplayName(QStringLiteral("Latent Explorer"));
    QApplication::setApplicationVersion(QStringLiteral(LX_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/lx/icons/latent-explorer.png")));

    GuiOptions options;
    QString error;
    if (!GuiOptions::parse(QApplication::arguments(), options, error)) {
        std::fprintf(stderr, "latent-explorer: error: %s\n", qPrintable(error));
        return 2;
    }
    const bool screenshotMode = !options.screenshot.isEmpty();
    setUpLogging(screenshotMode);
    spdlog::info("Latent Explorer {} starting (device {}, threads {})", LX_VERSION, options.device.toStdString(),
                 options.threads);

    lx::ui::MainWindow window(options.device, options.threads);
    window.resize(1400, 900);
    window.show();

    std::unique_ptr<ScreenshotRunner> runner;
    if (screenshotMode) {
        window.setErrorDialogsEnabled(false);
        runner = std::make_unique<ScreenshotRunner>(&window, options.screenshot, kScreenshotTimeoutMs,
                                                    options.computeModules, nullptr);
        if (!options.responses.isEmpty())
            runner->setResponses(options.responses, options.responseSamples, options.responseGrid, options.responseDimX,
                                 options.responseDimY, options.responseTraversals);
        if (!options.moduleAssay.isEmpty())
            runner->setModuleAssay(options.moduleAssay);
        if (!options.cgn.isEmpty())
            runner->setCgn(options.cgn);
        runner->setVq(options.vq, options.vqPage);
        runner->setExplore(options.explore);
        QObject::connect(runner.get(), &ScreenshotRunner::finished, &app,
                         [](int code) { QCoreApplication::exit(code); });
        if (options.model.isEmpty()) {
            runner->fail(
                QStringLiteral("no model to show: pass --model M (the bundled "
                               "fashion_dcgan.pt was not found)"));
            return 1;
        }
    }
    // What to show first: the work an autosave holds (left by a crash; offered), else the session given,
    // else the model.
    lx::ui::SessionController* sessions = window.sessionController();
    if (screenshotMode)
        sessions->setAutosaveEnabled(false);
    bool opened = false;
    const bool ask = options.restoreAutosave == GuiOptions::Restore::Ask;
    if (lx::ui::SessionController::hasAutosave() && options.restoreAutosave != GuiOptions::Restore::No
        && !(screenshotMode && ask)) {
        const bool restore = !ask
            || QMessageBox::question(&window, QObject::tr("Restore your work?"),
                                     QObject::tr("Latent Explorer did not exit cleanly last time. Restore the "
                                                 "autosaved session (model, layer, seeds, channels and "
                                                 "interventions)?"),
                                     QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes)
                == QMessageBox::Yes;
        if (restore)
            opened = sessions->restoreAutosave();
        else
            sessions->removeAutosave();
    }
    if (!opened && !options.session.isEmpty()) {
        opened = sessions->open(options.session);
        if (!opened && screenshotMode) {
            runner->fail(QStringLiteral("cannot open session %1").arg(options.session));
            return 1;
        }
    }
    if (!opened && !options.model.isEmpty())
        window.openModel(options.model);

    const int code = QApplication::exec();
    spdlog::info("Latent Explorer exiting with {}", code);
    return code;
}
