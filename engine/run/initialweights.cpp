#include "initialweights.h"

#include "engine/checkpoint.h"
#include "engine/probe/probeweights.h"

#include <set>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

// A checkpoint's optimizer state ("optimizer.<param>.momentum", ".m", ".v"): a fresh
// optimizer starts without it.
bool isOptimizerState(const std::string& name, const std::set<std::string>& parameters) {
    return name.rfind("optimizer.", 0) == 0 && !parameters.count(name);
}

} // namespace

Result<SnapshotPtr> readInitialWeights(const std::string& path) {
    Result<Checkpoint> checkpoint = readCheckpoint(path);
    if (!checkpoint)
        return checkpoint.status();
    return checkpointWeights(checkpoint.value());
}

Status checkInitialWeights(const WeightSnapshot& weights, const Model& model,
                           const std::string& source) {
    std::set<std::string> parameters;
    for (const Parameter& p : model.params().all()) {
        parameters.insert(p.name);
        const Tensor* t = weights.find(p.name);
        if (!t)
            return Status::error(source + " has no tensor \"" + p.name +
                                 "\" (is it from another graph?)");
        if (t->dims() != p.value.dims())
            return Status::error(source + ": \"" + p.name + "\" is " + formatDims(t->dims()) +
                                 " but the graph needs " + formatDims(p.value.dims()));
    }
    for (const auto& [name, tensor] : weights.tensors)
        if (!parameters.count(name) && !isOptimizerState(name, parameters))
            return Status::error(source + " has a tensor \"" + name +
                                 "\" that the graph has no parameter for (is it from another "
                                 "graph?)");
    return Status::ok();
}

} // namespace nc::engine
