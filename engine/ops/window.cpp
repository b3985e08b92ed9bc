#include "window.h"

#include <algorithm>

namespace nc::engine {

using namespace nc::graph;

namespace {

// Splits a total padding like TensorFlow: the odd cell goes at the end.
void splitPadding(std::int64_t total, int& before, int& after) {
    before = int(total / 2);
    after = int(total - before);
}

} // namespace

Window windowOf(const IntList& kernel, const IntList& stride, const IntList& dilation) {
    Window w;
    w.kh = int(kernel[0]);
    w.kw = int(kernel[1]);
    w.sh = int(stride[0]);
    w.sw = int(stride[1]);
    w.dh = int(dilation[0]);
    w.dw = int(dilation[1]);
    return w;
}

void resolvePadding(const ParamValue& padding, Window& w, const Dims& in, const Dims& out,
                    bool transposed) {
    const int ekh = w.dh * (w.kh - 1) + 1, ekw = w.dw * (w.kw - 1) + 1;
    if (auto* explicitPad = std::get_if<IntList>(&padding)) {
        w.padTop = w.padBottom = int((*explicitPad)[0]);
        w.padLeft = w.padRight = int((*explicitPad)[1]);
        return;
    }
    const std::string& mode = std::get<std::string>(padding);
    if (mode == "full") {
        w.padTop = w.padBottom = ekh - 1;
        w.padLeft = w.padRight = ekw - 1;
    } else if (mode == "same") {
        // conv: in + total = (out-1)s + ek;  deconv: out = (in-1)s + ek - total
        std::int64_t th =
            transposed ? (in[1] - 1) * w.sh + ekh - out[1] : (out[1] - 1) * w.sh + ekh - in[1];
        std::int64_t tw =
            transposed ? (in[2] - 1) * w.sw + ekw - out[2] : (out[2] - 1) * w.sw + ekw - in[2];
        splitPadding(transposed ? th : std::max<std::int64_t>(th, 0), w.padTop, w.padBottom);
        splitPadding(transposed ? tw : std::max<std::int64_t>(tw, 0), w.padLeft, w.padRight);
    }
}

ActivationKind activationKind(const std::string& name) {
    if (name == "relu")
        return ActivationKind::Relu;
    if (name == "tanh")
        return ActivationKind::Tanh;
    if (name == "sigmoid")
        return ActivationKind::Sigmoid;
    if (name == "softmax")
        return ActivationKind::Softmax;
    if (name == "leaky_relu")
        return ActivationKind::LeakyRelu;
    if (name == "elu")
        return ActivationKind::Elu;
    return ActivationKind::Linear;
}

float fusedAlpha(ActivationKind kind) {
    return kind == ActivationKind::Elu ? 1.0f : 0.01f;
}

} // namespace nc::engine
