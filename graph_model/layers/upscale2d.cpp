#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void upscaleShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    if (!requireMaps(context, outcome))
        return;
    const Shape& in = context.input(0);
    const IntList& scale = context.ints("scale");
    outcome.outputs[0] = Shape{in[0], in[1] * scale[0], in[2] * scale[1]};
}

LayerSpec makeUpscale2DSpec() {
    LayerSpec spec;
    spec.type = "Upscale2D";
    spec.category = "Pooling";
    spec.help = "Enlarges maps by an integer factor per axis.";
    spec.params = {
        pairParam("scale", {2, 2}, 1, kMaxKernel, "Vertical and horizontal factor."),
        choiceParam("mode", "nearest", {"nearest", "bilinear"}, "How new pixels are filled."),
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"scale", "mode"};
    spec.shapeRule = upscaleShapes;
    return spec;
}

} // namespace nc::graph::layers
