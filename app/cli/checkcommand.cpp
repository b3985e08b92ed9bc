#include "checkcommand.h"

#include "exitcodes.h"
#include "graphloading.h"

#include "engine/ops/opregistry.h"

#include "core/numberparse.h"
#include "graph_model/layerregistry.h"
#include "graph_model/networksummary.h"
#include "graph_model/shapeinference.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace nc::cli {

using namespace nc::graph;
using Json = nlohmann::ordered_json;

const char* const kCheckHelp =
    "usage: netcanvas-cli check GRAPH [--json] [--summary [--batch B] [--csv]]\n"
    "\n"
    "Loads a graph file and prints, for each node, its id, name, type, output shape(s) and\n"
    "parameter count, then the total and every diagnostic.\n"
    "\n"
    "  --json      one JSON object per node, then a summary object with total_params, valid\n"
    "              and diagnostics\n"
    "  --summary   the network summary: per layer output, parameters, multiply-adds and\n"
    "              activation memory per sample; totals, training memory at the batch size\n"
    "              (--batch B, default the graph's) and warnings about the design, as a\n"
    "              Markdown table (--csv: CSV; with --json: one JSON object)\n"
    "\n"
    "Exit status: 0 valid, 1 the graph is invalid, 2 usage or I/O error.\n";

namespace {

std::string outputsText(const Graph& graph, const Node& node, const NodeInference& inf) {
    const LayerSpec& spec = graph.specOf(node);
    if (spec.outputs.size() == 1)
        return formatShape(inf.outputs[0]);
    std::string text;
    for (std::size_t i = 0; i < spec.outputs.size(); ++i)
        text += (i ? ", " : "") + spec.outputs[i].name + " " + formatShape(inf.outputs[i]);
    return text;
}

Json diagnosticJson(const Diagnostic& d) {
    Json j = Json::object();
    j["severity"] = severityName(d.severity);
    j["node"] = d.node == kNoNode ? Json(nullptr) : Json(d.node);
    j["port"] = d.inPort ? Json(*d.inPort) : Json(nullptr);
    j["message"] = d.message;
    return j;
}

void printJson(const Graph& graph, const InferenceResult& result,
               const std::vector<std::string>& unrunnable) {
    for (NodeId id : graph.nodeIds()) {
        const Node& node = *graph.node(id);
        const NodeInference& inf = *result.node(id);
        const LayerSpec& spec = graph.specOf(node);
        Json j = Json::object();
        j["id"] = id;
        j["name"] = node.name;
        j["type"] = node.type;
        Json outputs = Json::object();
        for (std::size_t i = 0; i < spec.outputs.size(); ++i)
            outputs[spec.outputs[i].name] = inf.outputs[i] ? Json(*inf.outputs[i]) : Json(nullptr);
        j["outputs"] = std::move(outputs);
        j["params"] = inf.paramCount;
        Json diagnostics = Json::array();
        for (const Diagnostic& d : inf.diagnostics)
            diagnostics.push_back(diagnosticJson(d));
        j["diagnostics"] = std::move(diagnostics);
        std::cout << j.dump() << '\n';
    }
    Json summary = Json::object();
    summary["total_params"] = result.totalParams;
    summary["valid"] = result.valid();
    Json diagnostics = Json::array();
    for (const Diagnostic& d : result.diagnostics())
        diagnostics.push_back(diagnosticJson(d));
    for (const std::string& line : unrunnable)
        diagnostics.push_back(
            {{"severity", "warning"}, {"message", line + "; train will refuse it"}});
    summary["diagnostics"] = std::move(diagnostics);
    std::cout << summary.dump() << '\n';
}

void printTable(const std::string& path, const Graph& graph, const InferenceResult& result,
                const std::vector<std::string>& unrunnable) {
    std::printf("%s\n", path.c_str());
    std::printf("%5s  %-20s %-20s %-28s %12s\n", "id", "name", "type", "output", "params");
    for (NodeId id : graph.nodeIds()) {
        const Node& node = *graph.node(id);
        const NodeInference& inf = *result.node(id);
        std::printf("%5lld  %-20s %-20s %-28s %12s\n", static_cast<long long>(id),
                    node.name.c_str(), node.type.c_str(), outputsText(graph, node, inf).c_str(),
                    formatCount(inf.paramCount).c_str());
    }
    std::printf("total parameters: %s\n", formatCount(result.totalParams).c_str());
    std::vector<Diagnostic> diagnostics = result.diagnostics();
    if (diagnostics.empty() && unrunnable.empty())
        std::printf("no problems found\n");
    for (const Diagnostic& d : diagnostics)
        std::printf("%s: %s\n", severityName(d.severity), d.message.c_str());
    // Valid designs the engine cannot train yet: a warning, so drafting them stays possible.
    for (const std::string& line : unrunnable)
        std::printf("warning: %s; train will refuse it\n", line.c_str());
}

void printSummary(const NetworkSummary& s, bool json, bool csv) {
    if (csv) {
        std::cout << summaryCsv(s);
        return;
    }
    if (!json) {
        std::cout << summaryMarkdown(s);
        return;
    }
    Json layers = Json::array();
    for (const LayerSummary& l : s.layers)
        layers.push_back({{"id", l.id},
                          {"name", l.name},
                          {"type", l.type},
                          {"output", l.output},
                          {"params", l.params},
                          {"multiply_adds", l.multiplyAdds},
                          {"activations", l.activations},
                          {"activation_bytes", 4 * l.activations}});
    Json warnings = Json::array();
    for (const SummaryWarning& w : s.warnings)
        warnings.push_back({{"node", w.node}, {"message", w.message}});
    std::cout << Json{{"layers", layers},
                      {"params", s.params},
                      {"multiply_adds", s.multiplyAdds},
                      {"activations_per_sample", s.activations},
                      {"training_memory",
                       {{"batch", s.memory.batch},
                        {"optimizer", s.memory.optimizer},
                        {"weights", s.memory.weightBytes},
                        {"gradients", s.memory.gradientBytes},
                        {"optimizer_state", s.memory.optimizerBytes},
                        {"activations", s.memory.activationBytes},
                        {"total", s.memory.total()}}},
                      {"warnings", warnings}}
                     .dump(2)
              << '\n';
}

} // namespace

