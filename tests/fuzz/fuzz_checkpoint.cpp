// Fuzzes checkpoints as resume reads them: the safetensors container, the metadata numbers
// ("epoch", "optimizer_steps"), applying them to a small model and an Adam optimizer, then
// one optimizer step. Any bytes give a checkpoint that applies or is refused with a reason;
// never a crash, and the step count never overflows (UBSan would stop it).

#include "engine/backendlist.h"
#include "engine/checkpoint.h"

#include "graph_model/graphjson.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

// Input 1x2x2 -> Dense(3) -> SoftmaxCrossEntropy, as tests/cli/tst_clibadinput.cpp trains.
const char* const kGraph = R"({"format": "netcanvas-graph", "version": 1, "nodes": [
  {"id": 1, "type": "Input", "name": "input", "params": {"shape": [1, 2, 2]}},
  {"id": 2, "type": "Dense", "name": "fc", "params": {"units": 3, "activation": "linear"}},
  {"id": 3, "type": "SoftmaxCrossEntropy", "name": "loss"}],
  "edges": [{"from": [1, "x"], "to": [2, "in"]}, {"from": [2, "out"], "to": [3, "logits"]},
            {"from": [1, "y"], "to": [3, "target"]}]})";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace nc::engine;
    static const nc::graph::Graph graph = nc::core::require(nc::graph::graphFromJson(kGraph, "g"));
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto checkpoint = readCheckpointBytes(bytes, "fuzz");
    if (!checkpoint.isOk())
        return 0;
    Model model = nc::core::require(Model::compile(graph));
    initializeParameters(model.params(), 1);
    Optimizer adam = nc::core::require(Optimizer::create({"adam", 0.9, 0.0}, model.params()));
    if (!applyWeights(checkpoint.value(), model).isOk() ||
        !applyOptimizerState(checkpoint.value(), adam).isOk())
        return 0;
    for (Parameter& p : model.params().all())
        if (p.trainable)
            p.grad.fill(0.5f);
    const std::int64_t before = adam.steps();
    static auto cpu = nc::core::require(createBackend("cpu"));
    if (!adam.step(model.params(), 0.01f, *cpu).isOk())
        return 0;
    if (adam.steps() < before) // the count saturates, never wraps
        std::abort();
    return 0;
}
