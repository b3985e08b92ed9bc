// Test tool for the PyTorch parity check (torch_parity.py): runs GRAPH with the parameters,
// input "__x" and targets "__y" of IN.safetensors (evaluation mode, so no dropout), and writes
// OUT.safetensors with "__loss", "__output" (the tensor feeding the first loss) and
// "grad.<param>" for every trainable parameter.

#include "engine/cpu/cpubackend.h"
#include "engine/executor.h"
#include "engine/safetensors.h"
#include "engine/threading.h"

#include "graph_model/graphjson.h"

#include <cstdio>

using namespace nc::engine;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: torchparitydump GRAPH IN.safetensors OUT.safetensors\n");
        return 2;
    }
    setThreadCount(2);
    auto graph = nc::graph::loadGraphFile(argv[1]);
    auto input = readSafetensors(argv[2]);
    if (!graph || !input) {
        std::fprintf(stderr, "%s\n", (!graph ? graph.message() : input.message()).c_str());
        return 1;
    }
    auto model = Model::compile(graph.value());
    if (!model) {
        std::fprintf(stderr, "%s\n", model.message().c_str());
        return 1;
    }
    Model& m = model.value();
    for (Parameter& p : m.params().all()) {
        auto it = input.value().tensors.find(p.name);
        if (it == input.value().tensors.end() || it->second.dims() != p.value.dims()) {
            std::fprintf(stderr, "missing or misshapen parameter %s\n", p.name.c_str());
            return 1;
        }
        p.value = it->second;
    }
    CpuBackend backend;
    Executor executor(m, backend);
    m.params().zeroGrads();
    const Tensor& x = input.value().tensors.at("__x");
    const Tensor& y = input.value().tensors.at("__y");
    Status s = executor.forward(x, y, Mode::Eval, {1, 0, true, true});
    if (s)
        s = executor.backward();
    if (!s) {
        std::fprintf(stderr, "%s\n", s.message().c_str());
        return 1;
    }
    Tensor loss({1}, executor.totalLoss());
    const PlanStep* lossStep = nullptr;
    for (const PlanStep& step : m.steps())
        if (isLoss(step.kind) && !lossStep)
            lossStep = &step;
    const Value& fed = m.values()[std::size_t(lossStep->inputs[0])];
    std::vector<std::pair<std::string, const Tensor*>> out{
        {"__loss", &loss}, {"__output", &executor.value(fed.node, fed.port)}};
    std::vector<std::string> names;
    for (const Parameter& p : m.params().all())
        if (p.trainable)
            out.emplace_back("grad." + p.name, &p.grad);
    s = writeSafetensors(argv[3], out, {});
    if (!s) {
        std::fprintf(stderr, "%s\n", s.message().c_str());
        return 2;
    }
    return 0;
}
