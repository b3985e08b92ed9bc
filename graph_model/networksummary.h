#pragma once
// The network summary (MATLAB's Analyze, Sony NNC's cost view): per layer its output shape,
// parameters, multiply-adds and activation size; totals, the memory a training run needs, and
// warnings about suspicious designs. Pure and Qt-free: the editor's dock and
// `netcanvas-cli check --summary` both show it.
//
//   NetworkSummary s = summarizeNetwork(graph, inferShapes(graph));
//   std::string table = summaryMarkdown(s);
//
// Definitions:
//   multiply-adds: of the weighted layers (Conv2D, Deconv2D, Dense and the recurrent ones) in
//     one forward pass of one sample; other layers count as 0.
//   activations: values leaving the layer per sample; their memory is 4 bytes each (float32).
//   training memory for a batch B (an estimate): weights, their gradients and the optimizer's
//     state (momentum 1x, Adam 2x), plus every activation and its gradient for B samples.

#include "graph.h"
#include "shapeinference.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc::graph {

struct LayerSummary {
    NodeId id = kNoNode;
    std::string name, type;
    std::string output; // "32x24x24"; several outputs are listed by port
    std::int64_t params = 0;
    std::int64_t multiplyAdds = 0;
    std::int64_t activations = 0;
};

struct SummaryWarning {
    NodeId node = kNoNode;
    std::string message;
};

struct TrainingMemory {
    std::int64_t batch = 0;
    std::string optimizer;
    std::int64_t weightBytes = 0, gradientBytes = 0, optimizerBytes = 0, activationBytes = 0;
    std::int64_t total() const { return weightBytes + gradientBytes + optimizerBytes + activationBytes; }
};

struct NetworkSummary {
    std::vector<LayerSummary> layers; // in dependency order
    std::int64_t params = 0, multiplyAdds = 0, activations = 0;
    TrainingMemory memory;
    std::vector<SummaryWarning> warnings;
};

// `batch` and `optimizer` default to the graph's training block (else 128 and nesterov).
NetworkSummary summarizeNetwork(const Graph& graph, const InferenceResult& shapes,
                                std::int64_t batch = 0, const std::string& optimizer = {});

std::string summaryMarkdown(const NetworkSummary& summary);
std::string summaryCsv(const NetworkSummary& summary);
// "1.2 MB", "3.4 GB"
std::string formatBytes(std::int64_t bytes);

} // namespace nc::graph
