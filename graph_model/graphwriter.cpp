#include "graphjson.h"

#include "core/atomicwrite.h"
#include "jsonstyle.h"
#include "layerregistry.h"

namespace nc::graph {

namespace {

OrderedJson paramToJson(const ParamValue& value) {
    struct Visitor {
        OrderedJson operator()(std::monostate) const { return nullptr; }
        OrderedJson operator()(bool v) const { return v; }
        OrderedJson operator()(std::int64_t v) const { return v; }
        OrderedJson operator()(double v) const { return v; }
        OrderedJson operator()(const std::string& v) const { return v; }
        OrderedJson operator()(const IntList& v) const { return OrderedJson(v); }
    };
    return std::visit(Visitor{}, value);
}

OrderedJson trainingToJson(const TrainingSettings& t) {
    OrderedJson j = OrderedJson::object();
    j["data"] = t.data;
    j["val_split"] = t.valSplit;
    j["epochs"] = t.epochs;
    j["batch"] = t.batch;
    j["optimizer"] = t.optimizer;
    j["lr"] = t.lr;
    j["momentum"] = t.momentum;
    j["weight_decay"] = t.weightDecay;
    if (t.clipGradNorm > 0.0) // off is the default and left out
        j["clip_grad_norm"] = t.clipGradNorm;
    j["schedule"] = t.schedule;
    j["seed"] = t.seed;
    if (t.threads != 0) // 0, every core, is the default and left out
        j["threads"] = t.threads;
    return j;
}

} // namespace

std::string graphToJson(const Graph& graph) {
    OrderedJson root = OrderedJson::object();
    root["format"] = "netcanvas-graph";
    root["version"] = kGraphFormatVersion;
    root["next_id"] = graph.nextId();
    OrderedJson nodes = OrderedJson::array();
    for (NodeId id : graph.nodeIds()) {
        const Node& n = *graph.node(id);
        OrderedJson j = OrderedJson::object();
        j["id"] = n.id;
        j["type"] = n.type;
        j["name"] = n.name;
        j["position"] = OrderedJson::array({n.position.x, n.position.y});
        OrderedJson params = OrderedJson::object();
        for (const auto& [key, value] : n.params.entries())
            params[key] = paramToJson(value);
        j["params"] = std::move(params);
        nodes.push_back(std::move(j));
    }
    root["nodes"] = std::move(nodes);
    OrderedJson edges = OrderedJson::array();
    for (const Edge& e : graph.edges()) {
        const Node& out = *graph.node(e.outNode);
        const Node& in = *graph.node(e.inNode);
        OrderedJson j = OrderedJson::object();
        j["from"] =
            OrderedJson::array({e.outNode, graph.specOf(out).outputs[std::size_t(e.outPort)].name});
        j["to"] = OrderedJson::array({e.inNode, graph.specOf(in).inputName(e.inPort)});
        edges.push_back(std::move(j));
    }
    root["edges"] = std::move(edges);
    if (graph.training())
        root["training"] = trainingToJson(*graph.training());
    return formatJson(root);
}

Status saveGraphFile(const Graph& graph, const std::string& path) {
    return nc::core::writeFileAtomically(path, graphToJson(graph));
}

} // namespace nc::graph
