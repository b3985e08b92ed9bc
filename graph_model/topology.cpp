#include "topology.h"

#include "noderefs.h"

#include <unordered_map>

namespace nc::graph {

std::vector<NodeId> directDependencies(const Graph& graph, const Node& node) {
    std::vector<NodeId> deps;
    for (const Edge& e : graph.edgesInto(node.id))
        deps.push_back(e.outNode);
    for (const NodeReference& r : nodeReferences(node))
        if (graph.node(r.target))
            deps.push_back(r.target);
    return deps;
}

DependencyOrder dependencyOrder(const Graph& graph) {
    // Kahn's algorithm over edges plus reference dependencies, visiting ready nodes by
    // ascending id so that the order is deterministic.
    std::vector<NodeId> ids = graph.nodeIds();
    std::unordered_map<NodeId, int> pending;
    std::unordered_map<NodeId, std::vector<NodeId>> dependents;
    pending.reserve(ids.size());
    for (NodeId id : ids) {
        std::vector<NodeId> deps = directDependencies(graph, *graph.node(id));
        pending[id] = int(deps.size());
        for (NodeId dep : deps)
            dependents[dep].push_back(id);
    }
    DependencyOrder result;
    result.order.reserve(ids.size());
    for (NodeId id : ids)
        if (pending[id] == 0)
            result.order.push_back(id);
    for (std::size_t i = 0; i < result.order.size(); ++i) {
        auto it = dependents.find(result.order[i]);
        if (it == dependents.end())
            continue;
        for (NodeId next : it->second)
            if (--pending[next] == 0)
                result.order.push_back(next);
    }
    if (result.order.size() != ids.size())
        for (NodeId id : ids)
            if (pending[id] > 0)
                result.cyclic.push_back(id);
    return result;
}

} // namespace nc::graph
