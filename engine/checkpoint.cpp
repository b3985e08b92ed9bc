#include "checkpoint.h"

#include "safetensors.h"

#include <deque>

#include "graph_model/graphjson.h"

namespace nc::engine {

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
        return Status::error(file.message());
    if (file.value().tensors.empty())
        return Status::error(path + ": no tensors in this checkpoint");
    Checkpoint checkpoint;
    checkpoint.path = path;
    checkpoint.tensors = std::move(file.value().tensors);
    checkpoint.metadata = std::move(file.value().metadata);
    return checkpoint;
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
    for (auto& [name, tensor] : state)
        *tensor = checkpoint.tensors.at(name);
    auto steps = checkpoint.metadata.find("optimizer_steps");
    optimizer.setSteps(steps == checkpoint.metadata.end() ? 0 : std::stoll(steps->second));
    return Status::ok();
}

} // namespace nc::engine
