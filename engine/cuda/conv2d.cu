// Conv2D on the GPU: cuDNN's convolution (forward, backward data, backward filter) with the
// bias and activation fused into one kernel after it. Symmetric padding goes to cuDNN;
// asymmetric padding ("same" with an even total) pads the input explicitly first.

#include "convolution.h"
#include "elementwise.h"
#include "kernels.h"

namespace nc::engine::cuda {

namespace {

struct ConvPlan {
    ConvShape shape;
    bool padExplicitly;
    int padTop, padLeft, paddedH, paddedW;
};

ConvPlan planOf(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& y = *call.output;
    const Window& win = call.attrs->window;
    ConvPlan p{};
    p.padExplicitly = win.padTop != win.padBottom || win.padLeft != win.padRight;
    p.padTop = win.padTop;
    p.padLeft = win.padLeft;
    p.paddedH = int(x.dim(2)) + win.padTop + win.padBottom;
    p.paddedW = int(x.dim(3)) + win.padLeft + win.padRight;
    p.shape = {int(x.dim(0)),
               int(x.dim(1)),
               p.padExplicitly ? p.paddedH : int(x.dim(2)),
               p.padExplicitly ? p.paddedW : int(x.dim(3)),
               int(y.dim(1)),
               win.kh,
               win.kw,
               int(y.dim(2)),
               int(y.dim(3)),
               p.padExplicitly ? 0 : win.padTop,
               p.padExplicitly ? 0 : win.padLeft,
               win.sh,
               win.sw,
               win.dh,
               win.dw};
    return p;
}

// The convolution's input: x itself, or x padded into scratch slot 0.
Result<const float*> convInput(CudaContext& context, const ConvPlan& p, const Tensor& x) {
    if (!p.padExplicitly)
        return x.data();
    Result<float*> padded = context.scratch(0, x.dim(0) * x.dim(1) * p.paddedH * p.paddedW);
    if (!padded)
        return padded.status();
    PlaneCopy copy{x.dim(0) * x.dim(1), int(x.dim(2)), int(x.dim(3)), p.paddedH, p.paddedW,
                   -p.padTop, -p.padLeft, false};
    if (Status s = copyPlanes(context, x.data(), padded.value(), copy); !s)
        return s;
    return static_cast<const float*>(padded.value());
}

} // namespace

Status conv2dForward(CudaContext& context, const OpCall& call) {
    const ConvPlan p = planOf(call);
    Convolution conv;
    if (Status s = conv.setUp(context, p.shape); !s)
        return s;
    Result<const float*> input = convInput(context, p, *call.inputs[0]);
    if (!input)
        return input.status();
    Tensor& y = *call.output;
    if (Status s = conv.forward(input.value(), call.params[0]->data(), y.data(), 0.0f); !s)
        return s;
    return finishMapOutput(context, call);
}

Status conv2dBackward(CudaContext& context, const OpCall& call) {
    const ConvPlan p = planOf(call);
    Convolution conv;
    if (Status s = conv.setUp(context, p.shape); !s)
        return s;
    const Tensor& x = *call.inputs[0];
    Result<const float*> dz = mapGradientBeforeActivation(context, call);
    if (!dz)
        return dz.status();
    if (Tensor* dw = gradParam(call, 0)) {
        Result<const float*> input = convInput(context, p, x);
        if (!input)
            return input.status();
        if (Status s = conv.backwardFilter(input.value(), dz.value(), dw->data(), 1.0f); !s)
            return s;
    }
    Tensor* dx = gradInput(call, 0);
    if (!dx)
        return Status::ok();
    if (!p.padExplicitly)
        return conv.backwardData(call.params[0]->data(), dz.value(), dx->data(), 1.0f);
    Result<float*> dPadded = context.scratch(2, x.dim(0) * x.dim(1) * p.paddedH * p.paddedW);
    if (!dPadded)
        return dPadded.status();
    if (Status s = conv.backwardData(call.params[0]->data(), dz.value(), dPadded.value(), 0.0f);
        !s)
        return s;
    PlaneCopy crop{x.dim(0) * x.dim(1), p.paddedH,     p.paddedW, int(x.dim(2)),
                   int(x.dim(3)),       p.padTop,      p.padLeft, true};
    return copyPlanes(context, dPadded.value(), dx->data(), crop);
}

} // namespace nc::engine::cuda
