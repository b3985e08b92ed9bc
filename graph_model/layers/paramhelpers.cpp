#include "paramhelpers.h"

namespace nc::graph::layers {

ParamSpec intParam(std::string name, std::int64_t def, double min, double max, std::string help) {
    ParamSpec p;
    p.name = std::move(name);
    p.kind = ParamKind::Int;
    p.defaultValue = def;
    p.min = min;
    p.max = max;
    p.help = std::move(help);
    return p;
}

ParamSpec floatParam(std::string name, double def, double min, double max, std::string help) {
    ParamSpec p = intParam(std::move(name), 0, min, max, std::move(help));
    p.kind = ParamKind::Float;
    p.defaultValue = def;
    return p;
}

ParamSpec boolParam(std::string name, bool def, std::string help) {
    ParamSpec p;
    p.name = std::move(name);
    p.kind = ParamKind::Bool;
    p.defaultValue = def;
    p.help = std::move(help);
    return p;
}

ParamSpec choiceParam(std::string name, std::string def, std::vector<std::string> choices,
                      std::string help) {
    ParamSpec p;
    p.name = std::move(name);
    p.kind = ParamKind::Choice;
    p.defaultValue = std::move(def);
    p.choices = std::move(choices);
    p.help = std::move(help);
    return p;
}

ParamSpec pairParam(std::string name, IntList def, double min, double max, std::string help) {
    ParamSpec p = intParam(std::move(name), 0, min, max, std::move(help));
    p.kind = ParamKind::IntTuple;
    p.length = 2;
    p.defaultValue = std::move(def);
    return p;
}

ParamSpec shapeParam(std::string name, IntList def, bool allowInferred, std::string help) {
    ParamSpec p = intParam(std::move(name), 0, 1, kMaxUnits, std::move(help));
    p.kind = ParamKind::TensorShape;
    p.defaultValue = std::move(def);
    p.allowInferred = allowInferred;
    return p;
}

ParamSpec paddingParam(std::vector<std::string> modes, std::string help) {
    ParamSpec p;
    p.name = "padding";
    p.kind = ParamKind::Padding;
    p.defaultValue = std::string("valid");
    p.choices = std::move(modes);
    p.min = 0;
    p.max = kMaxKernel;
    p.help = std::move(help);
    return p;
}

ParamSpec activationParam() {
    return choiceParam("activation", "linear",
                       {"linear", "relu", "tanh", "sigmoid", "softmax", "leaky_relu", "elu"},
                       "Activation applied to the output (fused with the bias where possible).");
}

ParamSpec weightInitParam() {
    return choiceParam("weight_init", "glorot_uniform",
                       {"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "zeros"},
                       "How the weights are initialised before training.");
}

ParamSpec useBiasParam() {
    return boolParam("use_bias", true, "Add a learned bias per output.");
}

ParamSpec lossWeightParam() {
    return floatParam("weight", 1.0, 0.0, 1e6,
                      "Factor of this loss in the weighted sum the graph trains on.");
}

PortSpec tensorPort(std::string name, std::string help) {
    return PortSpec{std::move(name), PortType::Tensor, std::move(help)};
}

PortSpec optionalPort(std::string name, std::string help) {
    return PortSpec{std::move(name), PortType::Tensor, std::move(help), true};
}

PortSpec lossPort() {
    return PortSpec{"loss", PortType::Loss, "The loss value (a scalar)."};
}

void identityShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    outcome.outputs[0] = context.input(0);
}

bool requireMaps(const ShapeContext& context, ShapeOutcome& outcome) {
    const Shape& in = context.input(0);
    if (in.size() == 3)
        return true;
    std::string hint = in.size() == 1 ? " (add a Reshape to CxHxW first)" : "";
    outcome.error("needs CxHxW feature maps, got " + formatShape(in) + hint, 0);
    return false;
}

} // namespace nc::graph::layers
