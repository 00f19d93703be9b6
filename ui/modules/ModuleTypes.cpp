#include "ui/modules/ModuleTypes.h"

namespace lx::ui {

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

} // namespace lx::ui
