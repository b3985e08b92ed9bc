#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void denseShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const Shape& input = context.input(0);
    const std::int64_t units = context.integer("units");
    std::int64_t in = 0;
    if (context.flag("per_step")) {
        // The same weights at every step: [T, F] -> [T, units] (Keras' TimeDistributed).
        if (input.size() != 2) {
            outcome.error("per_step needs a sequence TxF (time steps x features), got " +
                              formatShape(input),
                          0);
            return;
        }
        in = input[1];
        outcome.outputs[0] = Shape{input[0], units};
    } else {
        // Any input is flattened first; elementCount was checked by the framework.
        in = elementCount(input).value_or(0);
        outcome.outputs[0] = Shape{units};
    }
    outcome.params.push_back({"weight", {units, in}});
    if (context.flag("use_bias"))
        outcome.params.push_back({"bias", {units}});
}

LayerSpec makeDenseSpec() {
    LayerSpec spec;
    spec.type = "Dense";
    spec.category = "Dense";
    spec.help = "Fully connected layer; flattens any input, or with per_step maps each time "
                "step of a sequence. Weight layout [out, in].";
    spec.params = {
        intParam("units", 256, 1, kMaxUnits, "Number of outputs."),
        useBiasParam(),
        activationParam(),
        weightInitParam(),
        boolParam("per_step", false,
                  "For a sequence TxF: apply the same weights at every time step (T x units) "
                  "instead of flattening."),
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"units", "activation", "per_step"};
    spec.shapeRule = denseShapes;
    return spec;
}

} // namespace nc::graph::layers
