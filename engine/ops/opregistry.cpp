#include "opregistry.h"

#include "lowerings.h"

namespace nc::engine {

namespace {

constexpr std::string_view kNoExport = "no exporter is built yet (ONNX and PyTorch come later)";
constexpr std::string_view kRecurrentOnCpu =
    "cuDNN's RNN kernels are built but not yet checked on a GPU: they run with "
    "NETCANVAS_CUDA_RNN=1, otherwise the layer runs on the CPU";
constexpr std::string_view kEmbeddingOnCpu =
    "the CUDA backend has no embedding kernel yet; the layer runs on the CPU";

const OpEntry kEntries[] = {
    {"Input", OpKind::Input, lowerInput, {}, {}, kNoExport},
    {"Conv2D", OpKind::Conv2D, lowerConv2D, {}, {}, kNoExport},
    {"Deconv2D", OpKind::Deconv2D, lowerDeconv2D, {}, {}, kNoExport},
    {"MaxPool2D", OpKind::MaxPool2D, lowerPool2D, {}, {}, kNoExport},
    {"AvgPool2D", OpKind::AvgPool2D, lowerPool2D, {}, {}, kNoExport},
    {"GlobalAvgPool2D", OpKind::GlobalAvgPool2D, lowerGlobalAvgPool2D, {}, {}, kNoExport},
    {"Upscale2D", OpKind::Upscale2D, lowerUpscale2D, {}, {}, kNoExport},
    {"Dense", OpKind::Dense, lowerDense, {}, {}, kNoExport},
    {"Activation", OpKind::Activation, lowerActivation, {}, {}, kNoExport},
    {"Dropout", OpKind::Dropout, lowerDropout, {}, {}, kNoExport},
    {"BatchNorm", OpKind::BatchNorm, lowerBatchNorm, {}, {}, kNoExport},
    {"Flatten", OpKind::Reshape, lowerReshape, {}, {}, kNoExport},
    {"Reshape", OpKind::Reshape, lowerReshape, {}, {}, kNoExport},
    {"Concat", OpKind::Concat, lowerConcat, {}, {}, kNoExport},
    {"Add", OpKind::Add, lowerAdd, {}, {}, kNoExport},
    {"SimpleRNN", OpKind::SimpleRNN, lowerRecurrent, {}, kRecurrentOnCpu, kNoExport},
    {"LSTM", OpKind::LSTM, lowerRecurrent, {}, kRecurrentOnCpu, kNoExport},
    {"GRU", OpKind::GRU, lowerRecurrent, {}, kRecurrentOnCpu, kNoExport},
    {"Embedding", OpKind::Embedding, lowerEmbedding, {}, kEmbeddingOnCpu, kNoExport},
    {"SoftmaxCrossEntropy", OpKind::SoftmaxCrossEntropy, lowerLoss, {}, {}, kNoExport},
    {"MSE", OpKind::MSE, lowerLoss, {}, {}, kNoExport},
    {"BinaryCrossEntropy", OpKind::BinaryCrossEntropy, lowerLoss, {}, {}, kNoExport},
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
            lines.push_back(node.type + " \"" + node.name +
                            "\": " + std::string(entry->notRunnable));
    }
    return lines;
}

} // namespace nc::engine
