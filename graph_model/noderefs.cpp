#include "noderefs.h"

#include "layerregistry.h"

#include <algorithm>

namespace nc::graph {

std::vector<NodeReference> nodeReferences(const Node& node) {
    std::vector<NodeReference> refs;
    const LayerSpec* spec = LayerRegistry::instance().find(node.type);
    if (!spec)
        return refs;
    for (const ParamSpec& p : spec->params) {
        if (p.kind != ParamKind::NodeRef)
            continue;
        const ParamValue* value = node.params.find(p.name);
        if (const auto* target = value ? std::get_if<std::int64_t>(value) : nullptr)
            refs.push_back({node.id, p.name, NodeId(*target)});
    }
    return refs;
}

NodeId referencedId(const Node& node, const std::string& param) {
    for (const NodeReference& r : nodeReferences(node))
        if (r.param == param)
            return r.target;
    return kNoNode;
}

const Node* referencedNode(const Graph& graph, const Node& node, const std::string& param) {
    const NodeId target = referencedId(node, param);
    return target == kNoNode ? nullptr : graph.node(target);
}

std::vector<NodeReference> referencesTo(const Graph& graph, NodeId target) {
    std::vector<NodeReference> result;
    for (NodeId id : graph.referenceHolders())
        for (NodeReference& r : nodeReferences(*graph.node(id)))
            if (r.target == target)
                result.push_back(std::move(r));
    return result;
}

bool refAllows(const ParamSpec& spec, const std::string& type) {
    return std::find(spec.refTypes.begin(), spec.refTypes.end(), type) != spec.refTypes.end();
}

std::string describeRefTypes(const ParamSpec& spec) {
    std::string text;
    for (std::size_t i = 0; i < spec.refTypes.size(); ++i) {
        if (i > 0)
            text += i + 1 == spec.refTypes.size() ? " or " : ", ";
        text += spec.refTypes[i];
    }
    return text;
}

} // namespace nc::graph
