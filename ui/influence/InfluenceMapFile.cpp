#include "ui/influence/InfluenceMapFile.h"

#include "ui/figure/ResultProvenance.h"

#include "lx/Array.h"
#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/Npy.h"

#include <QFileInfo>

#include <cmath>
#include <string>
#include <vector>

namespace lx::ui {
namespace {

// The dtype of an .npy file's bytes ("<f4", "<i8", ...), after Npy::decode accepted them: its header
// comes first and holds 'descr'.
std::string npyDescr(const std::string& bytes)
{
    const size_t key = bytes.find("'descr'");
    if (key == std::string::npos)
        return {};
    const size_t open = bytes.find('\'', bytes.find(':', key));
    const size_t close = open == std::string::npos ? open : bytes.find('\'', open + 1);
    return close == std::string::npos ? std::string() : bytes.substr(open + 1, close - open - 1);
}

std::string shapeString(const QVector<qint64>& shape)
{
    return shapeText(shape).toStdString(); // "[4, 4]"
}

} // namespace

QVector<qint64> InfluenceMapFile::mapShape(const QVector<qint64>& outputShape)
{
    // As InfluenceEngine: an image output [colours, H, W] is averaged over its colours.
    return outputShape.size() == 3 ? outputShape.mid(1) : outputShape;
}

InfluenceResult InfluenceMapFile::read(const QString& path, const ModelSummary& summary, int layer)
{
    const std::string name = QFileInfo(path).fileName().toStdString();
    const std::string bytes = lx::AtomicFile::read(path.toStdString());
    const lx::Array eim = lx::Npy::decode(bytes, path.toStdString());
    if (npyDescr(bytes) == "<i8")
        throw lx::Error(name + ": holds int64 values; influence maps are float32 (or float64)");

    // The provenance, when there is one, says whose maps these are and of which layer.
    const ResultProvenance provenance = ResultProvenance::of(path);
    provenance.require(QString::fromStdString(name), QStringLiteral("influence"), summary.path);
    const QString provenanceLayer = provenance.job.value(QStringLiteral("layer"));
    if (!provenanceLayer.isEmpty()) {
        layer = summary.layerNames.indexOf(provenanceLayer);
        if (layer < 0)
            throw lx::Error(name + ": maps of layer \"" + lx::printable(provenanceLayer.toStdString())
                            + "\", which the loaded model does not have");
    }
    if (layer < 0 || layer >= summary.layerCount())
        throw lx::Error(name + ": select a layer first (no provenance names one)");
    const std::string layerName = summary.layerNames.at(layer).toStdString();

    const auto& shape = eim.shape();
    if (eim.rank() != 2 && eim.rank() != 3)
        throw lx::Error(name + ": influence maps are [channels, H, W] or [channels, F], not "
                        + lx::Array::shapeString(shape));
    const QVector<qint64> layerShape = summary.layerShapes.value(layer);
    if (layerShape.isEmpty())
        throw lx::Error("layer " + layerName + " has no known channel count");
    if (shape[0] != layerShape[0])
        throw lx::Error(name + ": " + std::to_string(shape[0]) + " maps, but layer " + layerName + " has "
                        + std::to_string(layerShape[0]) + " channels");
    const QVector<qint64> expected = mapShape(summary.outputShape);
    const QVector<qint64> actual(shape.begin() + 1, shape.end());
    if (actual != expected)
        throw lx::Error(name + ": maps of size " + shapeString(actual) + ", but this model's are "
                        + shapeString(expected) + " (output " + shapeString(summary.outputShape) + ")");

    InfluenceResult result;
    result.channels = static_cast<int>(shape[0]);
    // As InfluenceTasks::computeMaps does for computed maps.
    if (eim.rank() == 3) {
        result.height = static_cast<int>(shape[1]);
        result.width = static_cast<int>(shape[2]);
    } else {
        result.height = 1;
        result.width = static_cast<int>(eim.numel() / shape[0]);
    }
    const qint64 plane = result.plane();
    const std::vector<float>& data = eim.data();
    for (size_t i = 0; i < data.size(); ++i) {
        const float v = data[i];
        if (std::isfinite(v) && v >= 0.0f)
            continue;
        const std::string where =
            " (channel " + std::to_string(qint64(i) / plane) + ", pixel " + std::to_string(qint64(i) % plane) + ")";
        if (!std::isfinite(v))
            throw lx::Error(name + ": NaN or Inf" + where);
        throw lx::Error(name + ": negative value " + QString::number(v, 'g', 4).toStdString() + where
                        + "; influence maps are means of absolute differences");
    }
    result.maps = QVector<float>(data.begin(), data.end());
    result.totals.resize(result.channels);
    for (int c = 0; c < result.channels; ++c) {
        const float* map = result.map(c);
        double total = 0.0;
        for (qint64 i = 0; i < plane; ++i)
            total += map[i];
        result.totals[c] = total;
    }
    result.modelPath = summary.path;
    result.modelGeneration = summary.generation;
    result.layer = layer;
    result.pairs = provenance.items;
    result.sourcePath = QFileInfo(path).absoluteFilePath();
    result.sourceShards = provenance.shards;
    return result;
}

} // namespace lx::ui
