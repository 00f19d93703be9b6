#include "ui/compute/WorkerTypes.h"

#include <QElapsedTimer>

namespace lx::ui {

double elapsedMs(const QElapsedTimer& timer) { return static_cast<double>(timer.nsecsElapsed()) / 1.0e6; }

QString shapeText(const QVector<qint64>& shape)
{
    QStringList parts;
    parts.reserve(shape.size());
    for (qint64 v : shape)
        parts << QString::number(v);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

QVector<int> ModulesResult::members(int module) const
{
    QVector<int> channels;
    for (int c = 0; c < assignment.size(); ++c) {
        if (assignment[c] == module)
            channels << c;
    }
    return channels;
}

QString methodName(ModuleMethod method)
{
    return method == ModuleMethod::Nmf ? QStringLiteral("NMF") : QStringLiteral("k-means");
}

void registerWorkerTypes()
{
    qRegisterMetaType<ModelSummary>("lx::ui::ModelSummary");
    qRegisterMetaType<InfluenceResult>("lx::ui::InfluenceResult");
    qRegisterMetaType<ModulesResult>("lx::ui::ModulesResult");
}

} // namespace lx::ui
