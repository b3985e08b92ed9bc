// Conv2D on the CPU: im2col + GEMM per sample, samples spread over threads.
//   forward:  Y_n[F, P] = W[F, K] * col_n[K, P] + b,  K = C*kh*kw, P = OH*OW
//   backward: dW += dZ_n * col_n^T,  dcol = W^T * dZ_n -> col2im -> dX_n

#include "activationfunctions.h"
#include "eigenmaps.h"
#include "im2col.h"
#include "kernels.h"
#include "scratch.h"

#include "../threading.h"

#include <omp.h>

namespace nc::engine::cpu {

Status conv2dForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    Tensor& y = *call.output;
    const Window& win = call.attrs->window;
    const int n = int(x.dim(0)), c = int(x.dim(1)), h = int(x.dim(2)), w = int(x.dim(3));
    const int f = int(y.dim(1)), oh = int(y.dim(2)), ow = int(y.dim(3));
    const std::int64_t k = std::int64_t(c) * win.kh * win.kw, p = std::int64_t(oh) * ow;
    const bool direct = win.kh == 1 && win.kw == 1 && win.sh == 1 && win.sw == 1 &&
                        win.padTop == 0 && win.padLeft == 0 && oh == h && ow == w;
    ConstMatrixMap wm(weight.data(), f, k);
    const float* bias = call.attrs->useBias ? call.params[1]->data() : nullptr;
#pragma omp parallel for schedule(static)
    for (int s = 0; s < n; ++s) {
        const float* image = x.data() + std::int64_t(s) * c * h * w;
        const float* col = image;
        if (!direct) {
            float* buffer = scratch(0, k * p);
            im2col(image, c, h, w, win, oh, ow, buffer);
            col = buffer;
        }
        MatrixMap out(y.data() + std::int64_t(s) * f * p, f, p);
        out.noalias() = wm * ConstMatrixMap(col, k, p);
        if (bias)
            out.colwise() += ConstVectorMap(bias, f);
    }
    activate(call.attrs->activation, call.attrs->alpha, y.data(), {n, f, p});
    return Status::ok();
}

Status conv2dBackward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    const Tensor& y = *call.output;
    const Window& win = call.attrs->window;
    const int n = int(x.dim(0)), c = int(x.dim(1)), h = int(x.dim(2)), w = int(x.dim(3));
    const int f = int(y.dim(1)), oh = int(y.dim(2)), ow = int(y.dim(3));
    const std::int64_t k = std::int64_t(c) * win.kh * win.kw, p = std::int64_t(oh) * ow;

    float* dz = scratch(1, y.size());
    activationGradient(call.attrs->activation, call.attrs->alpha, y.data(), call.gradOutput->data(),
                       dz, {n, f, p});

    Tensor* dx = call.gradInputs.empty() ? nullptr : call.gradInputs[0];
    Tensor* dw = call.gradParams.empty() ? nullptr : call.gradParams[0];
    Tensor* db = call.gradParams.size() > 1 ? call.gradParams[1] : nullptr;
    const int threads = threadCount();
    ThreadPartials dwPartial(dw ? threads : 0, weight.size());
    ThreadPartials dbPartial(db ? threads : 0, f);
    ConstMatrixMap wm(weight.data(), f, k);
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num();
#pragma omp for schedule(static)
        for (int s = 0; s < n; ++s) {
            ConstMatrixMap dzs(dz + std::int64_t(s) * f * p, f, p);
            float* col = scratch(0, k * p);
            if (dw) {
                im2col(x.data() + std::int64_t(s) * c * h * w, c, h, w, win, oh, ow, col);
                MatrixMap(dwPartial.forThread(t), f, k).noalias() +=
                    dzs * ConstMatrixMap(col, k, p).transpose();
            }
            if (db)
                VectorMap(dbPartial.forThread(t), f) += dzs.rowwise().sum();
            if (dx) {
                MatrixMap dcol(col, k, p);
                dcol.noalias() = wm.transpose() * dzs;
                col2im(col, c, h, w, win, oh, ow, dx->data() + std::int64_t(s) * c * h * w);
            }
        }
    }
    if (dw)
        dwPartial.addInto(dw->data());
    if (db)
        dbPartial.addInto(db->data());
    return Status::ok();
}

} // namespace nc::engine::cpu
