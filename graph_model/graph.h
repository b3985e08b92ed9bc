#pragma once
// The graph of layer nodes: the single source of truth for a document.
//
// Every edit goes through a method that keeps the graph valid (registered types, unique names,
// existing ports, one edge per input port, no cycles, parameters within their schema) and
// either applies fully and notifies listeners, or refuses with a reason a user can read:
//
//   Graph g;
//   NodeId in = g.addNode("Input").value();
//   NodeId fc = g.addNode("Dense", {200, 0}).value();
//   Status s = g.connect({in, 0, fc, 0});
//   s = g.setParam(fc, "units", std::int64_t(10));
//   if (!s) showError(s.message());
//
// Node references (NodeRef parameters, such as a tied deconvolution's convolution) are
// queried with noderefs.h. Setting one is refused unless it names an existing node of an
// allowed type that does not depend on the holder; removing a referenced node leaves the
// reference dangling (inference reports it, and undoing the removal restores the link).

#include "graphchange.h"
#include "node.h"
#include "core/status.h"
#include "trainingsettings.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace nc::graph {

using nc::core::Result;
using nc::core::Status;

struct LayerSpec;

class Graph {
public:
    using Listener = std::function<void(const GraphChange&)>;
    using ListenerId = int;

    Graph() = default;
    // Copies carry the content, never the listeners.
    Graph(const Graph& other);
    Graph& operator=(const Graph& other);
    Graph(Graph&& other) noexcept;
    Graph& operator=(Graph&& other) noexcept;

    // --- queries
    const Node* node(NodeId id) const;
    const Node* findByName(const std::string& name) const;
    std::vector<NodeId> nodeIds() const; // ascending
    std::size_t nodeCount() const { return m_nodes.size(); }
    std::vector<Edge> edges() const; // ascending
    std::optional<Edge> edgeInto(NodeId node, PortIndex inPort) const;
    const std::vector<Edge>& edgesInto(NodeId node) const;
    const std::vector<Edge>& edgesOutOf(NodeId node) const;
    NodeId nextId() const { return m_nextId; }
    const LayerSpec& specOf(const Node& node) const;
    int inputCount(NodeId id) const;
    int outputCount(NodeId id) const;
    const std::optional<TrainingSettings>& training() const { return m_training; }
    // The nodes that hold a node reference (noderefs.h), ascending: few in any graph, so
    // that "who references X" need not look at every node.
    std::vector<NodeId> referenceHolders() const;

    // The reason an edit would be refused, or ok; the edit itself is not made.
    Status canConnect(const Edge& edge) const;
    Status canSetParam(NodeId id, const std::string& name, const ParamValue& value) const;
    Status canRename(NodeId id, const std::string& name) const;
    // A name based on `base` (e.g. "conv2d") that no node has yet: "conv2d_1", "conv2d_2", ...
    std::string uniqueName(const std::string& base) const;

    // --- edits
    Result<NodeId> addNode(const std::string& type, Position position = {}, std::string name = {});
    // Inserts a node with its id, name and parameters given (loading, undo, paste). Missing
    // parameters take their defaults.
    Status insertNode(Node node);
    Status removeNode(NodeId id);
    Status connect(const Edge& edge);
    Status disconnect(const Edge& edge);
    Status setParam(NodeId id, const std::string& name, ParamValue value);
    Status rename(NodeId id, const std::string& name);
    Status move(NodeId id, Position position);
    void setTraining(std::optional<TrainingSettings> settings);
    // Raises the next id (ids are never reused, also after saving and loading).
    void reserveIdsBelow(NodeId next);
    // Lowers the next id back to `next` when undoing an addition; refused while a node
    // still has an id at or above it.
    Status restoreNextId(NodeId next);

    ListenerId addListener(Listener listener);
    void removeListener(ListenerId id);

private:
    struct Slot {
        Node node;
        std::vector<Edge> in;
        std::vector<Edge> out;
    };

    void indexSlots(); // after m_nodes was copied
    Slot* slot(NodeId id);
    const Slot* slot(NodeId id) const;
    std::string describe(NodeId id) const;
    bool reaches(NodeId from, NodeId to) const;
    Status checkName(const std::string& name, NodeId self) const;
    Status checkParam(const Node& node, const std::string& name, const ParamValue& value) const;
    void notify(const GraphChange& change);

    std::map<NodeId, Slot> m_nodes; // in id order
    // Each node's slot in m_nodes, so that a lookup costs one hash and not a walk down a tree
    // of 100,000 (kept in step by insertNode, removeNode, copies and moves).
    std::unordered_map<NodeId, Slot*> m_slots;
    // name -> id of every node, kept in step with m_nodes by insertNode, removeNode and rename
    // (undo goes through them too), so that loading n nodes is not O(n^2).
    std::unordered_map<std::string, NodeId> m_byName;
    std::unordered_set<NodeId> m_holders; // nodes holding a node reference (noderefs.h)
    NodeId m_nextId = 1;
    std::optional<TrainingSettings> m_training;
    std::vector<std::pair<ListenerId, Listener>> m_listeners;
    ListenerId m_nextListener = 1;
};

// `Conv2D "conv1"`: how messages name a node.
std::string describeNode(const Node& node);

// Checks a node name: 1 to 64 bytes of valid UTF-8 without control characters or
// surrounding spaces.
Status validateNodeName(const std::string& name);

} // namespace nc::graph
