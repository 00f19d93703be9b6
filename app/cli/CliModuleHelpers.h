#pragma once
// What the module commands (CliModules.cpp) and the module assays (CliModuleAssays.cpp) share besides
// lx::ModuleDiscovery: reading a `modules` result back.
#include <string>
#include <vector>

namespace CliModuleHelpers {

// The "assignment" list of DIR/modules.json (as the `modules` command writes it). Throws lx::Error
// naming the file when it is missing or malformed.
std::vector<int> readAssignment(const std::string& dir);

} // namespace CliModuleHelpers
