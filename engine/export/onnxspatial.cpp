// Conv2D, Deconv2D, the pools and Upscale2D as ONNX nodes. The compiled windows carry the
// padding already resolved per side, so "same" with an odd total becomes asymmetric pads.

#include "onnxemitter.h"

namespace nc::engine::onnxexport {

namespace {

using nc::core::Status;

std::vector<std::int64_t> pairOf(int a, int b) {
    return {a, b};
}

std::vector<std::int64_t> padsOf(const Window& w) {
    return {w.padTop, w.padLeft, w.padBottom, w.padRight};
}

Status emitConv(Emitter& e, const PlanStep& step, bool transposed) {
    const Window& w = step.attrs.window;
    std::vector<std::string> inputs{e.valueName(step.inputs[0]), e.param(step, 0)};
    if (step.attrs.useBias)
        inputs.push_back(e.param(step, 1));
    std::vector<Attr> attrs{{"kernel_shape", pairOf(w.kh, w.kw)},
                            {"strides", pairOf(w.sh, w.sw)},
                            {"dilations", pairOf(w.dh, w.dw)}};
    if (!transposed) {
        attrs.push_back({"pads", padsOf(w)});
    } else {
        // The crop: ONNX pads must not be negative, and growing the end is output_padding.
        if (w.padTop < 0 || w.padLeft < 0)
            return Status::error("a Deconv2D that adds room before its first row or column has "
                                 "no ONNX form");
        const std::int64_t growH = std::max(0, -w.padBottom), growW = std::max(0, -w.padRight);
        if (growH >= std::max(w.sh, w.dh) || growW >= std::max(w.sw, w.dw))
            return Status::error("the Deconv2D's output is larger than ONNX's output_padding "
                                 "allows");
        attrs.push_back(
            {"pads", std::vector<std::int64_t>{w.padTop, w.padLeft, std::max(0, w.padBottom),
                                               std::max(0, w.padRight)}});
        if (growH || growW)
            attrs.push_back({"output_padding", std::vector<std::int64_t>{growH, growW}});
    }
    const std::string out = e.valueName(step.outputs[0]);
    const std::string pre = e.preActivation(step.attrs.activation, out);
    e.graph.node(transposed ? "ConvTranspose" : "Conv", inputs, {pre}, attrs);
    e.activate(step.attrs.activation, step.attrs.alpha, pre, out, 1);
    return Status::ok();
}

} // namespace

Status emitSpatial(Emitter& e, const PlanStep& step) {
    const std::string in = e.valueName(step.inputs[0]);
    const std::string out = e.valueName(step.outputs[0]);
    const Window& w = step.attrs.window;
    switch (step.kind) {
    case OpKind::Conv2D:
        return emitConv(e, step, false);
    case OpKind::Deconv2D:
        return emitConv(e, step, true);
    case OpKind::MaxPool2D:
        e.graph.node("MaxPool", {in}, {out},
                     {{"kernel_shape", pairOf(w.kh, w.kw)},
                      {"strides", pairOf(w.sh, w.sw)},
                      {"pads", padsOf(w)}});
        return Status::ok();
    case OpKind::AvgPool2D:
        // Padding cells are not counted, as in NetCanvas's mean.
        e.graph.node("AveragePool", {in}, {out},
                     {{"kernel_shape", pairOf(w.kh, w.kw)},
                      {"strides", pairOf(w.sh, w.sw)},
                      {"pads", padsOf(w)},
                      {"count_include_pad", std::int64_t(0)}});
        return Status::ok();
    case OpKind::GlobalAvgPool2D: {
        const std::string pooled = e.graph.fresh(out + "/pooled");
        e.graph.node("GlobalAveragePool", {in}, {pooled});
        e.graph.node("Flatten", {pooled}, {out}, {{"axis", std::int64_t(1)}});
        return Status::ok();
    }
    case OpKind::Upscale2D: {
        const std::string scales =
            e.graph.constantFloats(out + "/scales", {1.0f, 1.0f, float(w.sh), float(w.sw)});
        if (step.attrs.bilinear)
            e.graph.node("Resize", {in, "", scales}, {out},
                         {{"mode", std::string("linear")},
                          {"coordinate_transformation_mode", std::string("half_pixel")}});
        else
            e.graph.node("Resize", {in, "", scales}, {out},
                         {{"mode", std::string("nearest")},
                          {"coordinate_transformation_mode", std::string("asymmetric")},
                          {"nearest_mode", std::string("floor")}});
        return Status::ok();
    }
    default:
        return Status::error("not a spatial layer");
    }
}

} // namespace nc::engine::onnxexport
