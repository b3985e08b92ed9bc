#include "probecommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"
#include "outputcheck.h"
#include "statsjson.h"

#include "engine/backendlist.h"
#include "engine/data/dataspec.h"
#include "engine/npy.h"
#include "engine/probe/edgeprobe.h"
#include "engine/probe/tensorstats.h"

#include "graph_model/layerregistry.h"

#include <nlohmann/json.hpp>

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
    "Input.y and the losses see the sample's own target from the data set.\n"
    "\n"
    "  --weights FILE   a checkpoint (.safetensors) of this graph, or the weights file\n"
    "                   `import` wrote (with no tensors for a graph without parameters)\n"
    "  --edge NODE:PORT a node name or id, and optionally its output port (name or index)\n"
    "  --input SPEC#I   sample I of a data spec, e.g. synthetic:digits#7\n"
    "  --npy FILE       also write the tensor (batch of 1) as a NumPy .npy file\n"
    "  --mode           eval (default) or train (dropout and batch statistics act)\n"
    "  --device D       cpu (default), cuda or cuda:N\n"
    NETCANVAS_FORCE_HELP
    "\n"
    "Exit status: 0 success, 1 invalid graph, weights or data, 2 usage or I/O error.\n";

} // namespace

int runProbe(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done =
            parseCommandLine("probe", args, {"weights", "edge", "input", "npy", "mode", "device"},
                             {"json", "force"}, kHelp, parsed))
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
    if (o.has("npy")) {
        nc::core::OutputPlan plan(o.has("force"));
        plan.input(o.positionals()[0], "GRAPH");
        plan.input(o.text("weights"), "--weights");
        plan.input(dataSpecPath(spec), "--input");
        plan.output(o.text("npy"), "--npy");
        if (std::optional<int> refused = refuseOutputs("probe", plan))
            return *refused;
    }
    ModelSetup setup = compileGraphFile("probe", o.positionals()[0]);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    auto edge = nc::engine::parseEdgeRef(model.graph(), o.text("edge"));
    if (!edge) {
        printError("probe", "--edge: " + edge.message());
        return kExitUsage;
    }
    if (int code = applyWeightsFile("probe", o.text("weights"), model); code != kExitOk)
        return code;
    auto data = nc::engine::loadSample(spec, inputSampleDims(model), index);
    if (!data)
        return reportFailure("probe", data.status());
    nc::engine::Tensor x, y;
    const std::int64_t row = 0;
    data.value().gather(&row, 1, x, y);
    auto backend = nc::engine::createBackend(o.text("device", "cpu"));
    if (!backend) {
        printError("probe", backend.message());
        return kExitUsage;
    }
    nc::engine::ProbeOptions options;
    options.mode = mode == "train" ? nc::engine::Mode::Train : nc::engine::Mode::Eval;
    options.targets = y; // Input.y and the losses see the sample's own target
    auto probed =
        nc::engine::probeEdges(model, *backend.value(), x, std::span(&edge.value(), 1), options);
    if (!probed) {
        printError("probe", probed.message());
        return kExitInvalid;
    }
    const nc::engine::Tensor& value = probed.value()[0];
    const nc::engine::TensorStats s =
        nc::engine::tensorStats(value, nc::engine::saturationBandOf(model, edge.value()));
    const nc::graph::Node& node = *model.graph().node(edge.value().node);
    const std::string portName =
        model.graph().specOf(node).outputs[std::size_t(edge.value().port)].name;
    const nc::engine::Dims perSample(value.dims().begin() + 1, value.dims().end());
    if (o.has("json")) {
        nlohmann::ordered_json j;
        j["node"] = node.name;
        j["port"] = portName;
        j["shape"] = perSample;
        addStats(j, s);
        std::cout << j.dump() << '\n';
    } else {
        std::printf("%s.%s for %s#%lld (%s mode)\n", node.name.c_str(), portName.c_str(),
                    spec.c_str(), static_cast<long long>(index), mode.c_str());
        std::printf(
            "shape %s  min %.6g  max %.6g  mean %.6g  std %.6g  zeros %.1f%%  non-finite %lld\n",
            nc::engine::formatDims(perSample).c_str(), s.min, s.max, s.mean, s.stddev,
            100 * s.zeroShare, static_cast<long long>(s.nonFinite));
    }
    if (o.has("npy"))
        if (Status st = nc::engine::writeNpy(o.text("npy"), value); !st) {
            printError("probe", st.message());
            return kExitUsage;
        }
    return kExitOk;
}

} // namespace nc::cli
