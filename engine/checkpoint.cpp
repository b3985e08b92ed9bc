#include "checkpoint.h"

#include "safetensors.h"

#include <deque>

#include "core/numberparse.h"
#include "graph_model/graphjson.h"

#include <limits>

namespace nc::engine {

namespace {

// The whole numbers a checkpoint's metadata may hold, and their ranges: whoever reads them
// later (resume, the optimizer) can then take them as they are.
struct MetadataInteger {
    const char* key;
    std::int64_t max;
};
constexpr MetadataInteger kEpoch{"epoch", std::numeric_limits<int>::max()};
constexpr MetadataInteger kOptimizerSteps{"optimizer_steps",
                                          std::numeric_limits<std::int64_t>::max()};

// The value under `key`, 0 when absent.
Result<std::int64_t> metadataInteger(const Checkpoint& checkpoint, const MetadataInteger& spec) {
    auto it = checkpoint.metadata.find(spec.key);
    if (it == checkpoint.metadata.end())
        return std::int64_t(0);
    return nc::core::parseInt64(it->second, checkpoint.path + ": metadata \"" + spec.key + "\"", 0,
                                spec.max);
}

Result<Checkpoint> fromSafetensors(SafetensorsFile&& file, const std::string& path) {
    // No tensors is fine: a graph without parameters (an imported Softmax, a Flatten) has
    // none, and applyWeights names the first missing tensor of a graph that has some.
    Checkpoint checkpoint;
    checkpoint.path = path;
    checkpoint.tensors = std::move(file.tensors);
    checkpoint.metadata = std::move(file.metadata);
    for (const MetadataInteger& spec : {kEpoch, kOptimizerSteps})
        if (Result<std::int64_t> value = metadataInteger(checkpoint, spec); !value)
            return value.status();
    return checkpoint;
}

} // namespace

Status saveCheckpoint(const std::string& path, const Model& model, Optimizer* optimizer,
                      std::map<std::string, std::string> metadata, Backend* device) {
    metadata["format"] = "netcanvas-checkpoint";
    metadata["graph"] = nc::graph::graphToJson(model.graph());
    std::vector<std::pair<std::string, const Tensor*>> tensors;
    std::deque<Tensor> hostCopies; // stable addresses
    auto add = [&](const std::string& name, const Tensor& t) -> Status {
        if (t.onHost()) {
            tensors.emplace_back(name, &t);
            return Status::ok();
        }
        if (!device)
            return Status::error("cannot save " + name + ": it is on " + t.device().text());
        Result<Tensor> host = toHost(*device, t);
        if (!host)
            return host.status();
        tensors.emplace_back(name, &hostCopies.emplace_back(std::move(host).value()));
        return Status::ok();
    };
    for (const Parameter& p : model.params().all())
        if (Status s = add(p.name, p.value); !s)
            return s;
    if (optimizer) {
        metadata["optimizer_steps"] = std::to_string(optimizer->steps());
        for (auto& [name, tensor] : optimizer->stateTensors())
            if (Status s = add(name, *tensor); !s)
                return s;
    }
    return writeSafetensors(path, tensors, metadata);
}

Result<Checkpoint> readCheckpoint(const std::string& path) {
    Result<SafetensorsFile> file = readSafetensors(path);
    if (!file)
        return file.status();
    return fromSafetensors(std::move(file).value(), path);
}

Result<Checkpoint> readCheckpointBytes(std::string_view bytes, const std::string& name) {
    Result<SafetensorsFile> file = readSafetensorsBytes(bytes, name);
    if (!file)
        return file.status();
    return fromSafetensors(std::move(file).value(), name);
}

Status applyWeights(const Checkpoint& checkpoint, Model& model) {
    for (const Parameter& p : model.params().all()) {
        auto it = checkpoint.tensors.find(p.name);
        if (it == checkpoint.tensors.end())
            return Status::error(checkpoint.path + " has no tensor \"" + p.name +
                                 "\" (was it saved from another graph?)");
        if (it->second.dims() != p.value.dims())
            return Status::error(checkpoint.path + ": \"" + p.name + "\" is " +
                                 formatDims(it->second.dims()) + " but the graph needs " +
                                 formatDims(p.value.dims()));
    }
    for (Parameter& p : model.params().all())
        p.value = checkpoint.tensors.at(p.name);
    for (Parameter& p : model.params().all())
        if (p.trainable)
            p.grad.resize(p.value.dims());
    return Status::ok();
}

Status applyOptimizerState(const Checkpoint& checkpoint, Optimizer& optimizer) {
    auto state = optimizer.stateTensors();
    for (const auto& [name, tensor] : state) {
        auto it = checkpoint.tensors.find(name);
        if (it == checkpoint.tensors.end())
            return Status::error(checkpoint.path + " has no optimizer state \"" + name +
                                 "\" (saved with another optimizer?)");
        if (it->second.dims() != tensor->dims())
            return Status::error(checkpoint.path + ": optimizer state \"" + name +
                                 "\" has the wrong shape");
    }
    Result<std::int64_t> steps = metadataInteger(checkpoint, kOptimizerSteps);
    if (!steps)
        return steps.status();
    for (auto& [name, tensor] : state)
        *tensor = checkpoint.tensors.at(name);
    optimizer.setSteps(steps.value());
    return Status::ok();
}

} // namespace nc::engine
