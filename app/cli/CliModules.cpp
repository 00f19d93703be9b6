// influence and modules (Besserve et al., ICLR 2020): CLI contract v1.
#include "CliCommands.h"

std::vector<CliCommand> CliCommands::moduleCommands() { return {}; }
