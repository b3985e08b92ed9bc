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
    if (Status s = checkSnapshotCovers(weights, model, source); !s)
        return s;
    std::set<std::string> parameters;
    for (const Parameter& p : model.params().all())
        parameters.insert(p.name);
    for (const auto& [name, tensor] : weights.tensors)
        if (!parameters.count(name) && !isOptimizerState(name, parameters))
            return Status::error(source + " has a tensor \"" + name +
                                 "\" that the graph has no parameter for (is it from another "
                                 "graph?)");
    return Status::ok();
}

} // namespace nc::engine
