// Conv2D and Deconv2D: weights [out, in, kh, kw] and [in, out, kh, kw] (PyTorch's layouts),
// an optional bias and a fused activation. A tied Deconv2D shares its Conv2D's weight and takes
// kernel, stride and dilation from it.
#include "lowerings.h"
#include "window.h"

namespace nc::engine {

using namespace nc::graph;

namespace {

Status lowerConvolution(LoweringContext& c, bool transposed) {
    OpAttrs& a = c.step().attrs;
    const ParamTensor& weight = c.inference().params.at(0);
    const Node* geometry = weight.tiedTo != kNoNode ? c.graph().node(weight.tiedTo) : &c.node();
    if (!geometry)
        return Status::error("its weight is tied to a node that does not exist");
    auto ints = [&](const char* name) -> const IntList& {
        return std::get<IntList>(*geometry->params.find(name));
    };
    a.window = windowOf(ints("kernel_size"), ints("stride"), ints("dilation"));
    resolvePadding(c.value("padding"), a.window, c.inputDims(), c.outputDims(), transposed);
    if (transposed) {
        // output_padding grows the bottom and right: a crop of that much less there.
        const IntList& grow = std::get<IntList>(c.value("output_padding"));
        a.window.padBottom -= int(grow[0]);
        a.window.padRight -= int(grow[1]);
    }
    a.activation = activationKind(c.text("activation"));
    a.alpha = fusedAlpha(a.activation);
    a.useBias = c.flag("use_bias");
    const std::int64_t field = std::int64_t(a.window.kh) * a.window.kw;
    const std::string init = weight.tiedTo != kNoNode ? "" : c.text("weight_init");
    if (Status s = c.addParameter(weight, init, weight.shape[1] * field, weight.shape[0] * field);
        !s)
        return s;
    if (a.useBias)
        return c.addParameter(c.inference().params.back(), "zeros", 1, 1);
    return Status::ok();
}

} // namespace

Status lowerConv2D(LoweringContext& c) {
    return lowerConvolution(c, false);
}

Status lowerDeconv2D(LoweringContext& c) {
    return lowerConvolution(c, true);
}

} // namespace nc::engine
