// latent-explorer-cli render: remakes an exported figure from its session document, headless, with the
// GUI's own drawing code (lx::ui::HybridGridFigure on Qt's offscreen platform), so the pixels agree.
#include "CliCommands.h"

#include "lx/Error.h"
#include "lx/FigureData.h"
#include "lx/HybridGrid.h"
#include "lx/Session.h"
#include "ui/figure/FigureWriter.h"
#include "ui/figure/HybridGridFigure.h"

#include <QGuiApplication>
#include <QString>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace {

// Qt Gui needs an application object for fonts; the offscreen platform needs no display.
std::unique_ptr<QGuiApplication> startQt()
{
    if (QGuiApplication::instance())
        return nullptr;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "latent-explorer-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QGuiApplication>(argc, argv);
}

lx::LoadOptions sessionLoadOptions(const CliArgs& args, const lx::Session& session)
{
    if (args.has("device"))
        return CliCommands::loadOptions(args);
    lx::LoadOptions options = CliCommands::loadOptions(args);
    options.device = lx::parseDeviceChoice(session.device).value_or(lx::DeviceChoice::Auto);
    return options;
}

int runRender(const CliArgs& args)
{
    args.allowOnly({"out", "figure", "dpi", "data"});
    const std::string sessionPath = args.positionalAt(0, "SESSION");
    const std::string out = args.require("out");
    lx::ui::FigureWriter::formatOf(QString::fromStdString(out)); // refuse a bad extension before any work
    const auto start = std::chrono::steady_clock::now();

    const lx::Session session = lx::Session::load(sessionPath);
    lx::FigureSpec spec = session.figure(args.value("figure", ""));
    if (args.has("dpi"))
        spec.style.dpi = args.real("dpi", spec.style.dpi);
    spec = lx::FigureSpec::fromJson(spec.toJson()); // validates a changed DPI
    const lx::SessionModel found = session.locateModel();
    if (!found.warning.empty())
        spdlog::warn("{}", found.warning);
    auto model = lx::Model::load(found.path, sessionLoadOptions(args, session));
    const int layer = model->requireLayer(spec.layer);
    const lx::HybridGridResult grid =
        lx::HybridGrid::computeSeeds(*model, layer, spec.channels, spec.rowSeeds, spec.colSeeds, {}, nullptr,
                                     lx::ClassInputs::of(spec.rowClasses, spec.colClasses, spec.classFromDonor));

    const auto qt = startQt();
    const std::string modelFile = std::filesystem::path(found.path).filename().string();
    const std::string provenance = spec.provenanceJson(modelFile, found.sha256, LX_VERSION);
    const lx::ui::HybridGridFigure figure(grid, model->card().outputLow, model->card().outputHigh, spec);
    lx::ui::FigureWriter::write(QString::fromStdString(out), figure, QString::fromStdString(provenance));
    std::vector<std::string> data;
    if (args.has("data"))
        data = lx::FigureData::writeHybridGrid(args.require("data"), grid, spec, provenance);

    nlohmann::ordered_json summary = {
        {"figure", spec.name},
        {"kind", spec.kind},
        {"out", out},
        {"size_pt", {figure.sizePt().width(), figure.sizePt().height()}},
        {"model_sha256", found.sha256},
        {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()},
    };
    if (!found.warning.empty())
        summary["warning"] = found.warning;
    if (!data.empty())
        summary["data"] = data;
    std::printf("%s\n", summary.dump().c_str());
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::renderCommands()
{
    return {
        {"render",
         "remake an exported figure from its session (PDF, SVG, PNG)",
         "Usage: latent-explorer-cli render SESSION --out FIG.pdf [--figure NAME|INDEX] [--dpi D] [--data DIR]\n\n"
         "Recomputes a figure recorded in a session document (the GUI records one per export, and writes\n"
         "FIG.session.json beside every exported FIG) and draws it with the GUI's drawing code, so the\n"
         "pixels equal the GUI's export. The format follows --out's extension: .pdf and .svg are vector\n"
         "(labels stay text, images are embedded pixel for pixel), .png is raster at the figure's DPI\n"
         "(--dpi overrides it). --figure picks one by name or 0-based index (default: the last one).\n"
         "--data DIR also writes the arrays behind it (originals/donors/hybrids .npy, cells.csv,\n"
         "provenance.json). The model is the session's (its path, then its absolute path; a different\n"
         "SHA-256 is a warning). The device is the session's unless --device is given. Prints JSON.\n",
         {},
         runRender},
    };
}
