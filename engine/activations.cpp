#include "activations.h"

namespace nc::engine {

namespace {

constexpr ActivationFacts kTable[] = {
    {ActivationKind::Linear, "linear", "Identity", "{x}"},
    {ActivationKind::Relu, "relu", "Relu", "F.relu({x})"},
    {ActivationKind::Tanh, "tanh", "Tanh", "torch.tanh({x})"},
    {ActivationKind::Sigmoid, "sigmoid", "Sigmoid", "torch.sigmoid({x})"},
    {ActivationKind::Softmax, "softmax", "Softmax", "F.softmax({x}, dim={dim})"},
    {ActivationKind::LeakyRelu, "leaky_relu", "LeakyRelu", "F.leaky_relu({x}, {alpha})", true,
     0.01f},
    {ActivationKind::Elu, "elu", "Elu", "F.elu({x}, {alpha})", true, 1.0f},
};

void replaceAll(std::string& text, std::string_view key, const std::string& value) {
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
}

} // namespace

std::span<const ActivationFacts> activationTable() {
    return kTable;
}

const ActivationFacts& activationFacts(ActivationKind kind) {
    for (const ActivationFacts& facts : kTable)
        if (facts.kind == kind)
            return facts;
    return kTable[0];
}

const ActivationFacts* findActivation(std::string_view name) {
    for (const ActivationFacts& facts : kTable)
        if (facts.name == name)
            return &facts;
    return nullptr;
}

const ActivationFacts* findOnnxActivation(std::string_view onnxOp) {
    for (const ActivationFacts& facts : kTable)
        if (facts.onnxOp == onnxOp && facts.kind != ActivationKind::Linear)
            return &facts;
    return nullptr;
}

std::string pytorchActivation(const ActivationFacts& facts, const std::string& x,
                              const std::string& alpha, int softmaxDim) {
    std::string out(facts.pytorch);
    replaceAll(out, "{alpha}", alpha);
    replaceAll(out, "{dim}", std::to_string(softmaxDim));
    replaceAll(out, "{x}", x); // last: x may hold braces of its own
    return out;
}

} // namespace nc::engine
