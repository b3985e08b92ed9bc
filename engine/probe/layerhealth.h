#pragma once
// Per-layer health on a batch: the share of dead ReLU units (a unit, a channel of a map or an
// element of a vector, that is exactly zero for every sample) and the norm of the loss
// gradient with respect to the layer's weight. Dead units that stay dead and layers whose
// gradient vanishes are what this table is for. For a recurrent layer also the norm of the
// loss gradient with respect to its input at each time step: how much each step still
// matters to the loss, which falls off toward the start when gradients vanish.
//
//   Result<std::vector<LayerHealth>> h = layerHealth(model, *backend, x, y);

#include "edgeref.h"

#include "../backend.h"
#include "../model.h"

#include <optional>
#include <string>
#include <vector>

namespace nc::engine {

struct LayerHealth {
    NodeId node = nc::graph::kNoNode;
    std::string name;
    std::int64_t units = 0;             // of the output (0 when only the gradient is known)
    std::optional<double> deadShare;    // ReLU outputs only
    std::optional<double> gradientNorm; // layers with a weight only
    // Recurrent layers: |d loss / d input_t| over the batch and features, for each step t.
    std::vector<double> stepGradientNorms;
};

// Runs x (with targets y) forward in eval mode and backward once; the model's gradients are
// overwritten. Layers in plan order.
Result<std::vector<LayerHealth>> layerHealth(Model& model, Backend& backend, const Tensor& x,
                                             const Tensor& y);

} // namespace nc::engine
