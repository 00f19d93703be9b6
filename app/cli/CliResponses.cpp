// responses (Leeb et al., NeurIPS 2022): CLI contract v1.
#include "CliCommands.h"

std::vector<CliCommand> CliCommands::responseCommands() { return {}; }
