#include "pytorchexport.h"
#include "pythonnames.h"

#include "core/atomicwrite.h"
#include "core/utf8.h"
#include "engine/safetensors.h"
#include "graph_model/graphjson.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace nc::engine {

namespace {

using nc::core::Status;

// Every name from the user goes in as pythonCommentText: one line of printable ASCII.
std::string readme(const std::string& graphName, const nc::graph::TrainingSettings& t) {
    return "# " + pythonCommentText(graphName) +
           " in PyTorch\n\n"
           "Exported by NetCanvas (`netcanvas-cli export --pytorch`).\n\n"
           "- `model.py`: the network as an `nn.Module` (`Model`), layers named as in the "
           "graph;\n  `python3 model.py` prints its outputs for a fixed input with the "
           "exported weights.\n"
           "- `weights.safetensors`: the weights, PyTorch state-dict names; `model.py` reads "
           "them\n  without the safetensors package (`load_weights(Model(), path)`).\n"
           "- `train.py`: trains with the training settings of `graph.json` (the NetCanvas "
           "graph;\n  " +
           pythonCommentText(t.optimizer) + ", lr " + nlohmann::json(t.lr).dump() + ", " +
           pythonCommentText(t.schedule) + " schedule, batch " + std::to_string(t.batch) + ", " +
           std::to_string(t.epochs) +
           " epochs).\n\n"
           "```\n"
           "python3 model.py\n"
           "python3 train.py --data mnist:/path/to/mnist --epochs 1\n"
           "torchrun --nproc_per_node=2 train.py --data mnist:/path/to/mnist --epochs 1\n"
           "torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --nproc_per_node=8 train.py\n"
           "```\n\n"
           "On Debian 12 (PyTorch 1.13, Python 3.11) give torchrun `--redirects 1 --tee 1`: "
           "its default\nof 0 fails there before any worker starts.\n\n"
           "Under `torchrun` each process trains on its share of every batch with\n"
           "`DistributedDataParallel`: NCCL on GPUs, gloo on CPUs. `--batch` is the global "
           "batch.\n"
           "train.py reads `mnist:DIR` and `npz:FILE` (arrays `x` and `y`), and `data.npz` "
           "beside it\nby default: `netcanvas-cli export GRAPH --pytorch DIR --data SPEC` "
           "writes any data spec\nNetCanvas reads there. The graph's data spec is `" +
           pythonCommentText(t.data) +
           "`.\n`--max-steps N` stops each epoch after N batches. The trained weights go to "
           "`trained/weights.safetensors`, "
           "which NetCanvas\nloads back (File > Load Weights, or `--weights`).\n";
}

} // namespace

Status exportPytorch(const Model& model, const std::string& graphName, const std::string& dir) {
    auto source = pytorchModelSource(model, graphName);
    if (!source)
        return source.status();
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error)
        return Status::ioError("cannot create the folder " + dir + ": " + error.message());
    const nc::graph::TrainingSettings settings =
        model.graph().training() ? *model.graph().training() : nc::graph::TrainingSettings{};
    const std::filesystem::path folder(dir);
    std::vector<std::pair<std::string, const Tensor*>> tensors;
    for (const Parameter& p : model.params().all())
        tensors.emplace_back(p.name, &p.value);
    const char* const* name = std::begin(kPytorchProjectFiles);
    if (Status s = writeSafetensors((folder / *name++).string(), tensors,
                                    {{"graph", nc::core::escapeInvalidUtf8(graphName)}});
        !s)
        return s;
    const std::string texts[] = {source.value(), kPytorchTrainSource,
                                 nc::graph::graphToJson(model.graph()),
                                 readme(graphName, settings)};
    static_assert(std::size(texts) + 1 == std::size(kPytorchProjectFiles));
    for (const std::string& text : texts)
        if (Status s = nc::core::writeFileAtomically((folder / *name++).string(), text); !s)
            return s;
    return Status::ok();
}

} // namespace nc::engine
