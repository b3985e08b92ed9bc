#include "edgeref.h"

#include "core/numberparse.h"
#include "graph_model/layerregistry.h"

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

Result<EdgeRef> parseEdgeRef(const nc::graph::Graph& graph, const std::string& text) {
    const std::size_t colon = text.rfind(':');
    const std::string nodeText = colon == std::string::npos ? text : text.substr(0, colon);
    const std::string portText = colon == std::string::npos ? "" : text.substr(colon + 1);
    const nc::graph::Node* node = graph.findByName(nodeText);
    if (!node)
        if (Result<std::int64_t> id = nc::core::parseInt64(nodeText, "edge", 1); id)
            node = graph.node(id.value());
    if (!node)
        return Status::error("no node named or numbered \"" + nodeText + "\"");
    const auto& outputs = graph.specOf(*node).outputs;
    if (outputs.empty())
        return Status::error(node->name + " has no outputs to probe");
    if (portText.empty())
        return EdgeRef{node->id, 0};
    for (std::size_t i = 0; i < outputs.size(); ++i)
        if (outputs[i].name == portText || std::to_string(i) == portText)
            return EdgeRef{node->id, nc::graph::PortIndex(i)};
    std::string names;
    for (const auto& p : outputs)
        names += (names.empty() ? "" : ", ") + p.name;
    return Status::error(node->name + " has no output \"" + portText + "\" (outputs: " + names +
                         ")");
}

std::string describeEdge(const nc::graph::Graph& graph, EdgeRef edge) {
    const nc::graph::Node* node = graph.node(edge.node);
    if (!node)
        return "node " + std::to_string(edge.node);
    const auto& outputs = graph.specOf(*node).outputs;
    const std::size_t port = std::size_t(edge.port);
    return node->name + "." + (port < outputs.size() ? outputs[port].name : std::to_string(port));
}

} // namespace nc::engine
