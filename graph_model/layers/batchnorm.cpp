#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void batchNormShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const Shape& in = context.input(0);
    outcome.outputs[0] = in;
    std::int64_t channels = in[0];
    outcome.params.push_back({"weight", {channels}});
    outcome.params.push_back({"bias", {channels}});
    outcome.params.push_back({"running_mean", {channels}, false});
    outcome.params.push_back({"running_var", {channels}, false});
}

LayerSpec makeBatchNormSpec() {
    LayerSpec spec;
    spec.type = "BatchNorm";
    spec.category = "Regularization";
    spec.help = "Normalises each channel (the first axis) with batch statistics in training and "
                "running statistics in evaluation.";
    spec.params = {
        floatParam("momentum", 0.9, 0.0, 1.0, "Weight of the old running statistics per step."),
        floatParam("epsilon", 1e-5, 1e-12, 1.0, "Added to the variance for stability."),
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.modeDependent = true;
    spec.shapeRule = batchNormShapes;
    return spec;
}

} // namespace nc::graph::layers
