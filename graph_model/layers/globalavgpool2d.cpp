#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void globalAvgPoolShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    if (requireMaps(context, outcome))
        outcome.outputs[0] = Shape{context.input(0)[0]};
}

LayerSpec makeGlobalAvgPool2DSpec() {
    LayerSpec spec;
    spec.type = "GlobalAvgPool2D";
    spec.category = "Pooling";
    spec.help = "The mean of each channel over the whole map: CxHxW -> C.";
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.shapeRule = globalAvgPoolShapes;
    return spec;
}

} // namespace nc::graph::layers
