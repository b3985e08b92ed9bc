#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

namespace {

void softmaxCrossEntropyShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const Shape& logits = context.input(0);
    const Shape& target = context.input(1);
    if (logits.size() == 2) { // one class per time step
        if (target != Shape{logits[0]})
            outcome.error("per-step logits " + formatShape(logits) +
                              " need one class index per "
                              "step (shape " +
                              std::to_string(logits[0]) + ", -1 for padding), got " +
                              formatShape(target),
                          1);
        else
            outcome.outputs[0] = Shape{};
        return;
    }
    if (logits.size() != 1) {
        outcome.error("logits must be a vector of class scores, or TxC scores per time step, "
                      "got " +
                          formatShape(logits) + " (add a Flatten or Dense)",
                      0);
        return;
    }
    if (target != Shape{1}) {
        outcome.error("target must be one class index per sample (shape 1, e.g. Input.y), got " +
                          formatShape(target),
                      1);
        return;
    }
    outcome.outputs[0] = Shape{};
}

void matchingTargetShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const Shape& prediction = context.input(0);
    const Shape& target = context.input(1);
    if (prediction != target) {
        outcome.error("prediction is " + formatShape(prediction) + " but target is " +
                          formatShape(target) + "; they must match",
                      1);
        return;
    }
    outcome.outputs[0] = Shape{};
}

LayerSpec makeLossSpec(std::string type, std::string help, std::string first, ShapeRule rule) {
    LayerSpec spec;
    spec.type = std::move(type);
    spec.category = "Loss";
    spec.help = std::move(help);
    spec.params = {lossWeightParam()};
    spec.inputs = {tensorPort(std::move(first)), tensorPort("target")};
    spec.outputs = {lossPort()};
    spec.isLoss = true;
    spec.summaryParams = {"weight"};
    spec.shapeRule = rule;
    return spec;
}

} // namespace

LayerSpec makeSoftmaxCrossEntropySpec() {
    return makeLossSpec(
        "SoftmaxCrossEntropy",
        "Softmax over the logits, then cross-entropy against class indices. Logits TxC "
        "with a target of T classes score every time step; a class of -1 marks "
        "padding, left out of the mean.",
        "logits", softmaxCrossEntropyShapes);
}

LayerSpec makeMSESpec() {
    return makeLossSpec("MSE", "Mean squared error against a target of the same shape.",
                        "prediction", matchingTargetShapes);
}

LayerSpec makeBinaryCrossEntropySpec() {
    return makeLossSpec(
        "BinaryCrossEntropy",
        "Binary cross-entropy of probabilities in (0, 1) against targets in [0, 1].", "prediction",
        matchingTargetShapes);
}

} // namespace nc::graph::layers
