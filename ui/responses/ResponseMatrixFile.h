#pragma once
// Response matrices computed elsewhere, read for the GUI: the M.npy that `latent-explorer-cli responses`
// writes (float32 [d, d], row i = intervened dim, column j = responding dim) and the C.npy of
// `latent-explorer-cli conditioned` (float32 [F, d], rows in the dataset's factor order), or what
// `latent-explorer-cli merge` writes for a sharded cluster job. `merge` also writes
// <file>.provenance.json beside it (the job's command, model SHA-256, for C the dataset and its options,
// the shards and the items); when that file exists it must describe this kind of matrix of the loaded
// model file (ResultProvenance). A user's file is untrusted input: everything is checked before
// anything is shown.
#include "ui/responses/ResponseTypes.h"

#include <QString>

namespace lx::ui {

class ResponseMatrixFile {
public:
    // Reads the latent response matrix at `path` for the model file `modelPath` whose flattened latent
    // size is `latentSize`. Throws lx::Error with a one-line message naming the problem: an unreadable
    // or non-float file; a provenance of another command or model file; a rank other than 2; a shape
    // other than [d, d]; NaN, Inf or negative entries (RMS values). The result has sourcePath
    // (absolute), sourceShards, samples (the provenance's `items`, 0: unknown) and sourceText set.
    static ResponseMatrixResult readMatrix(const QString& path, const QString& modelPath, int latentSize);

    // Reads the conditioned response matrix at `path` for the model file `modelPath` described by `info`
    // (its dataset must be usable). Refuses as readMatrix does, and also a provenance of another dataset
    // and a shape other than [F, d] (F = info.factorNames.size(), d = info.latentSize). The CDS is
    // lx::causalDisentanglementScore of the matrix, as for a computed one.
    static ConditionedMatrixResult readConditioned(const QString& path, const QString& modelPath,
                                                   const ResponseModelInfo& info);
};

} // namespace lx::ui
