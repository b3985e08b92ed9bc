#include "exportcommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"

#include "core/atomicwrite.h"
#include "engine/export/onnxexport.h"

#include <filesystem>
#include <iostream>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli export GRAPH --weights FILE --onnx OUT.onnx\n"
    "\n"
    "Writes GRAPH with the weights in FILE (a checkpoint, or safetensors with the graph's\n"
    "PyTorch-style names) as an ONNX model (opset 17) for inference, with a symbolic batch\n"
    "dimension, checked by ONNX's checker and strict shape inference before it is written.\n"
    "The losses are left out: the model's outputs are what fed them (logits for softmax\n"
    "cross-entropy). Dropout becomes the identity and BatchNorm uses its running statistics;\n"
    "the command lists such changes per layer.\n"
    "\n"
    "Exit status: 0 success, 1 invalid graph or weights, or a layer with no ONNX form,\n"
    "2 usage or I/O error.\n";

} // namespace

int runExport(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done =
            parseCommandLine("export", args, {"weights", "onnx"}, {}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 1 || !o.has("weights") || !o.has("onnx")) {
        printError("export", "needs GRAPH, --weights FILE and --onnx OUT.onnx (see --help)");
        return kExitUsage;
    }
    const std::string graphPath = o.positionals()[0];
    ModelSetup setup = compileGraphFile("export", graphPath);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    if (int code = applyWeightsFile("export", o.text("weights"), model); code != kExitOk)
        return code;
    auto exported = nc::engine::exportOnnx(model, std::filesystem::path(graphPath).stem().string());
    if (!exported) {
        printError("export", exported.message());
        return kExitInvalid;
    }
    const std::string out = o.text("onnx");
    if (Status s = nc::core::writeFileAtomically(out, exported.value().bytes); !s)
        return reportFailure("export", s);
    for (const std::string& note : exported.value().notes)
        std::cout << "note: " << note << '\n';
    std::cout << "wrote " << out << " (" << exported.value().bytes.size() << " bytes; input "
              << exported.value().inputs.front() << ", outputs";
    for (const std::string& name : exported.value().outputs)
        std::cout << ' ' << name;
    std::cout << ")\n";
    return kExitOk;
}

} // namespace nc::cli
