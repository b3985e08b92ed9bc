#include "onnxcommands.h"

#include "exitcodes.h"
#include "graphloading.h"

#include "options.h"
#include "outputcheck.h"

#include "core/atomicwrite.h"
#include "engine/export/onnxexport.h"
#include "engine/export/onnximport.h"
#include "engine/model.h"
#include "engine/safetensors.h"
#include "graph_model/graphjson.h"

#include <iostream>
#include <map>

namespace nc::cli {

int writeOnnxFile(const nc::engine::Model& model, const std::string& graphName,
                  const std::string& path) {
    auto exported = nc::engine::exportOnnx(model, graphName);
    if (!exported) {
        printError("export", exported.message());
        return kExitInvalid;
    }
    if (nc::core::Status s = nc::core::writeFileAtomically(path, exported.value().bytes); !s)
        return reportFailure("export", s);
    for (const std::string& note : exported.value().notes)
        std::cout << "note: " << note << '\n';
    std::cout << "wrote " << path << " (" << exported.value().bytes.size() << " bytes; input "
              << exported.value().inputs.front() << ", outputs";
    for (const std::string& name : exported.value().outputs)
        std::cout << ' ' << name;
    std::cout << ")\n";
    return kExitOk;
}

namespace {

const char* const kImportHelp =
    "usage: netcanvas-cli import MODEL.onnx --out GRAPH.json --weights OUT.safetensors\n"
    "\n"
    "Reads an ONNX model (for instance from torch.onnx.export) as an editable NetCanvas graph,\n"
    "laid out in columns, with its weights under the graph's names (conv1.weight, ...).\n"
    "Conv, ConvTranspose, the pools, Gemm and MatMul+Add, the activations, Flatten and\n"
    "Reshape (also PyTorch's Shape/Gather/Concat chains), Concat, Add, Dropout,\n"
    "BatchNormalization, Resize/Upsample, LSTM, GRU and RNN import; any other operator is\n"
    "refused with its name and node. The graph has no loss: add one to train it.\n"
    "Both outputs are checked before either is written.\n"
    "\n"
    NETCANVAS_FORCE_HELP
    "\n"
    "Exit status: 0 success, 1 a model NetCanvas cannot import, 2 usage or I/O error.\n";

} // namespace

int runImport(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done =
            parseCommandLine("import", args, {"out", "weights"}, {"force"}, kImportHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 1 || !o.has("out") || !o.has("weights")) {
        printError("import", "needs MODEL.onnx, --out GRAPH.json and --weights OUT.safetensors "
                             "(see --help)");
        return kExitUsage;
    }
    const std::string path = o.positionals()[0];
    nc::core::OutputPlan plan(o.has("force"));
    plan.input(path, "MODEL.onnx");
    plan.output(o.text("out"), "--out");
    plan.output(o.text("weights"), "--weights");
    if (std::optional<int> refused = refuseOutputs("import", plan))
        return *refused;
    auto bytes = nc::engine::readOnnxFile(path);
    if (!bytes)
        return reportFailure("import", bytes.status());
    auto imported = nc::engine::importOnnx(bytes.value(), path);
    std::string().swap(bytes.value()); // the weights are copied out: memory near the file's size
    if (!imported) {
        printError("import", imported.message());
        return kExitInvalid;
    }
    // The weights in the compiled graph's order, each checked against its parameter.
    auto model = nc::engine::Model::compile(imported.value().graph);
    if (!model) {
        printError("import", path + ": the imported graph does not compile: " + model.message());
        return kExitInvalid;
    }
    std::map<std::string, const nc::engine::Tensor*> byName;
    for (const auto& [name, tensor] : imported.value().weights)
        byName[name] = &tensor;
    std::vector<std::pair<std::string, const nc::engine::Tensor*>> tensors;
    for (const nc::engine::Parameter& p : model.value().params().all()) {
        auto found = byName.find(p.name);
        if (found == byName.end() || found->second->size() != p.value.size()) {
            printError("import", path + ": no weights of the right size for " + p.name);
            return kExitInvalid;
        }
        tensors.emplace_back(p.name, found->second);
    }
    if (Status s = nc::engine::writeSafetensors(o.text("weights"), tensors, {{"source", path}}); !s)
        return reportFailure("import", s);
    if (Status s = nc::graph::saveGraphFile(imported.value().graph, o.text("out")); !s)
        return reportFailure("import", s);
    for (const std::string& note : imported.value().notes)
        std::cout << "note: " << note << '\n';
    std::cout << "imported " << imported.value().graph.nodeCount() << " nodes into "
              << o.text("out") << " and " << tensors.size() << " tensors into " << o.text("weights")
              << '\n';
    return kExitOk;
}

} // namespace nc::cli
