#pragma once
// `netcanvas-cli check GRAPH [--json]`: shapes, parameter counts and diagnostics per node.

#include <string>
#include <vector>

namespace nc::cli {

int runCheck(const std::vector<std::string>& args);
extern const char* const kCheckHelp;

} // namespace nc::cli
