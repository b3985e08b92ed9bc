#include "convgeometry.h"
#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void conv2dShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    if (!requireMaps(context, outcome))
        return;
    const Shape& in = context.input(0);
    Window2d window{context.ints("kernel_size"), context.ints("stride"), context.ints("dilation"),
                    context.value("padding")};
    Geometry g = convOutput({in[1], in[2]}, window);
    if (!g.size) {
        outcome.error(g.error, 0);
        return;
    }
    std::int64_t filters = context.integer("filters");
    outcome.outputs[0] = Shape{filters, g.size->h, g.size->w};
    outcome.params.push_back({"weight", {filters, in[0], window.kernel[0], window.kernel[1]}});
    if (context.flag("use_bias"))
        outcome.params.push_back({"bias", {filters}});
}

LayerSpec makeConv2DSpec() {
    LayerSpec spec;
    spec.type = "Conv2D";
    spec.category = "Convolution";
    spec.help = "2-D convolution over CxHxW maps; weight layout [out, in, kh, kw].";
    spec.params = {
        intParam("filters", 32, 1, kMaxUnits, "Number of output channels."),
        pairParam("kernel_size", {3, 3}, 1, kMaxKernel, "Kernel height and width."),
        pairParam("stride", {1, 1}, 1, kMaxKernel,
                  "Step between windows, vertical and horizontal."),
        paddingParam({"valid", "same", "full"},
                     "\"valid\" (none), \"same\" (keeps the size at stride 1), \"full\" (k-1), "
                     "or [ph, pw]."),
        pairParam("dilation", {1, 1}, 1, kMaxKernel, "Spacing between kernel taps."),
        useBiasParam(),
        activationParam(),
        weightInitParam(),
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"filters", "kernel_size", "activation"};
    spec.shapeRule = conv2dShapes;
    return spec;
}

} // namespace nc::graph::layers
