// The ONNX importer's windowed operators: Conv, ConvTranspose, the pools and Resize. Padding
// in every ONNX form (auto_pad SAME_UPPER, SAME_LOWER and VALID, explicit pads) becomes the
// NetCanvas form with the same numbers, or the node is refused; "same" is worked out by
// convgeometry's one resolver.

#include "onnximporter.h"

#include "graph_model/layers/convgeometry.h"

#include <cmath>

namespace nc::engine::onnximport {

namespace {

using nc::graph::IntList;
using nc::graph::ParamValue;
using nc::graph::layers::PadSplit;
using nc::graph::layers::sameCrop;
using nc::graph::layers::samePadding;

const AttrRule kAutoPad{
    "auto_pad", AttrKind::String, 0, 0, {}, {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"}};
const AttrRule kStrides{"strides", AttrKind::Ints, 1, kMaxWindow, {2}};
const AttrRule kDilations{"dilations", AttrKind::Ints, 1, kMaxWindow, {2}};
const AttrRule kKernel{"kernel_shape", AttrKind::Ints, 1, kMaxWindow, {2}};
const AttrRule kPads{"pads", AttrKind::Ints, 0, kMaxWindow, {4}};
AttrRule kFlag(std::string_view name) {
    return {name, AttrKind::Int, 0, 1};
}

const OpRule kRules[] = {
    {"Conv",
     &Importer::convolution,
     2,
     3,
     1,
     {kAutoPad, kStrides, kDilations, kKernel, kPads, {"group", AttrKind::Int, 1, kMaxWindow}}},
    {"ConvTranspose",
     &Importer::convolution,
     2,
     3,
     1,
     {kAutoPad,
      kStrides,
      kDilations,
      kKernel,
      kPads,
      {"group", AttrKind::Int, 1, kMaxWindow},
      {"output_padding", AttrKind::Ints, 0, kMaxWindow, {2}},
      {"output_shape", AttrKind::Ints, 1, kMaxElements, {2}}}},
    {"MaxPool",
     &Importer::pool,
     1,
     1,
     2,
     {kAutoPad, kStrides, kDilations, kKernel, kPads, kFlag("ceil_mode"), kFlag("storage_order")}},
    {"AveragePool",
     &Importer::pool,
     1,
     1,
     1,
     {kAutoPad, kStrides, kDilations, kKernel, kPads, kFlag("ceil_mode"),
      kFlag("count_include_pad")}},
    {"GlobalAveragePool", &Importer::globalAveragePool},
    {"Resize",
     &Importer::resize,
     1,
     4,
     1,
     {{"mode", AttrKind::String, 0, 0, {}, {"nearest", "linear", "cubic"}},
      {"coordinate_transformation_mode", AttrKind::String},
      {"nearest_mode", AttrKind::String},
      {"cubic_coeff_a", AttrKind::Float},
      kFlag("exclude_outside"),
      {"extrapolation_value", AttrKind::Float},
      kFlag("antialias"),
      {"axes", AttrKind::Ints},
      {"keep_aspect_ratio_policy", AttrKind::String}}},
    {"Upsample",
     &Importer::resize,
     1,
     2,
     1,
     {{"mode", AttrKind::String, 0, 0, {}, {"nearest", "linear", "bilinear"}},
      {"scales", AttrKind::Floats, 0, 0, {}, {}, 0.0, 1e6}}},
};

struct Geometry {
    std::int64_t stride[2] = {1, 1};
    std::int64_t extent[2] = {1, 1}; // the dilated kernel
    std::int64_t in[2] = {1, 1};
};

bool isSameSplit(const std::vector<std::int64_t>& pads, const Geometry& g) {
    const PadSplit h = samePadding(g.in[0], g.stride[0], g.extent[0]);
    const PadSplit w = samePadding(g.in[1], g.stride[1], g.extent[1]);
    return pads == std::vector<std::int64_t>{h.before, w.before, h.after, w.after};
}

// The padding of a Conv or a pool as NetCanvas's parameter. `lists`: the layer takes [ph, pw].
Result<ParamValue> windowPadding(const onnx::NodeProto& n, const Geometry& g, bool lists) {
    const std::string autoPad = attrString(n, "auto_pad", "NOTSET");
    std::vector<std::int64_t> pads = attrInts(n, "pads");
    if (autoPad != "NOTSET" && !pads.empty())
        return Status::error("it gives both auto_pad " + autoPad + " and pads");
    if (autoPad == "VALID")
        return ParamValue(std::string("valid"));
    if (autoPad == "SAME_UPPER")
        return ParamValue(std::string("same"));
    if (autoPad == "SAME_LOWER") {
        // The odd cell goes first; with even totals that is the same as NetCanvas's split.
        for (int axis = 0; axis < 2; ++axis) {
            const PadSplit s = samePadding(g.in[axis], g.stride[axis], g.extent[axis]);
            if (s.before != s.after)
                return Status::error("auto_pad SAME_LOWER puts the odd padding cell first; "
                                     "NetCanvas's \"same\" puts it last");
        }
        return ParamValue(std::string("same"));
    }
    if (pads.empty() || pads == std::vector<std::int64_t>{0, 0, 0, 0})
        return ParamValue(std::string("valid"));
    if (isSameSplit(pads, g))
        return ParamValue(std::string("same"));
    if (lists && pads[0] == pads[2] && pads[1] == pads[3])
        return ParamValue(IntList{pads[0], pads[1]});
    return Status::error(
        "its pads [" + std::to_string(pads[0]) + ", " + std::to_string(pads[1]) + ", " +
        std::to_string(pads[2]) + ", " + std::to_string(pads[3]) + "] have no NetCanvas form (" +
        (lists ? "equal at both ends, or" : std::string("none, or")) + " TensorFlow-style same)");
}

struct DeconvolutionPadding {
    ParamValue crop;
    IntList grow{0, 0};
};

// A ConvTranspose's pads and output_padding as Deconv2D's crop and output_padding: the output
// is (in - 1) * stride + extent - top - (bottom - grow), so the numbers that count are the top
// crop and the bottom crop less the growth.
Result<DeconvolutionPadding> deconvolutionPadding(const onnx::NodeProto& n, const Geometry& g) {
    if (hasAttr(n, "output_shape"))
        return Status::error("output_shape has no NetCanvas form; give pads and output_padding");
    std::vector<std::int64_t> grow = attrInts(n, "output_padding");
    if (grow.empty())
        grow = {0, 0};
    for (int axis = 0; axis < 2; ++axis)
        if (grow[std::size_t(axis)] >= g.stride[axis])
            return Status::error("output_padding must be smaller than the stride");
    const std::string autoPad = attrString(n, "auto_pad", "NOTSET");
    std::vector<std::int64_t> pads = attrInts(n, "pads");
    if (autoPad != "NOTSET" && !pads.empty())
        return Status::error("it gives both auto_pad " + autoPad + " and pads");
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        // The output is in * stride; the total crop is split evenly, or refused where runtimes
        // disagree about the odd cell.
        pads.assign(4, 0);
        for (int axis = 0; axis < 2; ++axis) {
            const std::int64_t total = (g.in[axis] - 1) * g.stride[axis] + g.extent[axis] +
                                       grow[std::size_t(axis)] - g.in[axis] * g.stride[axis];
            if (total < 0 || total % 2 != 0)
                return Status::error("auto_pad " + autoPad + " crops " + std::to_string(total) +
                                     " cells, which NetCanvas cannot split evenly");
            pads[std::size_t(axis)] = pads[std::size_t(axis) + 2] = total / 2;
        }
    }
    if (pads.empty())
        pads.assign(4, 0);
    DeconvolutionPadding out;
    bool same = true, full = true;
    for (int axis = 0; axis < 2; ++axis) {
        const std::int64_t top = pads[std::size_t(axis)];
        const std::int64_t bottom = pads[std::size_t(axis) + 2] - grow[std::size_t(axis)];
        const PadSplit s = sameCrop(g.in[axis], g.stride[axis], g.extent[axis]);
        same = same && top == s.before && bottom == s.after;
        full = full && top == g.extent[axis] - 1 && bottom == top;
    }
    if (same) {
        out.crop = std::string("same");
        return out;
    }
    if (full) {
        out.crop = std::string("full");
        return out;
    }
    // [ph, pw] cropped at both ends, the bottom and right less by output_padding (under the
    // stride): the top crop may exceed the bottom one by that much.
    for (int axis = 0; axis < 2; ++axis) {
        const std::int64_t less =
            pads[std::size_t(axis)] - pads[std::size_t(axis) + 2] + grow[std::size_t(axis)];
        if (less < 0 || less >= g.stride[axis])
            return Status::error("its pads [" + std::to_string(pads[0]) + ", " +
                                 std::to_string(pads[1]) + ", " + std::to_string(pads[2]) + ", " +
                                 std::to_string(pads[3]) +
                                 "] have no NetCanvas form (a crop at both ends, less at the "
                                 "end by under the stride)");
        grow[std::size_t(axis)] = less;
    }
    out.crop = pads[0] == 0 && pads[1] == 0 ? ParamValue(std::string("valid"))
                                            : ParamValue(IntList{pads[0], pads[1]});
    out.grow = IntList{grow[0], grow[1]};
    return out;
}

std::vector<std::int64_t> pairOr(std::vector<std::int64_t> v, std::int64_t fallback) {
    return v.empty() ? std::vector<std::int64_t>{fallback, fallback} : v;
}

} // namespace

std::span<const OpRule> spatialRules() {
    return kRules;
}

Status Importer::convolution(const onnx::NodeProto& n) {
    const bool transposed = n.op_type() == "ConvTranspose";
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Tensor* w = constant(n.input(1));
    if (!w || w->rank() != 4)
        return Status::error("its weight is not a constant 4-D tensor");
    if (attrInt(n, "group", 1) != 1)
        return Status::error("grouped convolutions are not a NetCanvas layer");
    const Dims x = dims(n.input(0));
    if (x.size() != 3)
        return Status::error("its input is not [channels, height, width]");
    const std::int64_t inChannels = transposed ? w->dim(0) : w->dim(1);
    if (inChannels != x[0])
        return Status::error("its weight " + formatDims(w->dims()) + " takes " +
                             std::to_string(inChannels) + " channels; its input has " +
                             std::to_string(x[0]));
    const std::int64_t kh = w->dim(2), kw = w->dim(3);
    if (kh < 1 || kw < 1 || kh > kMaxWindow || kw > kMaxWindow)
        return Status::error("its weight " + formatDims(w->dims()) + " has no usable kernel");
    const std::vector<std::int64_t> kernel = attrInts(n, "kernel_shape");
    if (!kernel.empty() && kernel != std::vector<std::int64_t>{kh, kw})
        return Status::error("kernel_shape disagrees with its weight " + formatDims(w->dims()));
    const std::vector<std::int64_t> strides = pairOr(attrInts(n, "strides"), 1);
    const std::vector<std::int64_t> dil = pairOr(attrInts(n, "dilations"), 1);
    Geometry g;
    for (int axis = 0; axis < 2; ++axis) {
        g.stride[axis] = strides[std::size_t(axis)];
        g.extent[axis] = dil[std::size_t(axis)] * ((axis ? kw : kh) - 1) + 1;
        g.in[axis] = x[std::size_t(axis) + 1];
    }
    ParamValue padding = std::string("valid");
    IntList outputPadding{0, 0};
    if (!transposed) {
        auto resolved = windowPadding(n, g, true);
        if (!resolved)
            return resolved.status();
        padding = resolved.value();
    } else {
        auto resolved = deconvolutionPadding(n, g);
        if (!resolved)
            return resolved.status();
        padding = resolved.value().crop;
        outputPadding = resolved.value().grow;
    }
    const bool bias = n.input_size() > 2 && !n.input(2).empty();
    const std::int64_t filters = transposed ? w->dim(1) : w->dim(0);
    const Tensor* b = bias ? constant(n.input(2)) : nullptr;
    if (bias && (!b || b->rank() != 1 || b->size() != filters))
        return Status::error("its bias is not a constant of " + std::to_string(filters) +
                             " values");
    auto id = layer(transposed ? "Deconv2D" : "Conv2D", n, in.value(), n.input(1));
    if (!id)
        return id.status();
    // A ConvTranspose reading a Conv's very initializer, with its stride and dilation: a tied
    // Deconv2D (which takes the Conv's geometry); else one with a copy of the weight.
    auto owner = transposed ? m_convOfWeight.find(n.input(1)) : m_convOfWeight.end();
    bool tied = owner != m_convOfWeight.end();
    if (tied) {
        const nc::graph::Node* conv = m_result.graph.node(owner->second);
        tied = conv &&
               std::get<IntList>(*conv->params.find("stride")) == IntList{strides[0], strides[1]} &&
               std::get<IntList>(*conv->params.find("dilation")) == IntList{dil[0], dil[1]};
    }
    std::vector<std::pair<std::string, ParamValue>> params{
        {"padding", padding}, {"use_bias", bias}, {"activation", std::string("linear")}};
    if (transposed && outputPadding != IntList{0, 0})
        params.emplace_back("output_padding", outputPadding);
    if (tied)
        params.insert(params.begin(), {"tie_weights_to", std::int64_t(owner->second)});
    else
        params.insert(params.begin(), {{"filters", filters},
                                       {"kernel_size", IntList{kh, kw}},
                                       {"stride", IntList{strides[0], strides[1]}},
                                       {"dilation", IntList{dil[0], dil[1]}}});
    for (auto& [param, value] : params)
        if (Status s = set(id.value(), param, value); !s)
            return s;
    if (!transposed)
        m_convOfWeight[n.input(1)] = id.value();
    if (!tied)
        weight(id.value(), "weight", release(n.input(1), *w));
    if (b)
        weight(id.value(), "bias", release(n.input(2), *b));
    return Status::ok();
}

Status Importer::pool(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    if (n.output_size() > 1 && !n.output(1).empty() && readers(n.output(1)) > 0)
        return Status::error("its indices output is read; NetCanvas's pools give none");
    const Dims x = dims(n.input(0));
    const std::vector<std::int64_t> k = attrInts(n, "kernel_shape");
    if (k.size() != 2 || x.size() != 3)
        return Status::error("only 2-D pooling over [channels, height, width]");
    const std::vector<std::int64_t> strides = pairOr(attrInts(n, "strides"), 1);
    if (pairOr(attrInts(n, "dilations"), 1) != std::vector<std::int64_t>{1, 1})
        return Status::error("dilated pooling has no NetCanvas form");
    if (attrInt(n, "storage_order", 0) != 0)
        return Status::error("storage_order=1 has no NetCanvas form");
    Geometry g;
    for (int axis = 0; axis < 2; ++axis) {
        g.stride[axis] = strides[std::size_t(axis)];
        g.extent[axis] = k[std::size_t(axis)];
        g.in[axis] = x[std::size_t(axis) + 1];
    }
    auto padding = windowPadding(n, g, false);
    if (!padding)
        return padding.status();
    if (attrInt(n, "ceil_mode", 0) != 0) {
        // Accepted where rounding up gives the same size as rounding down.
        if (std::get<std::string>(padding.value()) != "valid")
            return Status::error("ceil_mode=1 with padding has no NetCanvas form");
        for (int axis = 0; axis < 2; ++axis)
            if (g.in[axis] >= g.extent[axis] && (g.in[axis] - g.extent[axis]) % g.stride[axis] != 0)
                return Status::error("ceil_mode=1 keeps a partial window NetCanvas drops");
    }
    const bool average = n.op_type() == "AveragePool";
    if (average && std::get<std::string>(padding.value()) == "same" &&
        attrInt(n, "count_include_pad", 0) != 0)
        return Status::error("count_include_pad=1: NetCanvas does not count padding cells");
    auto id = layer(average ? "AvgPool2D" : "MaxPool2D", n, in.value());
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "pool_size", IntList{k[0], k[1]}); !s)
        return s;
    if (Status s = set(id.value(), "stride", IntList{strides[0], strides[1]}); !s)
        return s;
    return set(id.value(), "padding", padding.value());
}

