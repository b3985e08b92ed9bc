#include "probeweights.h"

namespace nc::engine {

SnapshotPtr initialWeights(Model& model, std::uint64_t seed) {
    initializeParameters(model.params(), seed);
    auto snapshot = std::make_shared<WeightSnapshot>();
    for (const Parameter& p : model.params().all())
        snapshot->tensors.emplace_back(p.name, p.value);
    return snapshot;
}

SnapshotPtr checkpointWeights(const Checkpoint& checkpoint) {
    auto snapshot = std::make_shared<WeightSnapshot>();
    for (const auto& [name, tensor] : checkpoint.tensors)
        snapshot->tensors.emplace_back(name, tensor);
    if (auto it = checkpoint.metadata.find("epoch"); it != checkpoint.metadata.end())
        snapshot->epoch = std::atoi(it->second.c_str());
    return snapshot;
}

Status checkSnapshotCovers(const WeightSnapshot& weights, const Model& model,
                           const std::string& source) {
    for (const Parameter& p : model.params().all()) {
        const Tensor* t = weights.find(p.name);
        if (!t)
            return Status::error(source + " has no tensor \"" + p.name +
                                 "\" (is it from another graph?)");
        if (t->dims() != p.value.dims())
            return Status::error(source + ": \"" + p.name + "\" is " + formatDims(t->dims()) +
                                 " but the graph needs " + formatDims(p.value.dims()));
    }
    return Status::ok();
}

Status applySnapshot(const WeightSnapshot& weights, Model& model, const std::string& source) {
    if (Status s = checkSnapshotCovers(weights, model, source); !s)
        return s;
    for (Parameter& p : model.params().all()) {
        p.value = *weights.find(p.name);
        if (p.trainable)
            p.grad.resize(p.value.dims());
    }
    return Status::ok();
}

Result<Model> compileWithWeights(const nc::graph::Graph& graph, const SnapshotPtr& weights,
                                 std::uint64_t seed, const std::string& source) {
    auto model = Model::compile(graph);
    if (!model)
        return Status::error("the graph cannot run: " + model.message());
    if (!weights)
        initialWeights(model.value(), seed);
    else if (Status s = applySnapshot(*weights, model.value(), source); !s)
        return s;
    return model;
}

} // namespace nc::engine
