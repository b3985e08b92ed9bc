#include "convolution.h"

#include "activationfunctions.h"

#include <algorithm>

namespace nc::engine::cuda {

namespace {

enum Pass { kForward = 0, kBackwardData = 1, kBackwardFilter = 2 };

// The cache keeps the algorithm in the low byte and its math type above it.
int pack(int algo, cudnnMathType_t math) {
    return algo | (int(math) << 8);
}

// FFT and Winograd transforms lose more than 1e-4 relative in FP32 on long reductions.
bool approximate(cudnnConvolutionFwdAlgo_t a) {
    return a == CUDNN_CONVOLUTION_FWD_ALGO_FFT || a == CUDNN_CONVOLUTION_FWD_ALGO_FFT_TILING ||
           a == CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD ||
           a == CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD_NONFUSED;
}
bool approximate(cudnnConvolutionBwdDataAlgo_t a) {
    return a == CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT ||
           a == CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT_TILING ||
           a == CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD ||
           a == CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD_NONFUSED;
}
bool approximate(cudnnConvolutionBwdFilterAlgo_t a) {
    return a == CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT ||
           a == CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT_TILING ||
           a == CUDNN_CONVOLUTION_BWD_FILTER_ALGO_WINOGRAD ||
           a == CUDNN_CONVOLUTION_BWD_FILTER_ALGO_WINOGRAD_NONFUSED;
}

// The fastest result cuDNN measured that ran and whose workspace fits `maxWorkspace`. In
// strict FP32 (the default) only exact algorithms without tensor-op math qualify, and they
// run with CUDNN_FMA_MATH, which rules TF32 out (on Ampere and later CUDNN_DEFAULT_MATH would
// permit it).
template <typename Perf>
Result<int> pick(const Perf* results, int count, bool allowTf32, std::size_t maxWorkspace) {
    for (int i = 0; i < count; ++i) {
        if (results[i].status != CUDNN_STATUS_SUCCESS || results[i].memory > maxWorkspace)
            continue;
        if (!allowTf32 && approximate(results[i].algo))
            continue;
        if (allowTf32)
            return pack(int(results[i].algo), results[i].mathType);
        if (results[i].mathType == CUDNN_FMA_MATH || results[i].mathType == CUDNN_DEFAULT_MATH)
            return pack(int(results[i].algo), CUDNN_FMA_MATH);
    }
    return Status::error("cuDNN found no convolution algorithm for this shape");
}

} // namespace

Status Convolution::setUp(CudaContext& context, const ConvShape& s) {
    m_context = &context;
    m_shape = s;
    if (Status st = m_x.set(s.n, s.c, s.h, s.w); !st)
        return st;
    if (Status st = m_y.set(s.n, s.k, s.oh, s.ow); !st)
        return st;
    if (Status st = m_w.set(s.k, s.c, s.kh, s.kw); !st)
        return st;
    if (Status st = m_conv.set(s.padH, s.padW, s.strideH, s.strideW, s.dilationH, s.dilationW);
        !st)
        return st;
    int n = 0, c = 0, h = 0, w = 0;
    if (Status st = check(cudnnGetConvolution2dForwardOutputDim(m_conv.get(), m_x.get(), m_w.get(),
                                                                &n, &c, &h, &w),
                          "cudnnGetConvolution2dForwardOutputDim");
        !st)
        return st;
    if (n != s.n || c != s.k || h != s.oh || w != s.ow)
        return Status::error("convolution output " + std::to_string(h) + "x" + std::to_string(w) +
                             " differs from the expected " + std::to_string(s.oh) + "x" +
                             std::to_string(s.ow));
    m_key = std::to_string(s.n) + "," + std::to_string(s.c) + "," + std::to_string(s.h) + "," +
            std::to_string(s.w) + "," + std::to_string(s.k) + "," + std::to_string(s.kh) + "," +
            std::to_string(s.kw) + "," + std::to_string(s.padH) + "," + std::to_string(s.padW) +
            "," + std::to_string(s.strideH) + "," + std::to_string(s.strideW) + "," +
            std::to_string(s.dilationH) + "," + std::to_string(s.dilationW);
    return Status::ok();
}

Result<int> Convolution::algorithm(int pass) {
    const std::string key = std::to_string(pass) + ":" + m_key;
    auto& cache = m_context->algorithms();
    if (auto found = cache.find(key); found != cache.end())
        return found->second;
    constexpr int kRequested = 16;
    int returned = 0;
    auto remember = [&](Result<int> chosen) {
        if (chosen)
            cache[key] = chosen.value();
        return chosen;
    };
    cudnnHandle_t h = m_context->cudnn();
    const bool tf32 = m_context->allowTf32();
    if (Status s = check(cudnnSetConvolutionMathType(m_conv.get(),
                                                     tf32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH),
                         "cudnnSetConvolutionMathType");
        !s)
        return s;
    // cudnnFind allocates its own buffers with cudaMalloc: hand the pool's cached blocks back
    // first, and keep the chosen workspace to a quarter of what is then free.
    if (Status s = m_context->releaseCachedMemory(); !s)
        return s;
    std::size_t freeBytes = 0, totalBytes = 0;
    if (Status s = check(cudaMemGetInfo(&freeBytes, &totalBytes), "cudaMemGetInfo"); !s)
        return s;
    const std::size_t maxWorkspace = freeBytes / 4;
    if (pass == kForward) {
        cudnnConvolutionFwdAlgoPerf_t results[kRequested];
        if (Status s = check(cudnnFindConvolutionForwardAlgorithm(h, m_x.get(), m_w.get(),
                                                                  m_conv.get(), m_y.get(),
                                                                  kRequested, &returned, results),
                             "cudnnFindConvolutionForwardAlgorithm");
            !s)
            return s;
        return remember(pick(results, returned, tf32, maxWorkspace));
    } else if (pass == kBackwardData) {
        cudnnConvolutionBwdDataAlgoPerf_t results[kRequested];
        if (Status s = check(cudnnFindConvolutionBackwardDataAlgorithm(
                                 h, m_w.get(), m_y.get(), m_conv.get(), m_x.get(), kRequested,
                                 &returned, results),
                             "cudnnFindConvolutionBackwardDataAlgorithm");
            !s)
            return s;
        return remember(pick(results, returned, tf32, maxWorkspace));
    } else {
        cudnnConvolutionBwdFilterAlgoPerf_t results[kRequested];
        if (Status s = check(cudnnFindConvolutionBackwardFilterAlgorithm(
                                 h, m_x.get(), m_y.get(), m_conv.get(), m_w.get(), kRequested,
                                 &returned, results),
                             "cudnnFindConvolutionBackwardFilterAlgorithm");
            !s)
            return s;
        return remember(pick(results, returned, tf32, maxWorkspace));
    }
}

// The chosen algorithm of a pass, its math type set on the descriptor, and a workspace for it.
Result<Convolution::Launch> Convolution::prepare(int pass) {
    Result<int> algo = algorithm(pass);
    if (!algo)
        return algo.status();
    if (Status s = check(cudnnSetConvolutionMathType(m_conv.get(),
                                                     cudnnMathType_t(algo.value() >> 8)),
                         "cudnnSetConvolutionMathType");
        !s)
        return s;
    Launch launch{algo.value() & 0xff, nullptr, 0};
    cudnnHandle_t h = m_context->cudnn();
    const Status sized =
        pass == kForward
            ? check(cudnnGetConvolutionForwardWorkspaceSize(
                        h, m_x.get(), m_w.get(), m_conv.get(), m_y.get(),
                        cudnnConvolutionFwdAlgo_t(launch.algo), &launch.bytes),
                    "cudnnGetConvolutionForwardWorkspaceSize")
        : pass == kBackwardData
            ? check(cudnnGetConvolutionBackwardDataWorkspaceSize(
                        h, m_w.get(), m_y.get(), m_conv.get(), m_x.get(),
                        cudnnConvolutionBwdDataAlgo_t(launch.algo), &launch.bytes),
                    "cudnnGetConvolutionBackwardDataWorkspaceSize")
            : check(cudnnGetConvolutionBackwardFilterWorkspaceSize(
                        h, m_x.get(), m_y.get(), m_conv.get(), m_w.get(),
                        cudnnConvolutionBwdFilterAlgo_t(launch.algo), &launch.bytes),
                    "cudnnGetConvolutionBackwardFilterWorkspaceSize");
    if (!sized)
        return sized;
    Result<void*> workspace = m_context->workspace(launch.bytes);
    if (!workspace)
        return workspace.status();
    launch.workspace = workspace.value();
    return launch;
}

Status Convolution::forward(const float* x, const float* w, float* y, float beta) {
    Result<Launch> l = prepare(kForward);
    if (!l)
        return l.status();
    const float one = 1.0f;
    return check(cudnnConvolutionForward(m_context->cudnn(), &one, m_x.get(), x, m_w.get(), w,
                                         m_conv.get(), cudnnConvolutionFwdAlgo_t(l.value().algo),
                                         l.value().workspace, l.value().bytes, &beta, m_y.get(), y),
                 "cudnnConvolutionForward");
}

Status Convolution::backwardData(const float* w, const float* dy, float* dx, float beta) {
    Result<Launch> l = prepare(kBackwardData);
    if (!l)
        return l.status();
    const float one = 1.0f;
    return check(cudnnConvolutionBackwardData(
                     m_context->cudnn(), &one, m_w.get(), w, m_y.get(), dy, m_conv.get(),
                     cudnnConvolutionBwdDataAlgo_t(l.value().algo), l.value().workspace,
                     l.value().bytes, &beta, m_x.get(), dx),
                 "cudnnConvolutionBackwardData");
}

Status Convolution::backwardFilter(const float* x, const float* dy, float* dw, float beta) {
    Result<Launch> l = prepare(kBackwardFilter);
    if (!l)
        return l.status();
    const float one = 1.0f;
    return check(cudnnConvolutionBackwardFilter(
                     m_context->cudnn(), &one, m_x.get(), x, m_y.get(), dy, m_conv.get(),
                     cudnnConvolutionBwdFilterAlgo_t(l.value().algo), l.value().workspace,
                     l.value().bytes, &beta, m_w.get(), dw),
                 "cudnnConvolutionBackwardFilter");
}

Status addBiasGradient(CudaContext& context, const Tensor& dzShape, const float* dz, float* db) {
    TensorDesc dzDesc, dbDesc;
    if (Status s = dzDesc.set(dzShape.dim(0), dzShape.dim(1), dzShape.dim(2), dzShape.dim(3)); !s)
        return s;
    if (Status s = dbDesc.set(1, dzShape.dim(1), 1, 1); !s)
        return s;
    const float one = 1.0f;
    return check(cudnnConvolutionBackwardBias(context.cudnn(), &one, dzDesc.get(), dz, &one,
                                              dbDesc.get(), db),
                 "cudnnConvolutionBackwardBias");
}

namespace {

ActivationShape mapShape(const Tensor& y) {
    return {y.dim(0), y.dim(1), y.dim(2) * y.dim(3)};
}

} // namespace

Status finishMapOutput(CudaContext& context, const OpCall& call) {
    Tensor& y = *call.output;
    const float* bias = call.attrs->useBias ? call.params[1]->data() : nullptr;
    return activate(context, call.attrs->activation, call.attrs->alpha, y.data(), y.data(), bias,
                    mapShape(y));
}

Result<const float*> mapGradientBeforeActivation(CudaContext& context, const OpCall& call) {
    const Tensor& y = *call.output;
    Result<const float*> dz = activationGradient(context, call.attrs->activation,
                                                 call.attrs->alpha, y.data(),
                                                 call.gradOutput->data(), mapShape(y), 1);
    if (!dz)
        return dz;
    Tensor* db = call.attrs->useBias && call.gradParams.size() > 1 ? call.gradParams[1] : nullptr;
    if (db)
        if (Status s = addBiasGradient(context, y, dz.value(), db->data()); !s)
            return s;
    return dz;
}

} // namespace nc::engine::cuda
