// Dense on the GPU: cuBLAS GEMMs over the whole batch, bias and activation fused after. A
// per-step Dense has N x T rows of K = F features.
// Row-major X[N, K], W[U, K], Y[N, U] are column-major X^T, W^T, Y^T to cuBLAS, so
//   forward:  Y^T = W * X^T              (gemm T, N)
//   backward: dW^T += X^T * dZ            (gemm N, T)
//             dX^T += W^T * dZ^T          (gemm N, N)
//             db += dZ^T * ones           (gemv)

#include "activationfunctions.h"
#include "kernels.h"

namespace nc::engine::cuda {

Status denseForward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    Tensor& y = *call.output;
    const int k = int(weight.dim(1)), n = int(x.size() / k), u = int(weight.dim(0));
    const float one = 1.0f, zero = 0.0f;
    if (Status s = check(cublasSgemm(context.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, u, n, k, &one,
                                     weight.data(), k, x.data(), k, &zero, y.data(), u),
                         "cublasSgemm (Dense forward)");
        !s)
        return s;
    const float* bias = call.attrs->useBias ? call.params[1]->data() : nullptr;
    return activate(context, call.attrs->activation, call.attrs->alpha, y.data(), y.data(), bias,
                    {n, u, 1});
}

Status denseBackward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    const Tensor& y = *call.output;
    const int k = int(weight.dim(1)), n = int(x.size() / k), u = int(weight.dim(0));
    Result<const float*> dz = activationGradient(context, call.attrs->activation, call.attrs->alpha,
                                                 y.data(), call.gradOutput->data(), {n, u, 1}, 1);
    if (!dz)
        return dz.status();
    const float one = 1.0f;
    if (Tensor* dw = gradParam(call, 0))
        if (Status s = check(cublasSgemm(context.cublas(), CUBLAS_OP_N, CUBLAS_OP_T, k, u, n, &one,
                                         x.data(), k, dz.value(), u, &one, dw->data(), k),
                             "cublasSgemm (Dense weight gradient)");
            !s)
            return s;
    if (Tensor* db = call.attrs->useBias ? gradParam(call, 1) : nullptr) {
        Result<const float*> ones = context.ones(n);
        if (!ones)
            return ones.status();
        if (Status s = check(cublasSgemv(context.cublas(), CUBLAS_OP_N, u, n, &one, dz.value(), u,
                                         ones.value(), 1, &one, db->data(), 1),
                             "cublasSgemv (Dense bias gradient)");
            !s)
            return s;
    }
    if (Tensor* dx = gradInput(call, 0))
        return check(cublasSgemm(context.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, k, n, u, &one,
                                 weight.data(), k, dz.value(), u, &one, dx->data(), k),
                     "cublasSgemm (Dense input gradient)");
    return Status::ok();
}

} // namespace nc::engine::cuda
