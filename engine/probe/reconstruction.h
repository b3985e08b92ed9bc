#pragma once
// Autoencoders: a graph whose MSE loss compares a prediction with the Input's own x
// reconstructs its input, and that prediction is the edge to show beside the input.
//
//   if (std::optional<EdgeRef> r = reconstructionEdge(model)) probeEdges(model, b, x, {*r});

#include "edgeref.h"

#include "../model.h"

#include <optional>

namespace nc::engine {

// The prediction edge of the first MSE loss whose target is Input.x, when its shape is the
// input's; none otherwise.
std::optional<EdgeRef> reconstructionEdge(const Model& model);

} // namespace nc::engine
