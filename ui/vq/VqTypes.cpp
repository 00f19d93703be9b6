#include "ui/vq/VqTypes.h"

#include <QJsonArray>
#include <QJsonValue>

#include <algorithm>

namespace lx::ui {

bool operator==(const VqOp& a, const VqOp& b)
{
    if (a.kind != b.kind)
        return false;
    return a.kind == VqOp::Kind::Apply ? a.action == b.action : a.node == b.node && a.code == b.code;
}

bool operator==(const VqViewState& a, const VqViewState& b)
{
    return a.source == b.source && a.target == b.target && a.ops == b.ops;
}

QJsonObject VqViewState::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("source"), double(source));
    json.insert(QStringLiteral("target"), double(target));
    QJsonArray steps;
    for (const VqOp& op : ops) {
        QJsonObject o;
        if (op.kind == VqOp::Kind::Apply) {
            o.insert(QStringLiteral("apply"), op.action);
        } else {
            o.insert(QStringLiteral("node"), op.node);
            o.insert(QStringLiteral("code"), op.code);
        }
        steps.append(o);
    }
    json.insert(QStringLiteral("steps"), steps);
    return json;
}

VqViewState VqViewState::fromJson(const QJsonObject& json, qint64 sourceCount, int nodes, int codes, int actions,
                                  const VqViewState& base)
{
    VqViewState s = base;
    const auto index = [sourceCount](const QJsonValue& v, qint64 fallback) {
        if (!v.isDouble() || v.toDouble() < 0.0)
            return fallback;
        const qint64 i = static_cast<qint64>(v.toDouble());
        return sourceCount > 0 ? std::min(i, sourceCount - 1) : i;
    };
    s.source = index(json.value(QStringLiteral("source")), s.source);
    s.target = index(json.value(QStringLiteral("target")), s.target);
    if (json.contains(QStringLiteral("steps"))) {
        s.ops.clear();
        for (const QJsonValue& v : json.value(QStringLiteral("steps")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.contains(QStringLiteral("apply"))) {
                const int a = o.value(QStringLiteral("apply")).toInt(-1);
                if (a >= 0 && a < actions)
                    s.ops << VqOp::apply(a);
            } else {
                const int node = o.value(QStringLiteral("node")).toInt(-1);
                const int code = o.value(QStringLiteral("code")).toInt(-1);
                if (node >= 0 && node < nodes && code >= 0 && code < codes)
                    s.ops << VqOp::setCode(node, code);
            }
        }
    }
    return s;
}

ModelSummary VqModelInfo::summary() const
{
    ModelSummary s;
    s.path = path;
    s.name = name;
    s.description = description;
    s.kind = QStringLiteral("vqvae");
    s.device = device;
    s.latentShape = {codebooks, rows, cols};
    s.outputShape = imageShape;
    s.outputLow = outputLow;
    s.outputHigh = outputHigh;
    s.discoveryNote = QObject::tr("VQ-VAE: %1 code map%2 of %3×%4 codes from %5 per codebook; %6. See the Codes tab.")
                          .arg(codebooks)
                          .arg(codebooks == 1 ? QString() : QStringLiteral("s"))
                          .arg(rows)
                          .arg(cols)
                          .arg(codebookSize)
                          .arg(hasTransition() ? QObject::tr("a causal transition with %1 actions").arg(actions.size())
                                               : QObject::tr("no causal transition"));
    return s;
}

QString VqModelInfo::nodeName(int node) const
{
    const int plane = rows * cols;
    if (node < 0 || plane <= 0)
        return QString();
    return QObject::tr("codebook %1, row %2, column %3").arg(node / plane).arg((node % plane) / cols).arg(node % cols);
}

QString VqModelInfo::actionName(int action) const
{
    if (action == lx::VqModel::kIdentity)
        return QObject::tr("identity");
    return actions.value(action, QString::number(action));
}

void registerVqTypes()
{
    qRegisterMetaType<VqModelInfo>();
    qRegisterMetaType<VqFrame>();
    qRegisterMetaType<VqAdjacencyData>();
    qRegisterMetaType<VqRetrievalData>();
    qRegisterMetaType<VqEvaluationResult>();
}

} // namespace lx::ui
