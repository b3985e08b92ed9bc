#include "convgeometry.h"

#include <algorithm>

namespace nc::graph::layers {

namespace {

std::int64_t effectiveKernel(std::int64_t k, std::int64_t d) {
    return d * (k - 1) + 1;
}

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// Explicit or symmetric padding on one axis; "same" is handled by the callers.
std::int64_t padOn(const ParamValue& padding, int axis, std::int64_t effKernel) {
    if (auto* list = std::get_if<IntList>(&padding))
        return (*list)[std::size_t(axis)];
    if (std::get<std::string>(padding) == "full")
        return effKernel - 1;
    return 0;
}

bool isSame(const ParamValue& padding) {
    auto* mode = std::get_if<std::string>(&padding);
    return mode && *mode == "same";
}

std::string pair(std::int64_t a, std::int64_t b) {
    return std::to_string(a) + "x" + std::to_string(b);
}

} // namespace

PadSplit samePadding(std::int64_t in, std::int64_t stride, std::int64_t effectiveKernel) {
    const std::int64_t total =
        std::max<std::int64_t>((ceilDiv(in, stride) - 1) * stride + effectiveKernel - in, 0);
    return {total / 2, total - total / 2};
}

PadSplit sameCrop(std::int64_t in, std::int64_t stride, std::int64_t effectiveKernel) {
    const std::int64_t total = (in - 1) * stride + effectiveKernel - in * stride;
    return {total / 2, total - total / 2};
}

std::string describePadding(const ParamValue& padding) {
    if (auto* mode = std::get_if<std::string>(&padding))
        return *mode;
    return formatParamValue(padding);
}

Geometry convOutput(Size2d in, const Window2d& w) {
    std::int64_t ekh = effectiveKernel(w.kernel[0], w.dilation[0]);
    std::int64_t ekw = effectiveKernel(w.kernel[1], w.dilation[1]);
    if (isSame(w.padding))
        return {Size2d{ceilDiv(in.h, w.stride[0]), ceilDiv(in.w, w.stride[1])}, {}};
    std::int64_t ph = padOn(w.padding, 0, ekh), pw = padOn(w.padding, 1, ekw);
    if (in.h + 2 * ph < ekh || in.w + 2 * pw < ekw) {
        bool dilated = w.dilation[0] > 1 || w.dilation[1] > 1;
        std::string kernel =
            dilated ? "dilated kernel " + pair(ekh, ekw) : "kernel " + pair(ekh, ekw);
        std::string padded = (ph || pw) ? " padded by " + pair(ph, pw) : "";
        return {std::nullopt, kernel + " is larger than its " + pair(in.h, in.w) + " input" +
                                  padded + " (padding \"" + describePadding(w.padding) + "\")"};
    }
    return {
        Size2d{(in.h + 2 * ph - ekh) / w.stride[0] + 1, (in.w + 2 * pw - ekw) / w.stride[1] + 1},
        {}};
}

Geometry deconvOutput(Size2d in, const Window2d& w) {
    std::int64_t ekh = effectiveKernel(w.kernel[0], w.dilation[0]);
    std::int64_t ekw = effectiveKernel(w.kernel[1], w.dilation[1]);
    if (isSame(w.padding))
        return {Size2d{in.h * w.stride[0], in.w * w.stride[1]}, {}};
    std::int64_t ph = padOn(w.padding, 0, ekh), pw = padOn(w.padding, 1, ekw);
    Size2d out{(in.h - 1) * w.stride[0] - 2 * ph + ekh, (in.w - 1) * w.stride[1] - 2 * pw + ekw};
    if (out.h < 1 || out.w < 1)
        return {std::nullopt, "cropping " + pair(ph, pw) + " (padding \"" +
                                  describePadding(w.padding) + "\") leaves no output from its " +
                                  pair(in.h, in.w) + " input"};
    return {out, {}};
}

Geometry poolOutput(Size2d in, const Window2d& w) {
    if (isSame(w.padding))
        return {Size2d{ceilDiv(in.h, w.stride[0]), ceilDiv(in.w, w.stride[1])}, {}};
    if (in.h < w.kernel[0] || in.w < w.kernel[1])
        return {std::nullopt, "pool " + pair(w.kernel[0], w.kernel[1]) + " is larger than its " +
                                  pair(in.h, in.w) + " input (padding \"valid\")"};
    return {Size2d{(in.h - w.kernel[0]) / w.stride[0] + 1, (in.w - w.kernel[1]) / w.stride[1] + 1},
            {}};
}

} // namespace nc::graph::layers
