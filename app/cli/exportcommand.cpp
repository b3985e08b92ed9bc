#include "exportcommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"
#include "outputcheck.h"

#include "onnxcommands.h"

#include "engine/export/pytorchdata.h"
#include "engine/export/pytorchexport.h"

#include <filesystem>
#include <iostream>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli export GRAPH --weights FILE [--onnx OUT.onnx]\n"
    "                            [--pytorch OUT_DIR [--data SPEC]]\n"
    "\n"
    "--pytorch writes a PyTorch project: model.py (an nn.Module with the graph's layer\n"
    "names; `python3 model.py` prints its outputs for a fixed input), weights.safetensors,\n"
    "train.py (the graph's optimizer and schedule; DistributedDataParallel\n"
    "under torchrun) and README.md.\n"
    "--data SPEC (any spec `train` takes, synthetic:digits included) also writes the data\n"
    "as OUT_DIR/data.npz (arrays x and y), which train.py reads by default; a set larger\n"
    "than 1 GiB (estimated before it is loaded) is refused.\n"
    "\n"
    "--onnx writes GRAPH with the weights in FILE (a checkpoint, or safetensors with the\n"
    "graph's PyTorch-style names) as an ONNX model (opset 17) for inference, with a symbolic "
    "batch\n"
    "dimension, checked by ONNX's checker and strict shape inference before it is written.\n"
    "The losses are left out: the model's outputs are what fed them (logits for softmax\n"
    "cross-entropy). Dropout becomes the identity and BatchNorm uses its running statistics;\n"
    "the command lists such changes per layer.\n"
    "\n"
    "Every output is checked before any is written: none may be an input of the command,\n"
    "and existing files are replaced only with --force.\n"
    NETCANVAS_FORCE_HELP
    "\n"
    "Exit status: 0 success, 1 invalid graph or weights, or a layer with no ONNX form,\n"
    "2 usage or I/O error.\n";

// Every file the command will write, and what it reads.
nc::core::OutputPlan outputPlan(const Options& o, const std::string& graphPath) {
    nc::core::OutputPlan plan(o.has("force"));
    plan.input(graphPath, "GRAPH");
    plan.input(o.text("weights"), "--weights");
    plan.input(dataSpecPath(o.text("data")), "--data");
    if (o.has("onnx"))
        plan.output(o.text("onnx"), "--onnx");
    if (o.has("pytorch")) {
        const std::filesystem::path dir = o.text("pytorch");
        plan.outputFolder(dir.string(), "--pytorch");
        for (const char* name : nc::engine::kPytorchProjectFiles)
            plan.output((dir / name).string(), std::string(name) + " in --pytorch");
        if (o.has("data"))
            plan.output((dir / nc::engine::kPytorchDataFile).string(),
                        std::string(nc::engine::kPytorchDataFile) + " in --pytorch");
    }
    return plan;
}

} // namespace

int runExport(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done = parseCommandLine(
            "export", args, {"weights", "onnx", "pytorch", "data"}, {"force"}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.has("data") && !o.has("pytorch")) {
        printError("export", "--data goes with --pytorch OUT_DIR (see --help)");
        return kExitUsage;
    }
    if (o.positionals().size() != 1 || !o.has("weights") || (!o.has("onnx") && !o.has("pytorch"))) {
        printError("export", "needs GRAPH, --weights FILE and --onnx OUT.onnx and/or "
                             "--pytorch OUT_DIR (see --help)");
        return kExitUsage;
    }
    const std::string graphPath = o.positionals()[0];
    if (std::optional<int> refused = refuseOutputs("export", outputPlan(o, graphPath)))
        return *refused;
    ModelSetup setup = compileGraphFile("export", graphPath);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    if (int code = applyWeightsFile("export", o.text("weights"), model); code != kExitOk)
        return code;
    const std::string name = std::filesystem::path(graphPath).stem().string();
    // The data before any output: a set that is too large or unreadable leaves nothing written.
    std::optional<nc::engine::Dataset> data;
    if (o.has("data")) {
        auto loaded = nc::engine::loadPytorchData(model, o.text("data"));
        if (!loaded)
            return reportFailure("export", loaded.status());
        data = std::move(loaded).value();
    }
    if (o.has("onnx"))
        if (int code = writeOnnxFile(model, name, o.text("onnx")); code != kExitOk)
            return code;
    if (o.has("pytorch")) {
        const std::string dir = o.text("pytorch");
        if (Status s = nc::engine::exportPytorch(model, name, dir); !s)
            return reportFailure("export", s);
        std::cout << "wrote " << dir
                  << "/{model.py, weights.safetensors, train.py, graph.json, README.md}\n";
        if (data) {
            const std::string path =
                (std::filesystem::path(dir) / nc::engine::kPytorchDataFile).string();
            if (Status s = nc::engine::writePytorchData(*data, path); !s)
                return reportFailure("export", s);
            std::cout << "wrote " << path << "\n";
        }
    }
    return kExitOk;
}

} // namespace nc::cli
