#include "visualizecommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "outputcheck.h"
#include "visualizekinds.h"

#include "engine/backendlist.h"
#include "engine/probe/probeweights.h"

#include <map>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli visualize KIND GRAPH [--weights FILE] [options] [--out FILE.png] "
    "[--json]\n"
    "\n"
    "Draws what the app's views show, with the same code, as a PNG file:\n"
    "  activations  --edge NODE[:PORT] (--input SPEC#I | --image FILE) [--mode eval|train]\n"
    "               [--channel C]   the feature maps (or vector) on an edge; C: one map enlarged\n"
    "  filters      --layer NODE [--channel C]   a Conv2D's, Deconv2D's or image-fed Dense's\n"
    "               weights, a cell per filter (C: one input channel; default the mean, or\n"
    "               colour for RGB filters)\n"
    "  reconstructions [--data SPEC --val-split F --count N]   validation inputs beside the\n"
    "               output of an autoencoder (an MSE loss whose target is the input)\n"
    "  confusion    [--data SPEC --val-split F]   the confusion matrix on the validation set,\n"
    "               with per-class precision and recall in the figures\n"
    "  saliency     (--input SPEC#I | --image FILE) [--class K] [--edge NODE[:PORT]]\n"
    "               the input gradient of class K (default: the predicted class) over the\n"
    "               input; with --edge, Grad-CAM on that conv edge instead\n"
    "\n"
    "  --weights FILE   a checkpoint (.safetensors); without it, the graph's initial weights\n"
    "  --colormap M     gray, viridis, inferno or diverging\n"
    "  --shared         one scale for every map (default: each map its own)\n"
    "  --zero-centred   zero at the middle of the colormap\n"
    "  --scale N        pixels per value (default: chosen from the size)\n"
    "  --columns N      cells per row\n"
    "  --device D       cpu (default), cuda or cuda:N\n"
    "  --json           the figures as one JSON object\n"
    NETCANVAS_FORCE_HELP
    "\n"
    "Exit status: 0 success, 1 invalid graph, weights or data, 2 usage or I/O error.\n";

using Kind = int (*)(const VisualizeRun&);

const std::map<std::string, Kind>& kinds() {
    static const std::map<std::string, Kind> k{
        {"activations", visualizeActivations},
        {"filters", visualizeFilters},
        {"reconstructions", visualizeReconstructions},
        {"confusion", visualizeConfusion},
        {"saliency", visualizeSaliency},
    };
    return k;
}

} // namespace

int runVisualize(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done = parseCommandLine(
            "visualize", args,
            {"weights", "edge", "layer", "input", "image", "mode", "channel", "data", "val-split",
             "count", "class", "colormap", "scale", "columns", "device", "out"},
            {"json", "shared", "zero-centred", "force"}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 2 || !kinds().count(o.positionals()[0])) {
        printError("visualize", "needs KIND GRAPH, KIND one of activations, filters, "
                                "reconstructions, confusion, saliency (see --help)");
        return kExitUsage;
    }
    VisualizeRun run;
    run.kind = o.positionals()[0];
    run.options = &o;
    const std::string command = "visualize " + run.kind;
    ModelSetup setup = compileGraphFile(command, o.positionals()[1]);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    run.model = &model;
    if (o.has("out")) { // after the graph is read: its data spec is an input too
        const auto& settings = model.graph().training();
        nc::core::OutputPlan plan(o.has("force"));
        plan.input(o.positionals()[1], "GRAPH");
        plan.input(o.text("weights"), "--weights");
        plan.input(o.text("image"), "--image");
        plan.input(dataSpecPath(o.text("input")), "--input");
        plan.input(dataSpecPath(o.text("data", settings ? settings->data : std::string())),
                   "the data");
        plan.output(o.text("out"), "--out");
        if (std::optional<int> refused = refuseOutputs(command, plan))
            return *refused;
    }
    if (o.has("weights")) {
        if (int code = applyWeightsFile(command, o.text("weights"), model); code != kExitOk)
            return code;
        run.weightsSource = o.text("weights");
    } else {
        const auto& training = model.graph().training();
        const std::int64_t seed = training ? training->seed : nc::graph::TrainingSettings{}.seed;
        nc::engine::initialWeights(model, std::uint64_t(seed));
        run.weightsSource = "initial weights (seed " + std::to_string(seed) + ")";
    }
    auto backend = nc::engine::createBackend(o.text("device", "cpu"));
    if (!backend) {
        printError(command, backend.message());
        return kExitUsage;
    }
    run.backend = backend.value().get();
    return kinds().at(run.kind)(run);
}

} // namespace nc::cli
