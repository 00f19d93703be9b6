#include "ui/vq/VqTasks.h"

#include "lx/Error.h"
#include "lx/SplitMix64.h"
#include "ui/compute/ErrorText.h"
#include "ui/figure/ImageConvert.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

lx::VqModel& require(const std::shared_ptr<lx::VqModel>& model)
{
    if (!model)
        throw lx::Error("no VQ-VAE is open");
    return *model;
}

const lx::FactorDataset& requireDataset(const VqModelInfo& info)
{
    if (!info.dataset)
        throw lx::Error("no dataset for this model: " + info.datasetNote.toStdString());
    return *info.dataset;
}

QVector<int> toInts(const lx::Array& codes)
{
    QVector<int> out;
    out.reserve(static_cast<int>(codes.numel()));
    for (float v : codes.data())
        out << static_cast<int>(std::lround(v));
    return out;
}

// The images of a source: x [1, C, H, W], from the dataset or as the decoding of random codes.
lx::Array sourceImage(lx::VqModel& model, const VqModelInfo& info, qint64 source)
{
    if (info.dataset)
        return lx::VqPairs::imagesFor(model, *info.dataset, {source});
    return model.decode(VqTasks::randomCodes(info, static_cast<quint64>(source)));
}

QString stepText(const VqModelInfo& info, const VqOp& op, int repeats)
{
    if (op.kind == VqOp::Kind::SetCode)
        return QObject::tr("%1 set to code %2").arg(info.nodeName(op.node)).arg(op.code);
    return repeats > 1 ? QObject::tr("%1 ×%2").arg(info.actionName(op.action)).arg(repeats)
                       : info.actionName(op.action);
}

} // namespace

void VqTasks::attachDataset(VqModelInfo& info, std::shared_ptr<const lx::FactorDataset> dataset)
{
    info.dataset = std::move(dataset);
    info.pairsUsable = false;
    if (!info.dataset)
        return;
    const lx::FactorDataset& data = *info.dataset;
    const std::vector<int64_t> shape = data.imageShape();
    if (QVector<qint64>(shape.begin(), shape.end()) != info.imageShape) {
        info.datasetNote =
            QObject::tr("%1 has images %2, the model takes %3")
                .arg(QString::fromStdString(data.name()), QString::fromStdString(lx::Array::shapeString(shape)),
                     QString::fromStdString(lx::Array::shapeString({info.imageShape.begin(), info.imageShape.end()})));
        info.dataset.reset();
        return;
    }
    const auto& names = data.factorNames();
    const std::vector<std::string>& cardFactors = info.model ? info.model->card().factors : std::vector<std::string>{};
    if (!info.hasTransition()) {
        info.datasetNote = QObject::tr("the model has no causal transition (its card lists no actions)");
    } else if (info.actions.size() != 2 * qsizetype(names.size())) {
        info.datasetNote = QObject::tr("the model has %1 actions, %2's %3 factors give %4")
                               .arg(info.actions.size())
                               .arg(QString::fromStdString(data.name()))
                               .arg(names.size())
                               .arg(2 * names.size());
    } else if (!cardFactors.empty() && cardFactors != names) {
        info.datasetNote =
            QObject::tr("the card's factors are not %1's (in order)").arg(QString::fromStdString(data.name()));
    } else {
        info.pairsUsable = true;
        info.datasetNote.clear();
    }
}

lx::Array VqTasks::randomCodes(const VqModelInfo& info, quint64 seed)
{
    lx::Array codes({1, info.codebooks, info.rows, info.cols});
    lx::SplitMix64 random(seed);
    for (float& v : codes.data())
        v = static_cast<float>(random.below(static_cast<uint64_t>(std::max(1, info.codebookSize))));
    return codes;
}

FreeTaskBody VqTasks::load(const QString& path, const lx::LoadOptions& options)
{
    return [path, options](const lx::ProgressFn&, const lx::CancelToken&) {
        std::shared_ptr<lx::VqModel> model = lx::VqModel::load(path.toStdString(), options);
        const lx::Card& card = model->card();
        VqModelInfo info;
        info.path = path;
        info.name = QString::fromStdString(card.name);
        info.description = QString::fromStdString(card.description);
        info.device = QString::fromStdString(model->deviceName());
        info.imageShape = QVector<qint64>(model->imageShape().begin(), model->imageShape().end());
        info.codebooks = static_cast<int>(model->gridShape()[0]);
        info.rows = static_cast<int>(model->gridShape()[1]);
        info.cols = static_cast<int>(model->gridShape()[2]);
        info.codebookSize = static_cast<int>(model->codebookSize());
        for (const std::string& name : model->actionNames())
            info.actions << QString::fromStdString(name);
        info.factorCount = model->factorCount();
        info.outputLow = card.outputLow;
        info.outputHigh = card.outputHigh;
        info.model = model;
        // The card's dataset; without one, lx-shapes when its images fit.
        std::string dataset = card.dataset;
        if (dataset.empty() && model->imageShape() == std::vector<int64_t>{1, 64, 64})
            dataset = "lx-shapes";
        if (dataset.empty()) {
            info.datasetNote = QObject::tr("the card names no dataset (key \"dataset\")");
            attachDataset(info, nullptr);
        } else {
            try {
                attachDataset(info, lx::makeFactorDataset(dataset));
            } catch (const lx::Error& e) {
                info.datasetNote = errorText(e);
                attachDataset(info, nullptr);
            }
        }
        return QVariant::fromValue(info);
    };
}

