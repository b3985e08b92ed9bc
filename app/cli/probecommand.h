#pragma once
// `netcanvas-cli probe GRAPH --weights FILE --edge NODE[:PORT] --input SPEC#INDEX`

#include <string>
#include <vector>

namespace nc::cli {

int runProbe(const std::vector<std::string>& args);

} // namespace nc::cli
