#pragma once
// `netcanvas-cli train GRAPH --data SPEC ...`

#include <string>
#include <vector>

namespace nc::cli {

int runTrain(const std::vector<std::string>& args);

} // namespace nc::cli