FreeTaskBody VqTasks::render(const VqModelInfo& info, const VqViewState& state)
{
    return [info, state](const lx::ProgressFn&, const lx::CancelToken&) {
        lx::VqModel& model = require(info.model);
        QElapsedTimer timer;
        timer.start();
        VqFrame frame;
        frame.state = state;
        frame.x = sourceImage(model, info, state.source);
        frame.encodedArray = model.encode(frame.x);
        lx::Array codes = frame.encodedArray;
        std::vector<lx::Array> steps{codes.row(0)};
        QStringList captions{QObject::tr("start")};
        lx::Array beforeLast = codes;
        int run = 0; // how many identical steps end the list
        for (int k = 0; k < state.ops.size(); ++k) {
            const VqOp& op = state.ops[k];
            const bool sameAsPrevious = k > 0 && op == state.ops[k - 1];
            if (!sameAsPrevious) {
                beforeLast = codes;
                run = 0;
            }
            ++run;
            if (op.kind == VqOp::Kind::SetCode) {
                const int plane = info.rows * info.cols;
                codes = model.setCode(codes, 0, op.node / plane, (op.node % plane) / info.cols, op.node % info.cols,
                                      op.code);
            } else {
                codes = model.apply(codes, op.action);
                steps.push_back(codes.row(0));
                captions << QObject::tr("%1. %2").arg(steps.size() - 1).arg(info.actionName(op.action));
            }
        }
        if (!state.ops.isEmpty()) {
            frame.lastStep = stepText(info, state.ops.last(), run);
            for (const lx::VqCodeChange& c : lx::VqModel::changedCodes(beforeLast, codes))
                frame.lastChanged << static_cast<int>(c.node);
        }
        frame.codesArray = codes;
        frame.encoded = toInts(frame.encodedArray);
        frame.codes = toInts(codes);
        // The strip: the start and the newest steps.
        frame.trajectorySteps = int(steps.size()) - 1;
        if (int(steps.size()) > kMaxTrajectory) {
            const int drop = int(steps.size()) - kMaxTrajectory;
            steps.erase(steps.begin() + 1, steps.begin() + 1 + drop);
            captions.erase(captions.begin() + 1, captions.begin() + 1 + drop);
        }
        const lx::Array strip = lx::Array::stack(steps); // [S + 1, B, h, w]
        const lx::Array stripImages = model.decode(strip);
        frame.trajectoryArray = strip.reshaped([&] {
            std::vector<int64_t> s{1};
            s.insert(s.end(), strip.shape().begin(), strip.shape().end());
            return s;
        }());
        frame.decoded = model.decode(codes);
        const double low = info.outputLow, high = info.outputHigh;
        frame.original = ImageConvert::fromBatch(frame.x, 0, low, high);
        frame.reconstruction = ImageConvert::fromBatch(stripImages, 0, low, high); // decode(encode(x))
        frame.current = ImageConvert::fromBatch(frame.decoded, 0, low, high);
        frame.trajectory = ImageConvert::fromBatchAll(stripImages, low, high);
        frame.trajectoryCaptions = captions;
        frame.computeMs = elapsedMs(timer);
        return QVariant::fromValue(frame);
    };
}

FreeTaskBody VqTasks::adjacency(const VqModelInfo& info, int action)
{
    const std::shared_ptr<lx::VqModel> model = info.model;
    return [model, action](const lx::ProgressFn&, const lx::CancelToken&) {
        const lx::Array adj = require(model).adjacency(action);
        VqAdjacencyData data;
        data.action = action;
        data.nodes = static_cast<int>(adj.dim(0));
        data.values = QVector<float>(adj.data().begin(), adj.data().end());
        return QVariant::fromValue(data);
    };
}

FreeTaskBody VqTasks::retrieval(const VqModelInfo& info, qint64 source, qint64 target)
{
    return [info, source, target](const lx::ProgressFn&, const lx::CancelToken&) {
        lx::VqModel& model = require(info.model);
        const lx::FactorDataset& data = requireDataset(info);
        if (!info.pairsUsable)
            throw lx::Error("action retrieval: " + info.datasetNote.toStdString());
        const lx::Array x = lx::VqPairs::imagesFor(model, data, {source});
        const lx::Array y = lx::VqPairs::imagesFor(model, data, {target});
        const lx::Array p = model.retrieval(x, y);
        VqRetrievalData r;
        r.source = source;
        r.target = target;
        r.p = QVector<double>(p.data().begin(), p.data().end());
        r.predicted = lx::VqModel::predictedActions(p).front();
        for (int a = 0; a < model.actionCount(); ++a) {
            if (lx::VqPairs::step(data, source, a) == target) {
                r.trueAction = a;
                break;
            }
        }
        r.y = ImageConvert::fromBatch(y, 0, info.outputLow, info.outputHigh);
        return QVariant::fromValue(r);
    };
}

FreeTaskBody VqTasks::evaluate(const VqModelInfo& info, qint64 pairs, quint64 seed)
{
    return [info, pairs, seed](const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        lx::VqModel& model = require(info.model);
        const lx::FactorDataset& data = requireDataset(info);
        QElapsedTimer timer;
        timer.start();
        if (cancel.cancelled())
            throw lx::Cancelled();
        VqEvaluationResult result;
        result.pairs = pairs;
        result.seed = seed;
        // VqPairs::evaluate reports after each batch: the place to stop when cancelled.
        result.evaluation = lx::VqPairs::evaluate(model, data, pairs, seed, [&](int64_t done, int64_t total) {
            if (progress)
                progress(done, total);
            if (cancel.cancelled())
                throw lx::Cancelled();
        });
        result.seconds = elapsedMs(timer) / 1000.0;
        return QVariant::fromValue(result);
    };
}

} // namespace lx::ui
