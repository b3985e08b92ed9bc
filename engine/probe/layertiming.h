#pragma once
// How long each layer of a model takes, forward and backward, on a batch of made-up inputs
// (the Network Summary's "Time layers", `netcanvas-cli bench --profile` for the examples).
// Each op is timed with the device waited for around it (opprofile.h); the passes add into
// the parameters' gradients.
//
//   Result<LayerTiming> t = timeLayers(model, backend, 128, 1.0, [] { return false; });

#include "../backend.h"
#include "../model.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nc::engine {

struct LayerTime {
    NodeId node = nc::graph::kNoNode;
    std::string name;
    double forwardMs = 0;  // a step's mean
    double backwardMs = 0; // 0 for a model without a loss (no backward pass is run)
};

struct LayerTiming {
    std::vector<LayerTime> layers; // in plan order
    double stepMs = 0;             // a whole forward (and backward) pass, mean
    int steps = 0;
    bool backward = false; // whether backward passes ran (the model has a loss)
};

// Inputs in [0, 1) and class labels (i mod the classes; zero targets for other losses), for
// `batch` samples of the model's Input, on the host.
struct MadeUpBatch {
    Tensor x, y;
};
MadeUpBatch madeUpBatch(const Model& model, std::int64_t batch);

// Runs forward (and, with a loss, backward) passes in training mode for about `seconds` and
// at least three, after one untimed; stops with "cancelled" between two ops once
// `cancelled()` says so (it is called from this thread).
Result<LayerTiming> timeLayers(Model& model, Backend& backend, std::int64_t batch, double seconds,
                               const std::function<bool()>& cancelled);

} // namespace nc::engine
