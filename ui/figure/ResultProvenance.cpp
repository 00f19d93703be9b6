#include "ui/figure/ResultProvenance.h"

#include "lx/Error.h"
#include "lx/Sha256.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QVariant>

#include <cmath>
#include <limits>

namespace lx::ui {
namespace {

// A count recorded in the provenance: a whole number >= 0 that fits an int, else 0 (not recorded).
int countOf(const QJsonValue& value)
{
    if (!value.isDouble())
        return 0;
    const double v = value.toDouble();
    if (!(v >= 0.0) || v > std::numeric_limits<int>::max() || v != std::floor(v))
        return 0;
    return static_cast<int>(v);
}

// The first hex digits of a SHA-256, enough to tell files apart in a message.
std::string shortHash(const QString& hex)
{
    return lx::printable(hex.left(12).toStdString()) + (hex.size() > 12 ? "…" : "");
}

} // namespace

QString ResultProvenance::pathFor(const QString& resultPath) { return resultPath + QStringLiteral(".provenance.json"); }

ResultProvenance ResultProvenance::of(const QString& resultPath)
{
    ResultProvenance p;
    const QString path = pathFor(resultPath);
    if (!QFileInfo::exists(path))
        return p;
    const std::string name = QFileInfo(path).fileName().toStdString();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw lx::Error("cannot read " + name + ": " + file.errorString().toStdString());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        throw lx::Error(name + ": not valid JSON (" + error.errorString().toStdString() + " at offset "
                        + std::to_string(error.offset) + ")");
    if (!doc.isObject())
        throw lx::Error(name + ": not a JSON object");
    const QJsonObject root = doc.object();
    const QJsonObject job = root.value(QStringLiteral("job")).toObject();
    p.present = true;
    for (auto it = job.begin(); it != job.end(); ++it) {
        // The CLI records the job's entries as strings; a number is read as its text.
        if (it.value().isString())
            p.job.insert(it.key(), it.value().toString());
        else if (it.value().isDouble())
            p.job.insert(it.key(), it.value().toVariant().toString());
    }
    p.command = p.job.value(QStringLiteral("command"));
    p.modelSha256 = p.job.value(QStringLiteral("model_sha256")).trimmed().toLower();
    p.shards = countOf(root.value(QStringLiteral("shards")));
    p.items = countOf(root.value(QStringLiteral("items")));
    return p;
}

void ResultProvenance::require(const QString& name, const QString& expected, const QString& modelPath) const
{
    if (!present)
        return;
    const std::string file = name.toStdString();
    if (command.isEmpty())
        throw lx::Error(file + ": its provenance names no command (expected \"" + expected.toStdString() + "\")");
    if (command != expected)
        throw lx::Error(file + ": its provenance is of command \"" + lx::printable(command.toStdString()) + "\", not \""
                        + expected.toStdString() + "\"");
    if (modelSha256.isEmpty())
        return;
    const QString loaded = QString::fromStdString(lx::Sha256::fileHex(modelPath.toStdString()));
    if (modelSha256 != loaded)
        throw lx::Error(file + ": computed for another model file (SHA-256 " + shortHash(modelSha256)
                        + "; the loaded model's is " + shortHash(loaded) + ")");
}

QString ResultProvenance::openedText(const QString& name) const
{
    QString text = QStringLiteral("opened from %1").arg(name);
    if (!present)
        text += QStringLiteral(" (no provenance)");
    else if (shards > 0)
        text +=
            QStringLiteral(", merged from %1 shard%2").arg(shards).arg(shards == 1 ? QString() : QStringLiteral("s"));
    return text;
}

} // namespace lx::ui
