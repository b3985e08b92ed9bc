#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void inputShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    outcome.outputs[0] = context.ints("shape");
    outcome.outputs[1] = context.ints("target_shape");
}

LayerSpec makeInputSpec() {
    LayerSpec spec;
    spec.type = "Input";
    spec.category = "Input";
    spec.help = "A batch of samples from the dataset: x is the data, y the labels or targets.";
    spec.params = {
        shapeParam("shape", {1, 28, 28}, false,
                   "Per-sample shape of x: C x H x W for images, a length for vectors."),
        shapeParam("target_shape", {1}, false,
                   "Per-sample shape of y: 1 for a class index or a single target value."),
    };
    spec.outputs = {tensorPort("x", "The data."), tensorPort("y", "Labels or targets.")};
    spec.summaryParams = {"shape"};
    spec.shapeRule = inputShapes;
    return spec;
}

} // namespace nc::graph::layers
