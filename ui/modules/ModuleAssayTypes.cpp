#include "ui/modules/ModuleAssayTypes.h"

namespace lx::ui {

void registerModuleAssayTypes()
{
    qRegisterMetaType<ModuleGridData>();
    qRegisterMetaType<RobustnessData>();
    qRegisterMetaType<ConsistencyData>();
    qRegisterMetaType<GroupMapsData>();
}

} // namespace lx::ui
