#pragma once
// `netcanvas-cli export GRAPH --weights FILE --onnx OUT.onnx`: a trained network for other
// frameworks.

#include <string>
#include <vector>

namespace nc::cli {

int runExport(const std::vector<std::string>& args);

} // namespace nc::cli
