#include "convolution.h"

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

Status Convolution::forward(const float* x, const float* w, float* y, float beta) {
    Result<int> algo = algorithm(kForward);
    if (!algo)
        return algo.status();
    if (Status s = check(cudnnSetConvolutionMathType(m_conv.get(),
                                                     cudnnMathType_t(algo.value() >> 8)),
                         "cudnnSetConvolutionMathType");
        !s)
        return s;
    const auto fwd = cudnnConvolutionFwdAlgo_t(algo.value() & 0xff);
    std::size_t bytes = 0;
    if (Status s = check(cudnnGetConvolutionForwardWorkspaceSize(m_context->cudnn(), m_x.get(),
                                                                 m_w.get(), m_conv.get(),
                                                                 m_y.get(), fwd, &bytes),
                         "cudnnGetConvolutionForwardWorkspaceSize");
        !s)
        return s;
    Result<void*> workspace = m_context->workspace(bytes);
    if (!workspace)
        return workspace.status();
    const float one = 1.0f;
    return check(cudnnConvolutionForward(m_context->cudnn(), &one, m_x.get(), x, m_w.get(), w,
                                         m_conv.get(), fwd, workspace.value(), bytes, &beta,
                                         m_y.get(), y),
                 "cudnnConvolutionForward");
}

Status Convolution::backwardData(const float* w, const float* dy, float* dx, float beta) {
    Result<int> algo = algorithm(kBackwardData);
    if (!algo)
        return algo.status();
    if (Status s = check(cudnnSetConvolutionMathType(m_conv.get(),
                                                     cudnnMathType_t(algo.value() >> 8)),
                         "cudnnSetConvolutionMathType");
        !s)
        return s;
    const auto bwd = cudnnConvolutionBwdDataAlgo_t(algo.value() & 0xff);
    std::size_t bytes = 0;
    if (Status s = check(cudnnGetConvolutionBackwardDataWorkspaceSize(
                             m_context->cudnn(), m_w.get(), m_y.get(), m_conv.get(), m_x.get(),
                             bwd, &bytes),
                         "cudnnGetConvolutionBackwardDataWorkspaceSize");
        !s)
        return s;
    Result<void*> workspace = m_context->workspace(bytes);
    if (!workspace)
        return workspace.status();
    const float one = 1.0f;
    return check(cudnnConvolutionBackwardData(m_context->cudnn(), &one, m_w.get(), w, m_y.get(),
                                              dy, m_conv.get(), bwd, workspace.value(), bytes,
                                              &beta, m_x.get(), dx),
                 "cudnnConvolutionBackwardData");
}

Status Convolution::backwardFilter(const float* x, const float* dy, float* dw, float beta) {
    Result<int> algo = algorithm(kBackwardFilter);
    if (!algo)
        return algo.status();
    if (Status s = check(cudnnSetConvolutionMathType(m_conv.get(),
                                                     cudnnMathType_t(algo.value() >> 8)),
                         "cudnnSetConvolutionMathType");
        !s)
        return s;
    const auto bwd = cudnnConvolutionBwdFilterAlgo_t(algo.value() & 0xff);
    std::size_t bytes = 0;
    if (Status s = check(cudnnGetConvolutionBackwardFilterWorkspaceSize(
                             m_context->cudnn(), m_x.get(), m_y.get(), m_conv.get(), m_w.get(),
                             bwd, &bytes),
                         "cudnnGetConvolutionBackwardFilterWorkspaceSize");
        !s)
        return s;
    Result<void*> workspace = m_context->workspace(bytes);
    if (!workspace)
        return workspace.status();
    const float one = 1.0f;
    return check(cudnnConvolutionBackwardFilter(m_context->cudnn(), &one, m_x.get(), x, m_y.get(),
                                                dy, m_conv.get(), bwd, workspace.value(), bytes,
                                                &beta, m_w.get(), dw),
                 "cudnnConvolutionBackwardFilter");
}

} // namespace nc::engine::cuda
