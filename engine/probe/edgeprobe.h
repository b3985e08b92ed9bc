#pragma once
// Subgraph execution for probes: the tensors on chosen edges for a batch of inputs, computed
// by running only those edges' ancestors. The model's parameters are moved onto the backend
// first (a no-op when they are there).
//
//   Result<std::vector<Tensor>> v = probeEdges(model, *backend, x, {EdgeRef{conv1, 0}});
//   v.value()[0].dims()   // [N, 32, 24, 24]

#include "edgeref.h"

#include "../backend.h"
#include "../model.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace nc::engine {

struct ProbeOptions {
    Mode mode = Mode::Eval;   // Train: dropout masks and batch statistics act
    std::uint64_t seed = 1;   // of the dropout masks in train mode
    bool checkFinite = false; // a probe reports NaNs in its statistics instead of failing
    // The samples' targets [N, ...Input.y] (a data set's labels), which Input.y and the
    // losses see. Without them they see zeros: check readsTargets() before showing those.
    std::optional<Tensor> targets;
};

// x: [N, ...Input.shape] on the host. Each result is a host tensor [N, ...edge shape], in
// the order of `edges`.
Result<std::vector<Tensor>> probeEdges(Model& model, Backend& backend, const Tensor& x,
                                       std::span<const EdgeRef> edges, ProbeOptions options = {});

// Zero targets for N samples of the model's Input.y, for runs whose losses do not matter.
Tensor zeroTargets(const Model& model, std::int64_t n);
// Whether the value on `edge` depends on Input.y (it is Input.y, a loss, or computed from
// one): without a sample's real target it would be made up.
bool readsTargets(const Model& model, EdgeRef edge);
// The per-sample shape of the model's Input.x.
Dims inputDims(const Model& model);

} // namespace nc::engine
