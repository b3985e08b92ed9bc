#pragma once
// `netcanvas-cli sample RUN_DIR [--prime TEXT] [--length N] [--temperature T]`: text from a
// trained character-level model.

#include <string>
#include <vector>

namespace nc::cli {

int runSample(const std::vector<std::string>& args);

} // namespace nc::cli
