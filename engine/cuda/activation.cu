// The Activation layer on the GPU (activationfunctions.h has the kernels).

#include "activationfunctions.h"
#include "kernels.h"

namespace nc::engine::cuda {

namespace {

// Softmax runs over the first per-sample axis, as on the CPU.
ActivationShape shapeOf(const Tensor& t) {
    const std::int64_t channels = t.rank() > 1 ? t.dim(1) : 1;
    return {t.dim(0), channels, channels > 0 ? sampleSize(t) / channels : 0};
}

} // namespace

Status activationForward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    return activate(context, call.attrs->activation, call.attrs->alpha, x.data(),
                    call.output->data(), nullptr, shapeOf(x));
}

Status activationBackward(CudaContext& context, const OpCall& call) {
    Tensor* dx = gradInput(call, 0);
    if (!dx)
        return Status::ok();
    const Tensor& y = *call.output;
    return addActivationGradient(context, call.attrs->activation, call.attrs->alpha, y.data(),
                                 call.gradOutput->data(), dx->data(), shapeOf(y));
}

} // namespace nc::engine::cuda
