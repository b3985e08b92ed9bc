// netcanvas-cli: the headless face of NetCanvas (DESIGN.md section 5).

#include "benchcommand.h"
#include "checkcommand.h"
#include "devicescommand.h"
#include "exitcodes.h"
#include "exportcommand.h"
#include "onnxcommands.h"
#include "probecommand.h"
#include "samplecommand.h"
#include "traincommand.h"
#include "visualizecommand.h"
#include "weightscommand.h"

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

namespace {

const char* const kUsage =
    "usage: netcanvas-cli COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  check GRAPH [--json]   shapes, parameter counts and diagnostics per node\n"
    "  train GRAPH --data SPEC [options]\n"
    "                         train, with a checkpoint and metrics in a run folder\n"
    "  probe GRAPH --weights FILE --edge NODE[:PORT] --input SPEC#INDEX\n"
    "                         the tensor on one edge for one input\n"
    "  visualize activations|filters|reconstructions|confusion|saliency GRAPH [options]\n"
    "                         the app's pictures of a network, as PNG files\n"
    "  sample RUN_DIR [--prime TEXT] [--length N] [--temperature T]\n"
    "                         text from a trained character-level model\n"
    "  weights GRAPH --weights FILE --npz OUT.npz\n"
    "                         the weights as a NumPy archive\n"
    "  export GRAPH --weights FILE [--onnx OUT.onnx] [--pytorch OUT_DIR]\n"
    "                         the trained network as ONNX, or as a PyTorch project\n"
    "  import MODEL.onnx --out GRAPH.json --weights OUT.safetensors\n"
    "                         an ONNX model as an editable graph with its weights\n"
    "  bench [--json]         training and inference speed of the seed networks\n"
    "\n"
    "Options:\n"
    "  --help      this text (COMMAND --help: that command's)\n"
    "  --version   the version\n"
    "\n"
    "Exit status: 0 success, 1 invalid graph or data, 2 usage or I/O error.\n";

} // namespace

int main(int argc, char** argv) {
    using namespace nc::cli;
    // Output written through a pipe whose reader left is an I/O error (EPIPE), not a kill.
    std::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return kExitOk;
    }
    if (command == "--version") {
        std::cout << "netcanvas-cli " << NETCANVAS_VERSION << '\n';
        return kExitOk;
    }
    if (command == "check")
        return runCheck(args);
    if (command == "train")
        return runTrain(args);
    if (command == "probe")
        return runProbe(args);
    if (command == "visualize")
        return runVisualize(args);
    if (command == "sample")
        return runSample(args);
    if (command == "weights")
        return runWeights(args);
    if (command == "import")
        return runImport(args);
    if (command == "export")
        return runExport(args);
    if (command == "bench")
        return runBench(args);
    if (command == "devices")
        return runDevices(args);
    std::cerr << "netcanvas-cli: unknown command '" << command << "' (see --help)\n";
    return kExitUsage;
}
