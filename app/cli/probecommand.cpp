#include "probecommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"

#include "engine/backendlist.h"
#include "engine/checkpoint.h"
#include "engine/data/dataspec.h"
#include "engine/executor.h"
#include "engine/npy.h"

#include "core/numberparse.h"

#include "graph_model/layerregistry.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli probe GRAPH --weights FILE --edge NODE[:PORT] --input SPEC#INDEX\n"
    "                           [--npy FILE] [--mode eval|train] [--device D] [--json]\n"
    "\n"
    "Runs only what the edge needs, for one input sample, and prints the tensor on that\n"
    "edge: its shape and statistics (min, max, mean, std, zeros, non-finite values).\n"
    "\n"
    "  --weights FILE   a checkpoint (.safetensors) of this graph\n"
    "  --edge NODE:PORT a node name or id, and optionally its output port (name or index)\n"
    "  --input SPEC#I   sample I of a data spec, e.g. synthetic:digits#7\n"
    "  --npy FILE       also write the tensor (batch of 1) as a NumPy .npy file\n"
    "  --mode           eval (default) or train (dropout and batch statistics act)\n"
    "  --device D       cpu (default), cuda or cuda:N\n"
    "\n"
    "Exit status: 0 success, 1 invalid graph, weights or data, 2 usage or I/O error.\n";

// Collects one value, as the executor's observer.
class EdgeTap : public nc::engine::TensorObserver {
public:
    EdgeTap(nc::graph::NodeId node, nc::graph::PortIndex port) : m_node(node), m_port(port) {}
    bool wants(nc::graph::NodeId node, nc::graph::PortIndex port) override {
        return node == m_node && port == m_port;
    }
    void observe(nc::graph::NodeId, nc::graph::PortIndex,
                 const nc::engine::Tensor& value) override {
        m_value = value;
    }
    const nc::engine::Tensor& value() const { return m_value; }

private:
    nc::graph::NodeId m_node;
    nc::graph::PortIndex m_port;
    nc::engine::Tensor m_value;
};

struct EdgeRef {
    nc::graph::NodeId node = nc::graph::kNoNode;
    nc::graph::PortIndex port = 0;
};

Result<EdgeRef> resolveEdge(const nc::graph::Graph& graph, const std::string& text) {
    const std::size_t colon = text.rfind(':');
    const std::string nodeText = colon == std::string::npos ? text : text.substr(0, colon);
    const std::string portText = colon == std::string::npos ? "" : text.substr(colon + 1);
    const nc::graph::Node* node = graph.findByName(nodeText);
    if (!node)
        if (Result<std::int64_t> id = nc::core::parseInt64(nodeText, "--edge", 1); id)
            node = graph.node(id.value());
    if (!node)
        return Status::error("--edge: no node named or numbered \"" + nodeText + "\"");
    const auto& outputs = graph.specOf(*node).outputs;
    EdgeRef ref{node->id, 0};
    if (portText.empty())
        return ref;
    for (std::size_t i = 0; i < outputs.size(); ++i)
        if (outputs[i].name == portText || std::to_string(i) == portText)
            return EdgeRef{node->id, int(i)};
    std::string names;
    for (const auto& p : outputs)
        names += (names.empty() ? "" : ", ") + p.name;
    return Status::error("--edge: " + node->name + " has no output \"" + portText +
                         "\" (outputs: " + names + ")");
}

struct Stats {
    double min = INFINITY, max = -INFINITY, mean = 0, stddev = 0, zeros = 0;
    std::int64_t nonFinite = 0;
};

Stats statistics(const nc::engine::Tensor& t) {
    Stats s;
    double sum = 0, sq = 0;
    std::int64_t finite = 0;
    for (std::int64_t i = 0; i < t.size(); ++i) {
        const double v = t[i];
        if (!std::isfinite(v)) {
            ++s.nonFinite;
            continue;
        }
        ++finite;
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
        sum += v;
        sq += v * v;
        s.zeros += v == 0.0;
    }
    if (finite > 0) {
        s.mean = sum / double(finite);
        s.stddev = std::sqrt(std::max(0.0, sq / double(finite) - s.mean * s.mean));
        s.zeros /= double(finite);
    }
    return s;
}

} // namespace

