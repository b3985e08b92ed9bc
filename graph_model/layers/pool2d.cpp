#include "convgeometry.h"
#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

namespace {

void pool2dShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    if (!requireMaps(context, outcome))
        return;
    const Shape& in = context.input(0);
    IntList pool = context.ints("pool_size");
    IntList stride = context.isNone("stride") ? pool : context.ints("stride");
    Geometry g =
        poolOutput({in[1], in[2]}, Window2d{pool, stride, {1, 1}, context.value("padding")});
    if (!g.size) {
        outcome.error(g.error, 0);
        return;
    }
    outcome.outputs[0] = Shape{in[0], g.size->h, g.size->w};
}

LayerSpec makePoolSpec(std::string type, std::string help) {
    LayerSpec spec;
    spec.type = std::move(type);
    spec.category = "Pooling";
    spec.help = std::move(help);
    ParamSpec stride = pairParam("stride", {}, 1, kMaxKernel, "Step between windows.");
    stride.defaultValue = std::monostate{};
    stride.nullable = true;
    stride.nullMeaning = "= pool_size";
    spec.params = {
        pairParam("pool_size", {2, 2}, 1, kMaxKernel, "Window height and width."),
        stride,
        paddingParam({"valid", "same"}, "\"valid\" drops partial windows, \"same\" keeps them."),
    };
    spec.params.back().kind = ParamKind::Choice; // pooling takes no explicit padding
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"pool_size"};
    spec.shapeRule = pool2dShapes;
    return spec;
}

} // namespace

LayerSpec makeMaxPool2DSpec() {
    return makePoolSpec("MaxPool2D", "The largest value of each window, per channel.");
}

LayerSpec makeAvgPool2DSpec() {
    return makePoolSpec("AvgPool2D", "The mean of each window, per channel.");
}

} // namespace nc::graph::layers
