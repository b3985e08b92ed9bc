#pragma once
// `netcanvas-cli weights GRAPH --weights FILE --npz OUT.npz`: a graph's weights for NumPy.

#include <string>
#include <vector>

namespace nc::cli {

int runWeights(const std::vector<std::string>& args);

} // namespace nc::cli
