#include "weightscommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"
#include "outputcheck.h"

#include "engine/npz.h"

#include <iostream>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli weights GRAPH --weights FILE --npz OUT.npz\n"
    "\n"
    "Writes the weights of GRAPH, read from a checkpoint or any safetensors file with the\n"
    "graph's tensor names (PyTorch state-dict names: conv1.weight, lstm.weight_ih_l0, ...),\n"
    "as a NumPy .npz archive: numpy.load(\"OUT.npz\")[\"conv1.weight\"]. Buffers such as\n"
    "batch norm's running statistics are included; optimizer state is not. The weights are\n"
    "checked against the graph first: a missing tensor or a wrong shape is named.\n"
    "\n"
    NETCANVAS_FORCE_HELP
    "\n"
    "Exit status: 0 success, 1 invalid graph or weights, 2 usage or I/O error.\n";

} // namespace

int runWeights(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done =
            parseCommandLine("weights", args, {"weights", "npz"}, {"force"}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 1 || !o.has("weights") || !o.has("npz")) {
        printError("weights", "needs GRAPH, --weights FILE and --npz OUT.npz (see --help)");
        return kExitUsage;
    }
    nc::core::OutputPlan plan(o.has("force"));
    plan.input(o.positionals()[0], "GRAPH");
    plan.input(o.text("weights"), "--weights");
    plan.output(o.text("npz"), "--npz");
    if (std::optional<int> refused = refuseOutputs("weights", plan))
        return *refused;
    ModelSetup setup = compileGraphFile("weights", o.positionals()[0]);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    if (int code = applyWeightsFile("weights", o.text("weights"), model); code != kExitOk)
        return code;
    std::vector<std::pair<std::string, const nc::engine::Tensor*>> tensors;
    std::int64_t values = 0;
    for (const nc::engine::Parameter& p : model.params().all()) {
        tensors.emplace_back(p.name, &p.value);
        values += p.value.size();
    }
    const std::string out = o.text("npz");
    if (Status s = nc::engine::writeNpz(out, tensors); !s)
        return reportFailure("weights", s);
    std::cout << "wrote " << tensors.size() << " tensors (" << values << " values) to " << out
              << '\n';
    return kExitOk;
}

} // namespace nc::cli
