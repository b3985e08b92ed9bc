#pragma once
// `netcanvas-cli visualize activations|filters|reconstructions|confusion|saliency GRAPH ...`:
// the pictures of the app's probe, filter, reconstruction, confusion and saliency views,
// made by the same engine/vis code, written as PNG, with --json figures.

#include <string>
#include <vector>

namespace nc::cli {

int runVisualize(const std::vector<std::string>& args);

} // namespace nc::cli
