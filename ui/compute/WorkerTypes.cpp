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

void registerWorkerTypes()
{
    qRegisterMetaType<ModelSummary>("lx::ui::ModelSummary");
    qRegisterMetaType<InfluenceResult>("lx::ui::InfluenceResult");
}

} // namespace lx::ui
