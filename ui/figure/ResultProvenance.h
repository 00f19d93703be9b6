#pragma once
// Where a result file computed outside the GUI came from: `latent-explorer-cli merge` writes
// <file>.provenance.json beside the merged result ({"job": {"command", "model_sha256", the job's
// parameters...}, "shards", "items", ...}). The GUI's readers of such files (InfluenceMapFile,
// ResponseMatrixFile) read it here and refuse a result of another command or model file.
#include <QMap>
#include <QString>

namespace lx::ui {

struct ResultProvenance {
    bool present = false; // <file>.provenance.json exists
    QString command; // job.command, e.g. "influence"
    QString modelSha256; // job.model_sha256, lowercase hex
    QMap<QString, QString> job; // every job entry as text (layer, dataset, traversals, ...)
    int shards = 0; // 0 where it records none (or not a whole number)
    int items = 0; // pairs, latents or traversals of the job

    // <resultPath>.provenance.json
    static QString pathFor(const QString& resultPath);
    // The provenance beside `resultPath`; present is false when there is none. Throws lx::Error (one line,
    // naming the file) when it cannot be read or is not a JSON object.
    static ResultProvenance of(const QString& resultPath);

    // Throws lx::Error ("<name>: ...") unless the provenance, when present, names `command` and (when it
    // records one) the model file at `modelPath` (compared by SHA-256).
    void require(const QString& name, const QString& command, const QString& modelPath) const;
    // "opened from NAME", then " (no provenance)" or ", merged from 4 shards" when it says so.
    QString openedText(const QString& name) const;
};

} // namespace lx::ui
