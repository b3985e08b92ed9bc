#include "window.h"

#include "../activations.h"

#include "graph_model/layers/convgeometry.h"

#include <algorithm>

namespace nc::engine {

using namespace nc::graph;
using nc::graph::layers::PadSplit;
using nc::graph::layers::sameCrop;
using nc::graph::layers::samePadding;

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
        const PadSplit h = transposed ? sameCrop(in[1], w.sh, ekh) : samePadding(in[1], w.sh, ekh);
        const PadSplit v = transposed ? sameCrop(in[2], w.sw, ekw) : samePadding(in[2], w.sw, ekw);
        w.padTop = int(h.before);
        w.padBottom = int(h.after);
        w.padLeft = int(v.before);
        w.padRight = int(v.after);
    }
    (void)out;
}

ActivationKind activationKind(const std::string& name) {
    const ActivationFacts* facts = findActivation(name);
    return facts ? facts->kind : ActivationKind::Linear;
}

float fusedAlpha(ActivationKind kind) {
    return activationFacts(kind).fusedAlpha;
}

} // namespace nc::engine
