#include "clipboard.h"
#include "commands/replay.h"

#include "graph_model/graphjson.h"
#include "graph_model/noderefs.h"

#include <algorithm>
#include <map>

namespace nc::ui {

using namespace nc::graph;

std::string copyNodes(const Graph& graph, const std::vector<NodeId>& ids) {
    Graph part;
    for (NodeId id : ids)
        if (const Node* n = graph.node(id))
            replayed(part.insertNode(*n));
    for (NodeId id : ids)
        for (const Edge& e : graph.edgesOutOf(id))
            if (part.node(e.inNode))
                replayed(part.connect(e));
    return graphToJson(part);
}

Result<PastePlan> planPaste(const Graph& target, const std::string& text, Position offset) {
    Result<Graph> copied = graphFromJson(text, "clipboard");
    if (!copied)
        return Status::error(copied.message());
    const Graph& source = copied.value();
    PastePlan plan;
    std::map<NodeId, NodeId> fresh;
    NodeId next = target.nextId();
    std::vector<std::string> taken;
    auto nameFree = [&](const std::string& name) {
        return !target.findByName(name) &&
               std::find(taken.begin(), taken.end(), name) == taken.end();
    };
    for (NodeId id : source.nodeIds()) {
        Node node = *source.node(id);
        fresh[id] = next;
        node.id = next++;
        std::string name = node.name;
        for (int n = 2; !nameFree(name); ++n)
            name = node.name + "_" + std::to_string(n);
        node.name = name;
        taken.push_back(name);
        node.position = {node.position.x + offset.x, node.position.y + offset.y};
        plan.nodes.push_back(std::move(node));
    }
    // References follow their targets to the pasted copies; one whose target is neither
    // pasted nor in `target` is cleared; one naming a node of `target` is kept.
    for (Node& node : plan.nodes)
        for (const NodeReference& r : nodeReferences(node)) {
            if (auto copy = fresh.find(r.target); copy != fresh.end())
                node.params.set(r.param, copy->second);
            else if (!target.node(r.target))
                node.params.set(r.param, std::monostate{});
        }
    for (const Edge& e : source.edges())
        plan.edges.push_back({fresh[e.outNode], e.outPort, fresh[e.inNode], e.inPort});
    return plan;
}

} // namespace nc::ui
