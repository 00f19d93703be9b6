#include "ui/cgn/CgnTasks.h"

#include "lx/CgnDataset.h"
#include "lx/Error.h"
#include "ui/figure/ImageConvert.h"

#include <QElapsedTimer>

#include <algorithm>

namespace lx::ui {
namespace {

const lx::CgnModel& require(const std::shared_ptr<lx::CgnModel>& model)
{
    if (!model)
        throw lx::Error("no CGN is open");
    return *model;
}

} // namespace

FreeTaskBody CgnTasks::load(const QString& path, const lx::LoadOptions& options)
{
    return [path, options](const lx::ProgressFn&, const lx::CancelToken&) {
        std::shared_ptr<lx::CgnModel> model = lx::CgnModel::load(path.toStdString(), options);
        const lx::Card& card = model->card();
        CgnModelInfo info;
        info.path = path;
        info.name = QString::fromStdString(card.name);
        info.description = QString::fromStdString(card.description);
        info.device = QString::fromStdString(model->deviceName());
        for (const std::string& name : card.classes)
            info.classes << QString::fromStdString(name);
        info.latentSize = model->latentSize();
        info.imageShape = QVector<qint64>(model->imageShape().begin(), model->imageShape().end());
        info.outputLow = card.outputLow;
        info.outputHigh = card.outputHigh;
        info.maskLow = card.maskLow;
        info.maskHigh = card.maskHigh;
        info.shuffled = card.shuffle == lx::CgnShuffle::Tile2x2;
        info.sharedNoise = card.noise == lx::CgnNoise::Shared;
        info.model = std::move(model);
        return QVariant::fromValue(info);
    };
}

CgnFrame CgnTasks::frame(const lx::CgnImages& images, int64_t index, double low, double high)
{
    CgnFrame frame;
    const lx::Array premask = images.premask.row(index); // [1, H, W]
    const int height = static_cast<int>(premask.dim(1));
    const int width = static_cast<int>(premask.dim(2));
    frame.premask = ImageConvert::normalizedGray(premask.ptr(), height, width);
    const auto [lo, hi] = std::minmax_element(premask.ptr(), premask.ptr() + premask.numel());
    frame.premaskLow = *lo;
    frame.premaskHigh = *hi;
    const lx::Array mask = images.mask.row(index);
    double sum = 0.0;
    for (int64_t i = 0; i < mask.numel(); ++i)
        sum += mask.ptr()[i];
    frame.maskMean = mask.numel() > 0 ? sum / static_cast<double>(mask.numel()) : 0.0;
    frame.mask = ImageConvert::toImage(mask, 0.0, 1.0);
    frame.foreground = ImageConvert::fromBatch(images.foreground, index, low, high);
    frame.background = ImageConvert::fromBatch(images.background, index, low, high);
    frame.composite = ImageConvert::fromBatch(images.composite, index, low, high);
    return frame;
}

FreeTaskBody CgnTasks::render(const CgnModelInfo& info, const lx::CgnRequest& request)
{
    const std::shared_ptr<lx::CgnModel> model = info.model;
    const double low = info.outputLow;
    const double high = info.outputHigh;
    return [model, request, low, high](const lx::ProgressFn&, const lx::CancelToken&) {
        require(model);
        QElapsedTimer timer;
        timer.start();
        lx::CgnImages images = model->render({request});
        CgnFrame result = frame(images, 0, low, high);
        result.request = request;
        result.raw = std::move(images);
        result.computeMs = elapsedMs(timer);
        return QVariant::fromValue(result);
    };
}

FreeTaskBody CgnTasks::grid(const CgnModelInfo& info, const CgnGridRequest& request)
{
    const std::shared_ptr<lx::CgnModel> model = info.model;
    const double low = info.outputLow;
    const double high = info.outputHigh;
    const int classCount = static_cast<int>(info.classes.size());
    return [model, request, low, high, classCount](const lx::ProgressFn&, const lx::CancelToken&) {
        require(model);
        QElapsedTimer timer;
        timer.start();
        CgnGridData data;
        data.request = request;
        data.cells = request.cells(classCount);
        const lx::CgnImages images = model->render(data.cells);
        data.mask = ImageConvert::toImage(images.mask.row(0), 0.0, 1.0); // the same in every cell
        data.composites.reserve(static_cast<int>(data.cells.size()));
        for (int64_t i = 0; i < static_cast<int64_t>(data.cells.size()); ++i)
            data.composites << ImageConvert::fromBatch(images.composite, i, low, high);
        data.computeMs = elapsedMs(timer);
        return QVariant::fromValue(data);
    };
}

FreeTaskBody CgnTasks::exportDataset(const CgnModelInfo& info, const CgnExportRequest& request)
{
    const std::shared_ptr<lx::CgnModel> model = info.model;
    return [model, request](const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        require(model);
        lx::CgnDatasetOptions options;
        options.folder = request.folder.toStdString();
        options.count = request.count;
        options.counterfactuals = request.cfsPerMask;
        options.seed = request.seed;
        options.toolVersion = LX_VERSION;
        const lx::CgnDatasetResult written = lx::CgnDataset::write(*model, options, progress, &cancel);
        CgnExportResult result;
        result.request = request;
        result.written = written.written;
        result.skipped = written.skipped;
        result.seconds = written.seconds;
        result.imagesPerSecond = written.imagesPerSecond;
        return QVariant::fromValue(result);
    };
}

} // namespace lx::ui
