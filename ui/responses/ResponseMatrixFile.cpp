#include "ui/responses/ResponseMatrixFile.h"

#include "ui/figure/ResultProvenance.h"

#include "lx/Array.h"
#include "lx/ConditionedResponse.h"
#include "lx/Error.h"
#include "lx/Npy.h"

#include <QFileInfo>

#include <cmath>
#include <string>
#include <vector>

namespace lx::ui {
namespace {

[[noreturn]] void fail(const QString& text) { throw lx::Error(text.toStdString()); }

// Text read from a file, made safe to quote in a one-line message.
QString quoted(const QString& text)
{
    return QStringLiteral("\"%1\"").arg(QString::fromStdString(lx::printable(text.toStdString())));
}

QString shapeOf(const lx::Array& array) { return QString::fromStdString(lx::Array::shapeString(array.shape())); }

// The .npy at `path` and its provenance, which must name `command` and the model file at `modelPath`.
lx::Array readChecked(const QString& path, const QString& modelPath, const QString& command,
                      ResultProvenance* provenance)
{
    lx::Array matrix = lx::Npy::read(path.toStdString());
    *provenance = ResultProvenance::of(path);
    provenance->require(QFileInfo(path).fileName(), command, modelPath);
    return matrix;
}

// Both matrices hold RMS values: finite and >= 0.
void checkValues(const QString& name, const lx::Array& matrix)
{
    const int64_t cols = matrix.dim(1);
    const std::vector<float>& data = matrix.data();
    for (size_t i = 0; i < data.size(); ++i) {
        const float v = data[i];
        if (std::isfinite(v) && v >= 0.0f)
            continue;
        const QString where = QStringLiteral(" at row %1, column %2").arg(qint64(i) / cols).arg(qint64(i) % cols);
        if (!std::isfinite(v))
            fail(QStringLiteral("%1: NaN or Inf%2").arg(name, where));
        fail(QStringLiteral("%1: negative value %2%3; response matrices hold RMS values (>= 0)")
                 .arg(name, QString::number(v, 'g', 4), where));
    }
}

} // namespace

ResponseMatrixResult ResponseMatrixFile::readMatrix(const QString& path, const QString& modelPath, int latentSize)
{
    const QString name = QFileInfo(path).fileName();
    ResultProvenance provenance;
    const lx::Array m = readChecked(path, modelPath, QStringLiteral("responses"), &provenance);
    if (m.rank() != 2)
        fail(QStringLiteral("%1: a response matrix is [d, d], not %2").arg(name, shapeOf(m)));
    if (m.dim(0) != latentSize || m.dim(1) != latentSize)
        fail(QStringLiteral("%1: shape %2, but the model's latent size is %3: expected [%3, %3]")
                 .arg(name, shapeOf(m))
                 .arg(latentSize));
    checkValues(name, m);

    ResponseMatrixResult result;
    result.matrix = floatsOf(m);
    result.dims = latentSize;
    result.samples = provenance.items;
    result.sourcePath = QFileInfo(path).absoluteFilePath();
    result.sourceShards = provenance.shards;
    result.sourceText = provenance.openedText(name);
    if (provenance.items > 0)
        result.sourceText += QStringLiteral(", %1 latents").arg(provenance.items);
    return result;
}

ConditionedMatrixResult ResponseMatrixFile::readConditioned(const QString& path, const QString& modelPath,
                                                            const ResponseModelInfo& info)
{
    const QString name = QFileInfo(path).fileName();
    if (!info.datasetUsable)
        fail(QStringLiteral("the conditioned matrix needs a dataset with known factors: %1").arg(info.datasetNote));
    ResultProvenance provenance;
    const lx::Array c = readChecked(path, modelPath, QStringLiteral("conditioned"), &provenance);
    const QString dataset = provenance.job.value(QStringLiteral("dataset"));
    if (!dataset.isEmpty() && dataset != info.dataset)
        fail(QStringLiteral("%1: computed on dataset %2, but this model's is %3")
                 .arg(name, quoted(dataset), info.dataset));
    const int factors = static_cast<int>(info.factorNames.size());
    if (c.rank() != 2)
        fail(QStringLiteral("%1: a conditioned matrix is [factors, d], not %2").arg(name, shapeOf(c)));
    if (c.dim(0) != factors || c.dim(1) != info.latentSize)
        fail(QStringLiteral("%1: shape %2, but %3 has %4 factors and the model's latent size is %5: expected [%4, %5]")
                 .arg(name, shapeOf(c), info.dataset)
                 .arg(factors)
                 .arg(info.latentSize));
    checkValues(name, c);

    ConditionedMatrixResult result;
    result.matrix = floatsOf(c);
    result.factors = factors;
    result.dims = info.latentSize;
    result.factorNames = info.factorNames;
    result.dataset = info.dataset;
    result.cds = lx::causalDisentanglementScore(c);
    bool ok = false;
    const int traversals = provenance.job.value(QStringLiteral("traversals")).toInt(&ok);
    result.traversals = ok ? traversals : 0;
    const int batch = provenance.job.value(QStringLiteral("batch")).toInt(&ok);
    result.batch = ok ? batch : 0;
    const QString seedText = provenance.job.value(QStringLiteral("seed"));
    const quint64 seed = seedText.toULongLong(&ok);
    result.seed = ok ? seed : 0;
    result.sourcePath = QFileInfo(path).absoluteFilePath();
    result.sourceShards = provenance.shards;
    result.sourceText = provenance.openedText(name);
    if (result.traversals > 0)
        result.sourceText += QStringLiteral(", %1 traversals per factor").arg(result.traversals);
    else if (provenance.items > 0)
        result.sourceText += QStringLiteral(", %1 traversals").arg(provenance.items);
    if (result.batch > 0)
        result.sourceText += QStringLiteral(", batch %1").arg(result.batch);
    if (!seedText.isEmpty() && ok)
        result.sourceText += QStringLiteral(", seed %1").arg(result.seed);
    return result;
}

} // namespace lx::ui