Status Importer::globalAveragePool(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Dims c = dims(n.input(0));
    if (c.size() != 3)
        return Status::error("only 2-D pooling over [channels, height, width]");
    auto id = add("GlobalAvgPool2D", n);
    if (!id)
        return id.status();
    if (Status s = wire(in.value(), id.value()); !s)
        return s;
    // ONNX keeps [C, 1, 1]; NetCanvas's layer gives [C].
    auto keep = add("Reshape", n);
    if (!keep)
        return keep.status();
    if (Status s = set(keep.value(), "shape", IntList{c[0], 1, 1}); !s)
        return s;
    if (Status s = wire({id.value(), 0}, keep.value()); !s)
        return s;
    bind(n.output(0), Ref{keep.value(), 0});
    return Status::ok();
}

Status Importer::resize(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Dims x = dims(n.input(0));
    if (x.size() != 3)
        return Status::error("only upscaling of [channels, height, width]");
    // The scales: an attribute (Upsample before opset 9), a constant input (scales), or the
    // output sizes (Resize's fourth input).
    std::vector<double> scales;
    for (float v : attrFloats(n, "scales"))
        scales.push_back(v);
    const int scalesInput = n.op_type() == "Upsample" || n.input_size() == 2 ? 1 : 2;
    if (n.input_size() > scalesInput && !n.input(scalesInput).empty()) {
        const Tensor* given = constant(n.input(scalesInput));
        if (!given)
            return Status::error("its scales are computed at run time");
        if (given->size() > 0)
            scales.assign(given->data(), given->data() + given->size());
    }
    if (n.input_size() > 3 && !n.input(3).empty()) {
        const Ints* sizes = ints(n.input(3));
        if (!sizes || sizes->values.size() != 4 || !scales.empty())
            return Status::error("its sizes are not 4 constants (or come with scales)");
        scales = {1.0, double(sizes->values[1]) / double(x[0]),
                  double(sizes->values[2]) / double(x[1]), double(sizes->values[3]) / double(x[2])};
    }
    auto whole = [](double v) { return v >= 1.0 && v <= 1024.0 && v == std::floor(v); };
    if (scales.size() != 4 || scales[0] != 1.0 || scales[1] != 1.0 || !whole(scales[2]) ||
        !whole(scales[3]))
        return Status::error("only whole-number upscaling of height and width");
    if (hasAttr(n, "axes") || attrInt(n, "antialias", 0) != 0 ||
        attrInt(n, "exclude_outside", 0) != 0)
        return Status::error("axes, antialias and exclude_outside have no NetCanvas form");
    if (attrString(n, "keep_aspect_ratio_policy", "stretch") != "stretch")
        return Status::error("keep_aspect_ratio_policy other than stretch has no NetCanvas form");
    // Before opset 11 (Upsample, Resize-10) coordinates are asymmetric and nearest rounds
    // down; from 11 Resize's defaults are half_pixel and round_prefer_floor.
    const bool legacy = n.op_type() == "Upsample" || m_opset < 11;
    const std::string mode = attrString(n, "mode", "nearest");
    const std::string coordinates =
        attrString(n, "coordinate_transformation_mode", legacy ? "asymmetric" : "half_pixel");
    const std::string rounding =
        attrString(n, "nearest_mode", legacy ? "floor" : "round_prefer_floor");
    // At a scale of 2 or less, round_prefer_floor of x / scale picks what floor does.
    const bool floors = rounding == "floor" ||
                        (rounding == "round_prefer_floor" && scales[2] <= 2 && scales[3] <= 2);
    std::string ours;
    if (mode == "nearest" && coordinates == "asymmetric" && floors)
        ours = "nearest";
    else if ((mode == "linear" || mode == "bilinear") &&
             (coordinates == "half_pixel" || coordinates == "pytorch_half_pixel"))
        ours = "bilinear";
    else
        return Status::error("mode " + mode + " with " + coordinates + " coordinates" +
                             (mode == "nearest" ? " and nearest_mode " + rounding : "") +
                             " has no NetCanvas form");
    auto id = layer("Upscale2D", n, in.value());
    if (!id)
        return id.status();
    if (Status s =
            set(id.value(), "scale", IntList{std::int64_t(scales[2]), std::int64_t(scales[3])});
        !s)
        return s;
    return set(id.value(), "mode", ours);
}

} // namespace nc::engine::onnximport
