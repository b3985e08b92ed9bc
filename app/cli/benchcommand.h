#pragma once
// `netcanvas-cli bench`: training and inference images per second for the seed networks.

#include <string>
#include <vector>

namespace nc::cli {

int runBench(const std::vector<std::string>& args);

} // namespace nc::cli
