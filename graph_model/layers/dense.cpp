#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void denseShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    // Any input is flattened first; elementCount was checked by the framework.
    std::int64_t in = elementCount(context.input(0)).value_or(0);
    std::int64_t units = context.integer("units");
    outcome.outputs[0] = Shape{units};
    outcome.params.push_back({"weight", {units, in}});
    if (context.flag("use_bias"))
        outcome.params.push_back({"bias", {units}});
}

LayerSpec makeDenseSpec() {
    LayerSpec spec;
    spec.type = "Dense";
    spec.category = "Dense";
    spec.help = "Fully connected layer; flattens any input. Weight layout [out, in].";
    spec.params = {
        intParam("units", 256, 1, kMaxUnits, "Number of outputs."),
        useBiasParam(),
        activationParam(),
        weightInitParam(),
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"units", "activation"};
    spec.shapeRule = denseShapes;
    return spec;
}

} // namespace nc::graph::layers
