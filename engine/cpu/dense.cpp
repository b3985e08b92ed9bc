// Dense on the CPU: one GEMM over the whole batch (Eigen spreads it over threads). A per-step
// Dense has N x T rows of K = F features: the same GEMM.
//   forward:  Y[N, U] = X[N, K] * W[U, K]^T + b
//   backward: dW += dZ^T * X,  db += column sums of dZ,  dX += dZ * W

#include "activationfunctions.h"
#include "eigenmaps.h"
#include "kernels.h"
#include "scratch.h"

namespace nc::engine::cpu {

Status denseForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    Tensor& y = *call.output;
    const std::int64_t k = weight.dim(1), n = x.size() / k, u = weight.dim(0);
    MatrixMap out(y.data(), n, u);
    out.noalias() =
        ConstMatrixMap(x.data(), n, k) * ConstMatrixMap(weight.data(), u, k).transpose();
    if (call.attrs->useBias)
        out.rowwise() += ConstVectorMap(call.params[1]->data(), u).transpose();
    activate(call.attrs->activation, call.attrs->alpha, y.data(), {n, u, 1});
    return Status::ok();
}

Status denseBackward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    const Tensor& y = *call.output;
    const std::int64_t k = weight.dim(1), n = x.size() / k, u = weight.dim(0);
    float* dzData = scratch(1, y.size());
    activationGradient(call.attrs->activation, call.attrs->alpha, y.data(), call.gradOutput->data(),
                       dzData, {n, u, 1});
    ConstMatrixMap dz(dzData, n, u);
    if (!call.gradParams.empty() && call.gradParams[0])
        MatrixMap(call.gradParams[0]->data(), u, k).noalias() +=
            dz.transpose() * ConstMatrixMap(x.data(), n, k);
    if (call.gradParams.size() > 1 && call.gradParams[1])
        VectorMap(call.gradParams[1]->data(), u) += dz.colwise().sum().transpose();
    if (!call.gradInputs.empty() && call.gradInputs[0])
        MatrixMap(call.gradInputs[0]->data(), n, k).noalias() +=
            dz * ConstMatrixMap(weight.data(), u, k);
    return Status::ok();
}

} // namespace nc::engine::cpu
