#pragma once
// Shape inference: from a graph to the shape on every port, the parameter tensors and counts
// of every node, and diagnostics. Pure, and never throws on user mistakes.
//
//   InferenceResult r = inferShapes(graph);            // from scratch
//   std::optional<Shape> s = r.edgeShape(edge);        // "32x12x12" on the canvas
//
//   IncrementalInference live;                         // recomputes only what an edit touched
//   graph.addListener([&](const GraphChange& c) { live.noteChange(c); });
//   const InferenceResult& current = live.update(graph);

#include "diagnostic.h"
#include "graph.h"
#include "layerspec.h"
#include "topology.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace nc::graph {

struct NodeInference {
    std::vector<std::optional<Shape>> inputs;  // arriving at each input port
    std::vector<std::optional<Shape>> outputs; // leaving each output port
    std::vector<ParamTensor> params;
    std::int64_t paramCount = 0; // trainable values owned by this node (tied ones count once)
    std::vector<Diagnostic> diagnostics;
};

struct InferenceResult {
    std::unordered_map<NodeId, NodeInference> nodes;
    std::vector<Diagnostic> graphDiagnostics; // not about one node
    std::int64_t totalParams = 0;

    const NodeInference* node(NodeId id) const;
    std::optional<Shape> edgeShape(const Edge& edge) const;
    // Graph-wide diagnostics first, then per node by ascending id.
    std::vector<Diagnostic> diagnostics() const;
    bool valid() const; // no errors
};

// Infers one node from the results of the nodes it depends on (already in `result`).
NodeInference inferNode(const Graph& graph, const Node& node, const InferenceResult& result);

InferenceResult inferShapes(const Graph& graph);

class IncrementalInference {
public:
    // Feed every change of the graph here (from a Graph listener).
    void noteChange(const GraphChange& change);
    // Brings the result up to date, recomputing only dirty nodes and, downstream of them,
    // nodes whose inputs changed.
    const InferenceResult& update(const Graph& graph);
    const InferenceResult& result() const { return m_result; }
    // How many nodes the last update() recomputed (for tests and benchmarks).
    std::size_t lastRecomputed() const { return m_lastRecomputed; }
    // Which: the nodes whose results the last update() may have changed (views refresh
    // these and their wires only), or all of them after a full recomputation.
    const std::vector<NodeId>& lastTouched() const { return m_touched; }
    bool lastTouchedAll() const { return m_touchedAll; }

private:
    void noteKind(const Graph& graph, const Node& node);
    void recomputeAll(const Graph& graph);
    void rank(const DependencyOrder& order);
    bool ranksStillOrder(const Graph& graph,
                         const std::unordered_multimap<NodeId, NodeId>& holders) const;

    InferenceResult m_result;
    std::unordered_set<NodeId> m_dirty;
    bool m_everything = true;
    bool m_cyclic = false; // the last full recomputation found a loop
    // The Input and loss nodes, for the graph's "no Input" and "no loss" warnings.
    std::unordered_set<NodeId> m_inputs;
    std::unordered_set<NodeId> m_losses;
    // Each node's place in an order where it comes after everything it depends on, so that
    // an edit recomputes only what it reaches, without ordering the whole graph again.
    std::unordered_map<NodeId, std::uint64_t> m_rank;
    std::uint64_t m_nextRank = 0;
    std::size_t m_lastRecomputed = 0;
    std::vector<NodeId> m_touched;
    bool m_touchedAll = false;
};

} // namespace nc::graph
