// Shape inference on a 1,000-node graph: from scratch, and after one parameter edit
// (incremental). Prints medians; the goals are 10 ms and 1 ms. Not a test: run `make bench`.

#include "graph_model/graph.h"
#include "graph_model/shapeinference.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace nc::graph;
using Clock = std::chrono::steady_clock;

namespace {

// The benchmark's own graphs are valid by construction; a refusal is a bug worth stopping on.
void must(const Status& status) {
    if (!status) {
        std::fprintf(stderr, "bench: %s\n", status.message().c_str());
        std::exit(1);
    }
}

// Input 16x32x32, then blocks of Conv2D("same") -> BatchNorm -> Activation -> Add(residual),
// ending in GlobalAvgPool, Dense and a loss: 1,000 nodes in all.
Graph buildGraph(std::vector<NodeId>& convs) {
    Graph g;
    NodeId input = g.addNode("Input").value();
    must(g.setParam(input, "shape", IntList{16, 32, 32}));
    NodeId previous = input;
    while (g.nodeCount() < 995) {
        NodeId conv = g.addNode("Conv2D").value();
        must(g.setParam(conv, "filters", std::int64_t(16)));
        must(g.setParam(conv, "padding", std::string("same")));
        NodeId bn = g.addNode("BatchNorm").value();
        NodeId act = g.addNode("Activation").value();
        NodeId add = g.addNode("Add").value();
        must(g.connect({previous, 0, conv, 0}));
        must(g.connect({conv, 0, bn, 0}));
        must(g.connect({bn, 0, act, 0}));
        must(g.connect({act, 0, add, 0}));
        must(g.connect({previous, 0, add, 1}));
        convs.push_back(conv);
        previous = add;
    }
    NodeId gap = g.addNode("GlobalAvgPool2D").value();
    NodeId dense = g.addNode("Dense").value();
    must(g.setParam(dense, "units", std::int64_t(10)));
    NodeId loss = g.addNode("SoftmaxCrossEntropy").value();
    must(g.connect({previous, 0, gap, 0}));
    must(g.connect({gap, 0, dense, 0}));
    must(g.connect({dense, 0, loss, 0}));
    must(g.connect({input, 1, loss, 1}));
    return g;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double millisSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

} // namespace

int main() {
    std::vector<NodeId> convs;
    Graph graph = buildGraph(convs);
    std::printf("graph: %zu nodes, %zu edges, %lld parameters\n", graph.nodeCount(),
                graph.edges().size(), static_cast<long long>(inferShapes(graph).totalParams));

    std::vector<double> full;
    for (int i = 0; i < 50; ++i) {
        auto start = Clock::now();
        InferenceResult r = inferShapes(graph);
        full.push_back(millisSince(start));
        if (!r.valid())
            return 1;
    }

    IncrementalInference live;
    graph.addListener([&](const GraphChange& c) { live.noteChange(c); });
    live.update(graph);
    // Edits that keep downstream shapes (the kernel of a "same" conv, an activation) stop
    // after the edited node; edits that change channels ripple to every node below.
    auto measure = [&](NodeId node, const char* param, ParamValue a, ParamValue b) {
        std::vector<double> times;
        std::size_t recomputed = 0;
        for (int i = 0; i < 200; ++i) {
            must(graph.setParam(node, param, i % 2 ? a : b));
            auto start = Clock::now();
            live.update(graph);
            times.push_back(millisSince(start));
            recomputed = live.lastRecomputed();
        }
        return std::make_pair(median(times), recomputed);
    };
    NodeId middle = convs[convs.size() / 2];
    auto [kernelMs, kernelNodes] = measure(middle, "kernel_size", IntList{5, 5}, IntList{3, 3});
    auto [filtersMs, filtersNodes] =
        measure(convs.back(), "filters", std::int64_t(16), std::int64_t(32));

    NodeId input = graph.nodeIds().front();
    auto [inputMs, inputNodes] = measure(input, "shape", IntList{16, 32, 32}, IntList{16, 40, 40});

    std::printf("from scratch:                        %.3f ms (goal < 10 ms)\n", median(full));
    std::printf(
        "incremental, kernel of a middle conv: %.3f ms, %zu nodes recomputed (goal < 1 ms)\n",
        kernelMs, kernelNodes);
    std::printf("incremental, filters of the last conv: %.3f ms, %zu nodes recomputed\n", filtersMs,
                filtersNodes);
    std::printf("incremental, input shape (ripples everywhere): %.3f ms, %zu nodes recomputed\n",
                inputMs, inputNodes);
    return 0;
}
