#include "opregistry.h"

#include "lowerings.h"

namespace nc::engine {

namespace {

constexpr std::string_view kNoCuda = "the CUDA backend is not built yet";
constexpr std::string_view kNoExport = "no exporter is built yet (ONNX and PyTorch come later)";
constexpr std::string_view kRecurrent =
    "the engine has no recurrent kernels yet (SimpleRNN, LSTM and GRU can be drawn and "
    "checked, not trained)";

const OpEntry kEntries[] = {
    {"Input", OpKind::Input, lowerInput, {}, kNoCuda, kNoExport},
    {"Conv2D", OpKind::Conv2D, lowerConv2D, {}, kNoCuda, kNoExport},
    {"Deconv2D", OpKind::Deconv2D, lowerDeconv2D, {}, kNoCuda, kNoExport},
    {"MaxPool2D", OpKind::MaxPool2D, lowerPool2D, {}, kNoCuda, kNoExport},
    {"AvgPool2D", OpKind::AvgPool2D, lowerPool2D, {}, kNoCuda, kNoExport},
    {"GlobalAvgPool2D", OpKind::GlobalAvgPool2D, lowerGlobalAvgPool2D, {}, kNoCuda, kNoExport},
    {"Upscale2D", OpKind::Upscale2D, lowerUpscale2D, {}, kNoCuda, kNoExport},
    {"Dense", OpKind::Dense, lowerDense, {}, kNoCuda, kNoExport},
    {"Activation", OpKind::Activation, lowerActivation, {}, kNoCuda, kNoExport},
    {"Dropout", OpKind::Dropout, lowerDropout, {}, kNoCuda, kNoExport},
    {"BatchNorm", OpKind::BatchNorm, lowerBatchNorm, {}, kNoCuda, kNoExport},
    {"Flatten", OpKind::Reshape, lowerReshape, {}, kNoCuda, kNoExport},
    {"Reshape", OpKind::Reshape, lowerReshape, {}, kNoCuda, kNoExport},
    {"Concat", OpKind::Concat, lowerConcat, {}, kNoCuda, kNoExport},
    {"Add", OpKind::Add, lowerAdd, {}, kNoCuda, kNoExport},
    {"SimpleRNN", OpKind::Input, nullptr, kRecurrent, kRecurrent, kRecurrent},
    {"LSTM", OpKind::Input, nullptr, kRecurrent, kRecurrent, kRecurrent},
    {"GRU", OpKind::Input, nullptr, kRecurrent, kRecurrent, kRecurrent},
    {"SoftmaxCrossEntropy", OpKind::SoftmaxCrossEntropy, lowerLoss, {}, kNoCuda, kNoExport},
    {"MSE", OpKind::MSE, lowerLoss, {}, kNoCuda, kNoExport},
    {"BinaryCrossEntropy", OpKind::BinaryCrossEntropy, lowerLoss, {}, kNoCuda, kNoExport},
};

} // namespace

std::span<const OpEntry> opEntries() {
    return kEntries;
}

const OpEntry* findOpEntry(std::string_view layerType) {
    for (const OpEntry& entry : kEntries)
        if (entry.layerType == layerType)
            return &entry;
    return nullptr;
}

std::vector<std::string> unrunnableNodes(const nc::graph::Graph& graph) {
    std::vector<std::string> lines;
    for (nc::graph::NodeId id : graph.nodeIds()) {
        const nc::graph::Node& node = *graph.node(id);
        const OpEntry* entry = findOpEntry(node.type);
        if (!entry)
            lines.push_back(node.type + " \"" + node.name +
                            "\": the engine has no op for this layer type");
        else if (!entry->runnable())
            lines.push_back(node.type + " \"" + node.name + "\": " +
                            std::string(entry->notRunnable));
    }
    return lines;
}

} // namespace nc::engine
