#pragma once
// Influence maps computed elsewhere, read for the GUI: the EIM.npy that `latent-explorer-cli influence`
// writes, or `latent-explorer-cli merge` for a sharded cluster job (float32 [channels, H, W], or
// [channels, F] for flat outputs). `merge` also writes <file>.provenance.json beside it (the job's
// command, model SHA-256 and layer, the shards and the pairs, as `items`); when that file exists it
// decides the layer and must describe influence maps of the loaded model file. The maps are checked
// against the model before anything is shown: a user's file is untrusted input. The provenance is
// read by ResultProvenance.
#include "ui/compute/WorkerTypes.h"

#include <QString>
#include <QVector>

namespace lx::ui {

class InfluenceMapFile {
public:
    // Reads the maps at `path` for `summary`'s model and checks them: for the layer their provenance
    // names when there is one, else for `layer` (the current one). Throws lx::Error with a one-line
    // message naming the problem: an unreadable, truncated or non-float file; a provenance of another
    // command or model file, or naming a layer the model lacks; a rank other than 2 or 3; a channel
    // count other than the layer's; a map size other than the model's output (mapShape); NaN, Inf or
    // negative values (maps are means of absolute differences). The result is filled as a computed one
    // is (InfluenceTasks::computeMaps), with sourcePath (absolute), sourceShards and pairs (`items`, 0: unknown).
    static InfluenceResult read(const QString& path, const ModelSummary& summary, int layer);
    // The shape after the channel axis of this model's influence maps: [H, W] for an image output
    // [colours, H, W] (averaged over the colours), otherwise the output's own shape (flat: [F]).
    static QVector<qint64> mapShape(const QVector<qint64>& outputShape);
};

} // namespace lx::ui
