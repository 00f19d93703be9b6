#include "lx/ui/WorkerTypes.h"

namespace lx::ui {

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
    qRegisterMetaType<HybridRequest>("lx::ui::HybridRequest");
    qRegisterMetaType<HybridFrame>("lx::ui::HybridFrame");
    qRegisterMetaType<ModelSummary>("lx::ui::ModelSummary");
}

} // namespace lx::ui