int runCheck(const std::vector<std::string>& args) {
    std::string path;
    bool json = false, summary = false, csv = false;
    std::int64_t batch = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << kCheckHelp;
            return kExitOk;
        }
        if (arg == "--json") {
            json = true;
        } else if (arg == "--summary") {
            summary = true;
        } else if (arg == "--csv") {
            csv = true;
        } else if (arg == "--batch") {
            auto parsed = i + 1 < args.size()
                              ? nc::core::parseInt64(args[++i], "--batch", 1, 1 << 24)
                              : nc::core::Result<std::int64_t>(
                                    nc::core::Status::error("--batch needs a number"));
            if (!parsed) {
                std::cerr << "netcanvas-cli check: " << parsed.message() << '\n';
                return kExitUsage;
            }
            batch = parsed.value();
        } else if (!arg.empty() && arg[0] == '-') {
            std::cerr << "netcanvas-cli check: unknown option '" << arg << "' (see --help)\n";
            return kExitUsage;
        } else if (path.empty()) {
            path = arg;
        } else {
            std::cerr << "netcanvas-cli check: expected one GRAPH file, got '" << path << "' and '"
                      << arg << "'\n";
            return kExitUsage;
        }
    }
    if (path.empty()) {
        std::cerr << "netcanvas-cli check: missing GRAPH file (see --help)\n";
        return kExitUsage;
    }
    LoadedGraph loaded = loadGraphForCommand("check", path);
    if (!loaded.graph)
        return loaded.exitCode;
    const Graph& graph = *loaded.graph;
    InferenceResult result = inferShapes(graph);
    const std::vector<std::string> unrunnable = nc::engine::unrunnableNodes(graph);
    if (summary) {
        printSummary(summarizeNetwork(graph, result, batch), json, csv);
        return result.valid() ? kExitOk : kExitInvalid;
    }
    if (json)
        printJson(graph, result, unrunnable);
    else
        printTable(path, graph, result, unrunnable);
    return result.valid() ? kExitOk : kExitInvalid;
}

} // namespace nc::cli
