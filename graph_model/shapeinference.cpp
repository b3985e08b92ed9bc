#include "shapeinference.h"

#include "layerregistry.h"
#include "noderefs.h"
#include "topology.h"

#include <algorithm>
#include <exception>
#include <queue>

namespace nc::graph {

namespace {

Diagnostic makeDiagnostic(const Node& node, const ShapeIssue& issue) {
    return {issue.isError ? Severity::Error : Severity::Warning, node.id, issue.inPort,
            describeNode(node) + ": " + issue.message};
}

// The shape arriving at each input port, and issues for required ports nobody feeds.
bool gatherInputs(const Graph& graph, const Node& node, const LayerSpec& spec,
                  const InferenceResult& result, NodeInference& out, ShapeOutcome& outcome) {
    int count = spec.inputCount(node.params);
    out.inputs.assign(std::size_t(count), std::nullopt);
    bool complete = true;
    for (PortIndex port = 0; port < count; ++port) {
        std::optional<Edge> edge = graph.edgeInto(node.id, port);
        if (!edge && spec.inputOptional(port))
            continue;
        if (!edge) {
            outcome.error("input \"" + spec.inputName(port) + "\" is not connected", port);
            complete = false;
            continue;
        }
        out.inputs[std::size_t(port)] = result.edgeShape(*edge);
        complete = complete && out.inputs[std::size_t(port)].has_value();
    }
    return complete;
}

// Every reference must name an existing node of a type its parameter allows. Checked before
// the inputs, so that a dangling reference shows even while the inputs are unknown.
bool checkReferences(const Graph& graph, const Node& node, const LayerSpec& spec,
                     ShapeOutcome& outcome) {
    bool ok = true;
    for (const NodeReference& r : nodeReferences(node)) {
        const ParamSpec& p = *spec.findParam(r.param);
        const Node* referenced = graph.node(r.target);
        if (!referenced) {
            outcome.error(r.param + " names node " + std::to_string(r.target) +
                          ", which does not exist");
            ok = false;
        } else if (!refAllows(p, referenced->type)) {
            outcome.error(r.param + " must name a " + describeRefTypes(p) + ", but node " +
                          std::to_string(r.target) + " is " + describeNode(*referenced));
            ok = false;
        }
    }
    return ok;
}

// Rejects outputs too large to compute with and sums the node's own trainable values.
void checkOutcome(ShapeOutcome& outcome, NodeInference& out) {
    for (std::optional<Shape>& shape : outcome.outputs) {
        if (shape && !shape->empty() && !elementCount(*shape)) {
            outcome.error("its output " + formatShape(*shape) + " would hold more than " +
                          formatCount(kMaxElements) + " values per sample");
            shape.reset();
        }
    }
    for (const ParamTensor& p : outcome.params) {
        if (!p.trainable || p.tiedTo != kNoNode)
            continue;
        std::int64_t size = 1;
        for (std::int64_t d : p.shape)
            size *=
                d; // every dimension <= 2^31 and at most 4 of them, checked by the rules' inputs
        out.paramCount += size;
    }
}

} // namespace

const NodeInference* InferenceResult::node(NodeId id) const {
    auto it = nodes.find(id);
    return it == nodes.end() ? nullptr : &it->second;
}

std::optional<Shape> InferenceResult::edgeShape(const Edge& edge) const {
    const NodeInference* n = node(edge.outNode);
    if (!n || edge.outPort < 0 || edge.outPort >= int(n->outputs.size()))
        return std::nullopt;
    return n->outputs[std::size_t(edge.outPort)];
}

std::vector<Diagnostic> InferenceResult::diagnostics() const {
    std::vector<Diagnostic> all = graphDiagnostics;
    std::vector<NodeId> ids; // only the nodes with something to say: few, in a large graph
    for (const auto& [id, n] : nodes)
        if (!n.diagnostics.empty())
            ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (NodeId id : ids) {
        const auto& d = nodes.at(id).diagnostics;
        all.insert(all.end(), d.begin(), d.end());
    }
    return all;
}

bool InferenceResult::valid() const {
    auto isError = [](const Diagnostic& d) { return d.severity == Severity::Error; };
    if (std::any_of(graphDiagnostics.begin(), graphDiagnostics.end(), isError))
        return false;
    for (const auto& [id, n] : nodes)
        if (std::any_of(n.diagnostics.begin(), n.diagnostics.end(), isError))
            return false;
    return true;
}

NodeInference inferNode(const Graph& graph, const Node& node, const InferenceResult& result) {
    const LayerSpec& spec = graph.specOf(node);
    NodeInference out;
    ShapeOutcome outcome;
    outcome.outputs.assign(spec.outputs.size(), std::nullopt);
    bool references = checkReferences(graph, node, spec, outcome);
    if (gatherInputs(graph, node, spec, result, out, outcome) && references) {
        ShapeContext context(
            node, spec, out.inputs, [&graph](NodeId id) { return graph.node(id); },
            [&graph, &result](NodeId id, PortIndex port) -> std::optional<Shape> {
                if (const NodeInference* n = result.node(id); n && port < int(n->inputs.size()))
                    return n->inputs[std::size_t(port)];
                (void)graph;
                return std::nullopt;
            });
        try {
            spec.shapeRule(context, outcome);
        } catch (const std::exception& e) {
            // A rule must not throw; report it rather than take the editor down.
            outcome.outputs.assign(spec.outputs.size(), std::nullopt);
            outcome.error(std::string("internal error in the shape rule: ") + e.what());
        }
        checkOutcome(outcome, out);
    }
    out.outputs = std::move(outcome.outputs);
    out.params = std::move(outcome.params);
    for (const ShapeIssue& issue : outcome.issues)
        out.diagnostics.push_back(makeDiagnostic(node, issue));
    return out;
}

namespace {

bool isLoss(const Graph& graph, const Node& node) {
    return graph.specOf(node).isLoss;
}

void addGraphDiagnostics(const Graph& graph, const DependencyOrder& order, bool hasInput,
                         bool hasLoss, InferenceResult& result) {
    result.graphDiagnostics.clear();
    if (graph.nodeCount() > 0 && !hasInput)
        result.graphDiagnostics.push_back(
            {Severity::Warning, kNoNode, std::nullopt, "the graph has no Input node"});
    if (graph.nodeCount() > 0 && !hasLoss)
        result.graphDiagnostics.push_back(
            {Severity::Warning, kNoNode, std::nullopt,
             "the graph has no loss node, so it cannot train (add SoftmaxCrossEntropy or MSE)"});
    for (NodeId id : order.cyclic) {
        const Node& n = *graph.node(id);
        std::vector<NodeReference> refs = nodeReferences(n);
        const std::string via = refs.empty() ? "a node reference" : refs.front().param;
        result.graphDiagnostics.push_back(
            {Severity::Error, id, std::nullopt,
             describeNode(n) + ": depends on its own output through " + via + " (a loop)"});
    }
}

void sumParams(InferenceResult& result) {
    result.totalParams = 0;
    for (const auto& [id, n] : result.nodes)
        result.totalParams += n.paramCount;
}

InferenceResult inferInOrder(const Graph& graph, const DependencyOrder& order) {
    InferenceResult result;
    result.nodes.reserve(graph.nodeCount());
    for (NodeId id : order.order)
        result.nodes[id] = inferNode(graph, *graph.node(id), result);
    for (NodeId id : order.cyclic) {
        const Node& n = *graph.node(id);
        NodeInference blocked;
        blocked.inputs.assign(std::size_t(graph.inputCount(id)), std::nullopt);
        blocked.outputs.assign(graph.specOf(n).outputs.size(), std::nullopt);
        result.nodes[id] = std::move(blocked);
    }
    bool hasInput = false, hasLoss = false;
    for (NodeId id : graph.nodeIds()) {
        const Node& n = *graph.node(id);
        hasInput = hasInput || n.type == "Input";
        hasLoss = hasLoss || isLoss(graph, n);
    }
    addGraphDiagnostics(graph, order, hasInput, hasLoss, result);
    sumParams(result);
    return result;
}

} // namespace

InferenceResult inferShapes(const Graph& graph) {
    return inferInOrder(graph, dependencyOrder(graph));
}

void IncrementalInference::noteChange(const GraphChange& change) {
    if (change.what & GraphReset) {
        m_everything = true;
        return;
    }
    if (change.what & NodeRemoved) {
        if (auto it = m_result.nodes.find(change.node); it != m_result.nodes.end()) {
            m_result.totalParams -= it->second.paramCount;
            m_result.nodes.erase(it);
        }
        m_inputs.erase(change.node);
        m_losses.erase(change.node);
        m_rank.erase(change.node);
    }
    if (change.what & NodeAdded)
        m_rank[change.node] = m_nextRank++; // after every node so far; checked in update()
    if (change.what & (NodeAdded | EdgeAdded | EdgeRemoved | ParamChanged | NodeRenamed))
        m_dirty.insert(change.node);
    if (change.what & NodeRemoved)
        m_dirty.insert(change.node); // the nodes referencing it must notice it is gone
}

namespace {

// Who depends on each node through a reference: few holders in any graph.
std::unordered_multimap<NodeId, NodeId> referenceHolders(const Graph& graph) {
    std::unordered_multimap<NodeId, NodeId> holders; // target -> holders
    for (NodeId id : graph.referenceHolders())
        for (const NodeReference& r : nodeReferences(*graph.node(id)))
            holders.emplace(r.target, id);
    return holders;
}

} // namespace

// Every edit that adds a dependency marks a node at one of its ends dirty (a wire its
// consumer, a reference its holder, a node put back its own), so checking the dirty nodes'
// dependencies and dependents tells whether the ranks still order the graph.
bool IncrementalInference::ranksStillOrder(
    const Graph& graph, const std::unordered_multimap<NodeId, NodeId>& holders) const {
    auto rankOf = [this](NodeId id) {
        auto it = m_rank.find(id);
        return it == m_rank.end() ? std::optional<std::uint64_t>() : it->second;
    };
    for (NodeId id : m_dirty) {
        const Node* node = graph.node(id);
        const auto own = rankOf(id);
        if (!node)
            continue;
        if (!own)
            return false;
        for (NodeId dep : directDependencies(graph, *node))
            if (const auto r = rankOf(dep); !r || *r >= *own)
                return false;
        for (const Edge& e : graph.edgesOutOf(id))
            if (const auto r = rankOf(e.inNode); !r || *r <= *own)
                return false;
        auto [first, last] = holders.equal_range(id);
        for (auto it = first; it != last; ++it)
            if (const auto r = rankOf(it->second); !r || *r <= *own)
                return false;
    }
    return true;
}

void IncrementalInference::recomputeAll(const Graph& graph) {
    const DependencyOrder all = dependencyOrder(graph);
    m_result = inferInOrder(graph, all);
    m_lastRecomputed = graph.nodeCount();
    m_touchedAll = true;
    m_everything = false;
    m_cyclic = !all.cyclic.empty();
    m_dirty.clear();
    m_inputs.clear();
    m_losses.clear();
    for (NodeId id : graph.nodeIds())
        noteKind(graph, *graph.node(id));
    rank(all);
}

void IncrementalInference::rank(const DependencyOrder& order) {
    m_rank.clear();
    m_rank.reserve(order.order.size());
    m_nextRank = 0;
    for (NodeId id : order.order)
        m_rank[id] = m_nextRank++;
}

const InferenceResult& IncrementalInference::update(const Graph& graph) {
    m_touched.clear();
    m_touchedAll = false;
    if (!m_everything && m_dirty.empty()) {
        m_lastRecomputed = 0;
        return m_result;
    }
    // A loop anywhere (only possible through references, and reported in the graph's
    // diagnostics) means recomputing everything until it is gone.
    if (m_everything || m_cyclic) {
        recomputeAll(graph);
        return m_result;
    }
    const std::unordered_multimap<NodeId, NodeId> holders = referenceHolders(graph);
    if (!ranksStillOrder(graph, holders)) {
        const DependencyOrder order = dependencyOrder(graph);
        if (!order.cyclic.empty()) {
            recomputeAll(graph);
            return m_result;
        }
        rank(order);
    }
    // From the edited nodes downstream, lowest rank first, so that a node is recomputed
    // after everything it depends on. A node is recomputed when it was edited, or something
    // it depends on changed what it hands on: the output shapes of a node wired into it, or
    // anything about a node it references (a tied deconvolution takes its convolution's input
    // channels, kernel, stride and dilation). An edit that changes no shape costs the edited
    // node alone.
    using Ranked = std::pair<std::uint64_t, NodeId>;
    std::priority_queue<Ranked, std::vector<Ranked>, std::greater<>> pending;
    std::unordered_set<NodeId> queued;
    auto enqueue = [&](NodeId id) {
        auto r = m_rank.find(id);
        if (r != m_rank.end() && graph.node(id) && queued.insert(id).second)
            pending.emplace(r->second, id);
    };
    auto enqueueHolders = [&](NodeId target) {
        auto [first, last] = holders.equal_range(target);
        for (auto it = first; it != last; ++it)
            enqueue(it->second);
    };
    for (NodeId id : m_dirty) {
        if (graph.node(id))
            enqueue(id);
        else
            m_touched.push_back(id); // removed
        enqueueHolders(id);
    }
    m_lastRecomputed = 0;
    while (!pending.empty()) {
        const NodeId id = pending.top().second;
        pending.pop();
        const Node& n = *graph.node(id);
        NodeInference fresh = inferNode(graph, n, m_result);
        noteKind(graph, n);
        ++m_lastRecomputed;
        m_touched.push_back(id);
        auto it = m_result.nodes.find(id);
        const bool isNew = it == m_result.nodes.end();
        // Wires hand on outputs; a reference may read the target's inputs too.
        const bool outputsChanged = isNew || it->second.outputs != fresh.outputs;
        const bool inputsChanged = isNew || it->second.inputs != fresh.inputs;
        m_result.totalParams += fresh.paramCount - (isNew ? 0 : it->second.paramCount);
        m_result.nodes[id] = std::move(fresh);
        if (outputsChanged)
            for (const Edge& e : graph.edgesOutOf(id))
                enqueue(e.inNode);
        if (outputsChanged || inputsChanged)
            enqueueHolders(id);
    }
    m_dirty.clear();
    addGraphDiagnostics(graph, DependencyOrder{}, !m_inputs.empty(), !m_losses.empty(), m_result);
    return m_result;
}

// A node's type never changes; a node is noted when first inferred and forgotten when removed.
void IncrementalInference::noteKind(const Graph& graph, const Node& node) {
    if (node.type == "Input")
        m_inputs.insert(node.id);
    if (isLoss(graph, node))
        m_losses.insert(node.id);
}

} // namespace nc::graph
