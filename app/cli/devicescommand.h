#pragma once
// `netcanvas-cli devices [--json]`: the compute devices this build and machine can use, and
// for each one that cannot be used, why (no CUDA backend built, library missing, no driver,
// no GPU).

#include <string>
#include <vector>

namespace nc::cli {

int runDevices(const std::vector<std::string>& args);

} // namespace nc::cli
