// Deconv2D (transposed convolution) on the CPU: the adjoint of Conv2D with the same window.
// The weight is [Cin, Cout, kh, kw], a matrix W[Cin, K] with K = Cout*kh*kw; a Deconv2D tied
// to a Conv2D reads that Conv2D's [out, in, kh, kw] weight as exactly this.
//   forward:  col_n[K, HW] = W^T * X_n[Cin, HW] -> col2im onto Y_n[Cout, OH, OW], + b
//   backward: dcol = im2col(dZ_n);  dX_n += W * dcol;  dW += X_n * dcol^T

#include "activationfunctions.h"
#include "eigenmaps.h"
#include "im2col.h"
#include "kernels.h"
#include "scratch.h"

#include "../threading.h"

#include <omp.h>

namespace nc::engine::cpu {

Status deconv2dForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    Tensor& y = *call.output;
    const Window& win = call.attrs->window;
    const int n = int(x.dim(0)), cin = int(x.dim(1)), h = int(x.dim(2)), w = int(x.dim(3));
    const int cout = int(y.dim(1)), oh = int(y.dim(2)), ow = int(y.dim(3));
    const std::int64_t k = std::int64_t(cout) * win.kh * win.kw, hw = std::int64_t(h) * w;
    const std::int64_t outPlane = std::int64_t(oh) * ow;
    ConstMatrixMap wm(weight.data(), cin, k);
    const float* bias = call.attrs->useBias ? call.params[1]->data() : nullptr;
#pragma omp parallel for schedule(static)
    for (int s = 0; s < n; ++s) {
        float* col = scratch(0, k * hw);
        MatrixMap(col, k, hw).noalias() =
            wm.transpose() * ConstMatrixMap(x.data() + std::int64_t(s) * cin * hw, cin, hw);
        float* out = y.data() + std::int64_t(s) * cout * outPlane;
        std::fill(out, out + cout * outPlane, 0.0f);
        col2im(col, cout, oh, ow, win, h, w, out);
        if (bias)
            MatrixMap(out, cout, outPlane).colwise() += ConstVectorMap(bias, cout);
    }
    activate(call.attrs->activation, call.attrs->alpha, y.data(), {n, cout, outPlane});
    return Status::ok();
}

Status deconv2dBackward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    const Tensor& y = *call.output;
    const Window& win = call.attrs->window;
    const int n = int(x.dim(0)), cin = int(x.dim(1)), h = int(x.dim(2)), w = int(x.dim(3));
    const int cout = int(y.dim(1)), oh = int(y.dim(2)), ow = int(y.dim(3));
    const std::int64_t k = std::int64_t(cout) * win.kh * win.kw, hw = std::int64_t(h) * w;
    const std::int64_t outPlane = std::int64_t(oh) * ow;

    float* dz = scratch(1, y.size());
    activationGradient(call.attrs->activation, call.attrs->alpha, y.data(), call.gradOutput->data(),
                       dz, {n, cout, outPlane});
    Tensor* dx = call.gradInputs.empty() ? nullptr : call.gradInputs[0];
    Tensor* dw = call.gradParams.empty() ? nullptr : call.gradParams[0];
    Tensor* db = call.gradParams.size() > 1 ? call.gradParams[1] : nullptr;
    const int threads = threadCount();
    ThreadPartials dwPartial(dw ? threads : 0, weight.size());
    ThreadPartials dbPartial(db ? threads : 0, cout);
    ConstMatrixMap wm(weight.data(), cin, k);
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num();
#pragma omp for schedule(static)
        for (int s = 0; s < n; ++s) {
            const float* dzs = dz + std::int64_t(s) * cout * outPlane;
            if (db)
                VectorMap(dbPartial.forThread(t), cout) +=
                    ConstMatrixMap(dzs, cout, outPlane).rowwise().sum();
            if (!dx && !dw)
                continue;
            float* col = scratch(0, k * hw);
            im2col(dzs, cout, oh, ow, win, h, w, col);
            ConstMatrixMap dcol(col, k, hw);
            if (dx)
                MatrixMap(dx->data() + std::int64_t(s) * cin * hw, cin, hw).noalias() += wm * dcol;
            if (dw)
                MatrixMap(dwPartial.forThread(t), cin, k).noalias() +=
                    ConstMatrixMap(x.data() + std::int64_t(s) * cin * hw, cin, hw) *
                    dcol.transpose();
        }
    }
    if (dw)
        dwPartial.addInto(dw->data());
    if (db)
        dbPartial.addInto(db->data());
    return Status::ok();
}

} // namespace nc::engine::cpu
