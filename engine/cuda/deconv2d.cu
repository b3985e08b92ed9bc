// Deconv2D (transposed convolution) on the GPU: the adjoint of a cuDNN convolution whose
// input is this layer's output. The weight [Cin, Cout, kh, kw] is that convolution's filter
// as it is, so a Deconv2D tied to a Conv2D reads the Conv2D's weight unchanged.
//   forward:  y = backwardData(W, x)           (+ bias, activation)
//   backward: dx += forward(dz, W);  dW += backwardFilter(dz, x)
// A symmetric, non-negative crop is cuDNN's padding; any other crop computes the full output
// in scratch and crops (or pads) it explicitly.

#include "convolution.h"
#include "elementwise.h"
#include "kernels.h"

namespace nc::engine::cuda {

namespace {

struct DeconvPlan {
    ConvShape shape; // the convolution from the (full or cropped) output back to the input
    bool cropExplicitly;
    int cropTop, cropLeft, fullH, fullW;
};

DeconvPlan planOf(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& y = *call.output;
    const Window& win = call.attrs->window;
    DeconvPlan p{};
    p.cropExplicitly = win.padTop != win.padBottom || win.padLeft != win.padRight ||
                       win.padTop < 0 || win.padLeft < 0;
    p.cropTop = win.padTop;
    p.cropLeft = win.padLeft;
    p.fullH = int(x.dim(2) - 1) * win.sh + win.dh * (win.kh - 1) + 1;
    p.fullW = int(x.dim(3) - 1) * win.sw + win.dw * (win.kw - 1) + 1;
    p.shape = {int(y.dim(0)),
               int(y.dim(1)),
               p.cropExplicitly ? p.fullH : int(y.dim(2)),
               p.cropExplicitly ? p.fullW : int(y.dim(3)),
               int(x.dim(1)),
               win.kh,
               win.kw,
               int(x.dim(2)),
               int(x.dim(3)),
               p.cropExplicitly ? 0 : win.padTop,
               p.cropExplicitly ? 0 : win.padLeft,
               win.sh,
               win.sw,
               win.dh,
               win.dw};
    return p;
}

} // namespace

Status deconv2dForward(CudaContext& context, const OpCall& call) {
    const DeconvPlan p = planOf(call);
    Convolution conv;
    if (Status s = conv.setUp(context, p.shape); !s)
        return s;
    const Tensor& x = *call.inputs[0];
    Tensor& y = *call.output;
    const float* w = call.params[0]->data();
    if (!p.cropExplicitly) {
        if (Status s = conv.backwardData(w, x.data(), y.data(), 0.0f); !s)
            return s;
    } else {
        Result<float*> full = context.scratch(0, y.dim(0) * y.dim(1) * p.fullH * p.fullW);
        if (!full)
            return full.status();
        if (Status s = conv.backwardData(w, x.data(), full.value(), 0.0f); !s)
            return s;
        PlaneCopy crop{y.dim(0) * y.dim(1), p.fullH,    p.fullW,    int(y.dim(2)),
                       int(y.dim(3)),       p.cropTop, p.cropLeft, false};
        if (Status s = copyPlanes(context, full.value(), y.data(), crop); !s)
            return s;
    }
    return finishMapOutput(context, call);
}

Status deconv2dBackward(CudaContext& context, const OpCall& call) {
    const DeconvPlan p = planOf(call);
    Convolution conv;
    if (Status s = conv.setUp(context, p.shape); !s)
        return s;
    const Tensor& x = *call.inputs[0];
    const Tensor& y = *call.output;
    Result<const float*> dz = mapGradientBeforeActivation(context, call);
    if (!dz)
        return dz.status();
    Tensor* dx = gradInput(call, 0);
    Tensor* dw = gradParam(call, 0);
    if (!dx && !dw)
        return Status::ok();
    // The gradient in the convolution's input space: dz, or dz placed into the full output.
    const float* dzFull = dz.value();
    if (p.cropExplicitly) {
        Result<float*> full = context.scratch(2, y.dim(0) * y.dim(1) * p.fullH * p.fullW);
        if (!full)
            return full.status();
        PlaneCopy place{y.dim(0) * y.dim(1), int(y.dim(2)), int(y.dim(3)), p.fullH,
                        p.fullW,             -p.cropTop,    -p.cropLeft,   false};
        if (Status s = copyPlanes(context, dz.value(), full.value(), place); !s)
            return s;
        dzFull = full.value();
    }
    if (dx)
        if (Status s = conv.forward(dzFull, call.params[0]->data(), dx->data(), 1.0f); !s)
            return s;
    if (dw)
        if (Status s = conv.backwardFilter(dzFull, x.data(), dw->data(), 1.0f); !s)
            return s;
    return Status::ok();
}

} // namespace nc::engine::cuda
