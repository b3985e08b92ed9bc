#include "../graph.h"
#include "convgeometry.h"
#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

namespace {

struct TiedConv {
    const Node* node = nullptr;
    std::int64_t inChannels = 0;
};

// Resolves tie_weights_to. Returns nullopt (with an issue reported where it is the user's
// mistake) when the tied convolution cannot be used yet.
std::optional<TiedConv> resolveTie(const ShapeContext& context, ShapeOutcome& outcome) {
    // That the node exists and is a Conv2D was checked before the rule ran (refTypes).
    NodeId id = context.integer("tie_weights_to");
    const Node* conv = context.findNode(id);
    std::optional<Shape> convIn = context.inputShapeOf(id, 0);
    if (!convIn || convIn->size() != 3) {
        outcome.warning("waits for the input shape of its tied " + describeNode(*conv));
        return std::nullopt;
    }
    std::int64_t convFilters = std::get<std::int64_t>(*conv->params.find("filters"));
    std::int64_t channels = context.input(0)[0];
    if (channels != convFilters) {
        outcome.error("input has " + std::to_string(channels) + " channels, but its tied " +
                          describeNode(*conv) + " has " + std::to_string(convFilters) + " filters",
                      0);
        return std::nullopt;
    }
    return TiedConv{conv, (*convIn)[0]};
}

void deconv2dShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    if (!requireMaps(context, outcome))
        return;
    const Shape& in = context.input(0);
    Window2d window{context.ints("kernel_size"), context.ints("stride"), context.ints("dilation"),
                    context.value("padding")};
    std::int64_t filters = context.integer("filters");
    NodeId tiedTo = kNoNode;
    if (!context.isNone("tie_weights_to")) {
        std::optional<TiedConv> tie = resolveTie(context, outcome);
        if (!tie)
            return;
        const ParamMap& p = tie->node->params;
        window.kernel = std::get<IntList>(*p.find("kernel_size"));
        window.stride = std::get<IntList>(*p.find("stride"));
        window.dilation = std::get<IntList>(*p.find("dilation"));
        filters = tie->inChannels;
        tiedTo = tie->node->id;
    }
    Geometry g = deconvOutput({in[1], in[2]}, window);
    if (!g.size) {
        outcome.error(g.error, 0);
        return;
    }
    // PyTorch's output_padding: rows and columns added at the bottom and right.
    const IntList& grow = context.ints("output_padding");
    if (grow[0] || grow[1]) {
        if (!std::holds_alternative<IntList>(window.padding) &&
            std::get<std::string>(window.padding) != "valid") {
            outcome.error("output_padding " + formatParamValue(grow) +
                              " needs padding \"valid\" "
                              "or [ph, pw], not \"" +
                              describePadding(window.padding) + "\"",
                          0);
            return;
        }
        for (int axis = 0; axis < 2; ++axis)
            if (grow[std::size_t(axis)] >=
                std::max(window.stride[std::size_t(axis)], window.dilation[std::size_t(axis)])) {
                outcome.error("output_padding " + formatParamValue(grow) +
                                  " must be smaller than the stride or the dilation",
                              0);
                return;
            }
    }
    outcome.outputs[0] = Shape{filters, g.size->h + grow[0], g.size->w + grow[1]};
    outcome.params.push_back(
        {"weight", {in[0], filters, window.kernel[0], window.kernel[1]}, true, tiedTo});
    if (context.flag("use_bias"))
        outcome.params.push_back({"bias", {filters}});
}

} // namespace

LayerSpec makeDeconv2DSpec() {
    LayerSpec spec;
    spec.type = "Deconv2D";
    spec.category = "Convolution";
    spec.help = "Transposed 2-D convolution; weight layout [in, out, kh, kw]. Tied to a Conv2D, "
                "it reuses that convolution's weight and takes its kernel, stride and dilation.";
    ParamSpec tie;
    tie.name = "tie_weights_to";
    tie.kind = ParamKind::NodeRef;
    tie.nullable = true;
    tie.nullMeaning = "own weights";
    tie.refTypes = {"Conv2D"};
    tie.refMeaning = "ties weights to";
    tie.refAction = "tying them";
    tie.refFollows = {"filters", "kernel_size", "stride", "dilation"};
    tie.help = "Id of a Conv2D whose weight this layer reuses, transposed (an autoencoder's "
               "decoder). Its filters then equal that Conv2D's input channels.";
    spec.params = {
        intParam("filters", 32, 1, kMaxUnits, "Number of output channels (untied only)."),
        pairParam("kernel_size", {3, 3}, 1, kMaxKernel, "Kernel height and width (untied only)."),
        pairParam("stride", {1, 1}, 1, kMaxKernel, "Upsampling step (untied only)."),
        paddingParam({"valid", "same", "full"},
                     "How much to crop: \"valid\" (none), \"same\" (output = input x stride), "
                     "\"full\" (k-1), or [ph, pw]."),
        pairParam("dilation", {1, 1}, 1, kMaxKernel, "Spacing between kernel taps (untied only)."),
        pairParam("output_padding", {0, 0}, 0, kMaxKernel - 1,
                  "Rows and columns added at the bottom and right (PyTorch's output_padding), "
                  "smaller than the stride; with padding \"valid\" or [ph, pw] only."),
        useBiasParam(),
        activationParam(),
        weightInitParam(),
        tie,
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"filters", "kernel_size", "activation"};
    spec.shapeRule = deconv2dShapes;
    return spec;
}

} // namespace nc::graph::layers