int runProbe(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done =
            parseCommandLine("probe", args, {"weights", "edge", "input", "npy", "mode", "device"},
                             {"json"}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 1 || !o.has("weights") || !o.has("edge") || !o.has("input")) {
        printError("probe", "needs GRAPH, --weights, --edge and --input (see --help)");
        return kExitUsage;
    }
    const std::string mode = o.text("mode", "eval");
    if (mode != "eval" && mode != "train") {
        printError("probe", "--mode must be eval or train, got '" + mode + "'");
        return kExitUsage;
    }
    auto [spec, index] = nc::engine::splitSampleIndex(o.text("input"));
    if (index < 0) {
        printError("probe", "--input needs SPEC#INDEX, e.g. synthetic:digits#0");
        return kExitUsage;
    }
    ModelSetup setup = compileGraphFile("probe", o.positionals()[0]);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    auto edge = resolveEdge(model.graph(), o.text("edge"));
    if (!edge) {
        printError("probe", edge.message());
        return kExitUsage;
    }
    auto checkpoint = nc::engine::readCheckpoint(o.text("weights"));
    if (!checkpoint)
        return reportFailure("probe", checkpoint.status());
    if (Status s = nc::engine::applyWeights(checkpoint.value(), model); !s) {
        printError("probe", s.message());
        return kExitInvalid;
    }
    auto data = nc::engine::loadDataset(spec, inputSampleDims(model));
    if (!data)
        return reportFailure("probe", data.status());
    if (index >= data.value().size()) {
        printError("probe", spec + " has " + std::to_string(data.value().size()) + " samples; #" +
                                std::to_string(index) + " is past the end");
        return kExitInvalid;
    }
    nc::engine::Tensor x, y;
    data.value().gather(&index, 1, x, y);
    auto backend = nc::engine::createBackend(o.text("device", "cpu"));
    if (!backend) {
        printError("probe", backend.message());
        return kExitUsage;
    }
    if (Status s = nc::engine::moveParametersTo(*backend.value(), model.params()); !s) {
        printError("probe", s.message());
        return kExitInvalid;
    }
    nc::engine::Executor executor(model, *backend.value());
    EdgeTap tap(edge.value().node, edge.value().port);
    nc::engine::RunContext context;
    context.seed = 1;
    context.checkFinite = false;
    context.subgraph = true; // only the edge's ancestors run
    Status run = executor.forward(
        x, y, mode == "train" ? nc::engine::Mode::Train : nc::engine::Mode::Eval, context, &tap);
    if (!run) {
        printError("probe", run.message());
        return kExitInvalid;
    }
    const nc::engine::Tensor& value = tap.value();
    const Stats s = statistics(value);
    const nc::graph::Node& node = *model.graph().node(edge.value().node);
    const std::string portName =
        model.graph().specOf(node).outputs[std::size_t(edge.value().port)].name;
    const nc::engine::Dims perSample(value.dims().begin() + 1, value.dims().end());
    if (o.has("json")) {
        nlohmann::ordered_json j;
        j["node"] = node.name;
        j["port"] = portName;
        j["shape"] = perSample;
        j["min"] = s.min;
        j["max"] = s.max;
        j["mean"] = s.mean;
        j["std"] = s.stddev;
        j["zeros"] = s.zeros;
        j["non_finite"] = s.nonFinite;
        std::cout << j.dump() << '\n';
    } else {
        std::printf("%s.%s for %s#%lld (%s mode)\n", node.name.c_str(), portName.c_str(),
                    spec.c_str(), static_cast<long long>(index), mode.c_str());
        std::printf(
            "shape %s  min %.6g  max %.6g  mean %.6g  std %.6g  zeros %.1f%%  non-finite %lld\n",
            nc::engine::formatDims(perSample).c_str(), s.min, s.max, s.mean, s.stddev,
            100 * s.zeros, static_cast<long long>(s.nonFinite));
    }
    if (o.has("npy"))
        if (Status st = nc::engine::writeNpy(o.text("npy"), value); !st) {
            printError("probe", st.message());
            return kExitUsage;
        }
    return kExitOk;
}

} // namespace nc::cli
