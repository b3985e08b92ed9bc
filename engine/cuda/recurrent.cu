// SimpleRNN, LSTM and GRU on the GPU through cuDNN's RNN API (v8: cudnnRNNForward,
// cudnnRNNBackwardData_v8, cudnnRNNBackwardWeights_v8), with PyTorch's conventions as on the
// CPU: cuDNN's gate orders (LSTM i, f, g, o; GRU r, z, n with the reset gate after the hidden
// matmul) and its two biases are PyTorch's, whose GPU RNNs are cuDNN's.
//
// The parameters stay the separate PyTorch tensors (weight_ih, weight_hh, bias_ih, bias_hh
// per direction); forward packs them into cuDNN's weight space, one copy per contiguous run,
// and backward adds cuDNN's weight gradients back into their gradients.
// x [N, T, F] and every step's output [N, T, D*H] are cuDNN's batch-major unpacked data as
// they are; initial and final states are [N, D*H] here and [D, N, H] in cuDNN, so they are
// transposed on the way in and out.
// Forward always runs in cuDNN's training mode (the probes take gradients of evaluation
// passes), and the state keeps what backward needs: the packed weights, the reserve space,
// y, hx and cx, and the sequence lengths (all T).

#include "cudnnhelpers.h"
#include "elementwise.h"
#include "kernels.h"

#include <algorithm>
#include <vector>

namespace nc::engine::cuda {

namespace {

struct Sizes {
    std::int64_t n, t, f, h, d, g;
};

Sizes sizesOf(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const std::int64_t g = call.kind == OpKind::LSTM ? 4 : call.kind == OpKind::GRU ? 3 : 1;
    return {x.dim(0), x.dim(1), x.dim(2), call.attrs->units, call.attrs->bidirectional ? 2 : 1, g};
}

const Tensor* initialState(const OpCall& call, std::size_t port) {
    return port < call.inputs.size() ? call.inputs[port] : nullptr;
}

// cuDNN's descriptors for one call, released on every return.
class RnnSetup {
public:
    ~RnnSetup() {
        if (m_x)
            cudnnDestroyRNNDataDescriptor(m_x);
        if (m_y)
            cudnnDestroyRNNDataDescriptor(m_y);
        if (m_state)
            cudnnDestroyTensorDescriptor(m_state);
        if (m_rnn)
            cudnnDestroyRNNDescriptor(m_rnn);
        if (m_dropout)
            cudnnDestroyDropoutDescriptor(m_dropout);
    }

    Status init(CudaContext& context, const OpCall& call, const Sizes& s) {
        if (std::max({s.n * s.t * std::max(s.f, s.d * s.h), s.d * s.n * s.h}) > INT32_MAX)
            return Status::error("the sequence batch exceeds cuDNN's 32-bit limits");
        if (Status st = create(); !st)
            return st;
        cudnnHandle_t handle = context.cudnn();
        // One layer: cuDNN applies no dropout, but wants a descriptor (without RNG states).
        if (Status st = check(cudnnSetDropoutDescriptor(m_dropout, handle, 0.0f, nullptr, 0, 0),
                              "cudnnSetDropoutDescriptor");
            !st)
            return st;
        const cudnnRNNMode_t cell = call.kind == OpKind::LSTM  ? CUDNN_LSTM
                                    : call.kind == OpKind::GRU ? CUDNN_GRU
                                                               : CUDNN_RNN_TANH;
        const cudnnMathType_t math = context.allowTf32() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
        if (Status st =
                check(cudnnSetRNNDescriptor_v8(
                          m_rnn, CUDNN_RNN_ALGO_STANDARD, cell, CUDNN_RNN_DOUBLE_BIAS,
                          s.d == 2 ? CUDNN_BIDIRECTIONAL : CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT,
                          CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, math, int(s.f), int(s.h), int(s.h), 1,
                          m_dropout, CUDNN_RNN_PADDED_IO_DISABLED),
                      "cudnnSetRNNDescriptor_v8");
            !st)
            return st;
        const std::vector<int> lengths(std::size_t(s.n), int(s.t));
        for (auto [desc, width] : {std::pair{m_x, s.f}, std::pair{m_y, s.d * s.h}})
            if (Status st =
                    check(cudnnSetRNNDataDescriptor(
                              desc, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED,
                              int(s.t), int(s.n), int(width), lengths.data(), nullptr),
                          "cudnnSetRNNDataDescriptor");
                !st)
                return st;
        const int dims[3] = {int(s.d), int(s.n), int(s.h)};
        const int strides[3] = {int(s.n * s.h), int(s.h), 1};
        if (Status st =
                check(cudnnSetTensorNdDescriptor(m_state, CUDNN_DATA_FLOAT, 3, dims, strides),
                      "cudnnSetTensorNdDescriptor");
            !st)
            return st;
        if (Status st = check(cudnnGetRNNWeightSpaceSize(handle, m_rnn, &weightBytes),
                              "cudnnGetRNNWeightSpaceSize");
            !st)
            return st;
        return check(cudnnGetRNNTempSpaceSizes(handle, m_rnn, CUDNN_FWD_MODE_TRAINING, m_x,
                                               &workBytes, &reserveBytes),
                     "cudnnGetRNNTempSpaceSizes");
    }

    cudnnRNNDescriptor_t rnn() const { return m_rnn; }
    cudnnRNNDataDescriptor_t x() const { return m_x; }
    cudnnRNNDataDescriptor_t y() const { return m_y; }
    cudnnTensorDescriptor_t state() const { return m_state; } // h and c: [D, N, H]

    std::size_t weightBytes = 0, workBytes = 0, reserveBytes = 0;

private:
    Status create() {
        if (Status st =
                check(cudnnCreateDropoutDescriptor(&m_dropout), "cudnnCreateDropoutDescriptor");
            !st)
            return st;
        if (Status st = check(cudnnCreateRNNDescriptor(&m_rnn), "cudnnCreateRNNDescriptor"); !st)
            return st;
        if (Status st = check(cudnnCreateTensorDescriptor(&m_state), "cudnnCreateTensorDescriptor");
            !st)
            return st;
        if (Status st = check(cudnnCreateRNNDataDescriptor(&m_x), "cudnnCreateRNNDataDescriptor");
            !st)
            return st;
        return check(cudnnCreateRNNDataDescriptor(&m_y), "cudnnCreateRNNDataDescriptor");
    }

    cudnnDropoutDescriptor_t m_dropout = nullptr;
    cudnnRNNDescriptor_t m_rnn = nullptr;
    cudnnTensorDescriptor_t m_state = nullptr;
    cudnnRNNDataDescriptor_t m_x = nullptr, m_y = nullptr;
};

// Where the kept state's parts live in call.state, in floats (each part 256-byte aligned).
struct StateLayout {
    std::int64_t weights, reserve, y, hx, cx, lengths, total;
};

StateLayout stateLayout(const Sizes& s, const RnnSetup& setup) {
    auto aligned = [](std::int64_t floats) { return (floats + 63) / 64 * 64; };
    StateLayout l{};
    l.weights = 0;
    l.reserve = l.weights + aligned(std::int64_t(setup.weightBytes + 3) / 4);
    l.y = l.reserve + aligned(std::int64_t(setup.reserveBytes + 3) / 4);
    l.hx = l.y + aligned(s.n * s.t * s.d * s.h);
    l.cx = l.hx + aligned(s.d * s.n * s.h);
    l.lengths = l.cx + aligned(s.d * s.n * s.h);
    l.total = l.lengths + aligned(s.n);
    return l;
}

// One contiguous run shared by a parameter tensor and cuDNN's weight space.
struct WeightRun {
    std::size_t param;
    std::int64_t paramOffset, spaceOffset, count;
};

// The runs of every parameter in the weight space at `space`: cuDNN's linear layers 0..G-1
// are the input weights per gate, G..2G-1 the hidden ones, each with its bias; neighbours
// that are contiguous on both sides become one run.
Result<std::vector<WeightRun>> weightRuns(CudaContext& context, const RnnSetup& setup,
                                          const Sizes& s, float* space) {
    TensorDesc matrix, bias; // filled in by cuDNN
    std::vector<WeightRun> runs;
    for (std::int64_t d = 0; d < s.d; ++d)
        for (std::int64_t lin = 0; lin < 2 * s.g; ++lin) {
            void* matrixAt = nullptr;
            void* biasAt = nullptr;
            if (Status st =
                    check(cudnnGetRNNWeightParams(context.cudnn(), setup.rnn(), int(d),
                                                  setup.weightBytes, space, int(lin), matrix.get(),
                                                  &matrixAt, bias.get(), &biasAt),
                          "cudnnGetRNNWeightParams");
                !st)
                return st;
            if (!matrixAt || !biasAt)
                return Status::error("cuDNN's weight space lacks a gate's weights");
            const bool input = lin < s.g;
            const std::int64_t gate = input ? lin : lin - s.g;
            const std::int64_t columns = input ? s.f : s.h;
            const std::size_t first = std::size_t(4 * d);
            runs.push_back({first + (input ? 0 : 1), gate * s.h * columns,
                            static_cast<float*>(matrixAt) - space, s.h * columns});
            runs.push_back(
                {first + (input ? 2 : 3), gate * s.h, static_cast<float*>(biasAt) - space, s.h});
        }
    std::sort(runs.begin(), runs.end(),
              [](const WeightRun& a, const WeightRun& b) { return a.spaceOffset < b.spaceOffset; });
    std::vector<WeightRun> merged;
    for (const WeightRun& r : runs) {
        if (!merged.empty()) {
            WeightRun& last = merged.back();
            if (last.param == r.param && last.paramOffset + last.count == r.paramOffset &&
                last.spaceOffset + last.count == r.spaceOffset) {
                last.count += r.count;
                continue;
            }
        }
        merged.push_back(r);
    }
    return merged;
}

__global__ void fillLengthsKernel(int* lengths, std::int64_t n, int value) {
    for (std::int64_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += std::int64_t(blockDim.x) * gridDim.x)
        lengths[i] = value;
}

// [N][D*H] -> [D][N][H]
__global__ void toDirectionMajorKernel(const float* src, float* dst, Sizes s) {
    const std::int64_t total = s.d * s.n * s.h;
    for (std::int64_t i = blockIdx.x * blockDim.x + threadIdx.x; i < total;
         i += std::int64_t(blockDim.x) * gridDim.x) {
        const std::int64_t j = i % s.h, n = i / s.h % s.n, d = i / (s.h * s.n);
        dst[i] = src[(n * s.d + d) * s.h + j];
    }
}

// [D][N][H] -> [N][D*H], written or added.
__global__ void fromDirectionMajorKernel(const float* src, float* dst, Sizes s, bool accumulate) {
    const std::int64_t total = s.d * s.n * s.h;
    for (std::int64_t i = blockIdx.x * blockDim.x + threadIdx.x; i < total;
         i += std::int64_t(blockDim.x) * gridDim.x) {
        const std::int64_t j = i % s.h, n = i / s.h % s.n, d = i / (s.h * s.n);
        float& to = dst[(n * s.d + d) * s.h + j];
        to = accumulate ? to + src[i] : src[i];
    }
}

Status toDirectionMajor(CudaContext& context, const float* src, float* dst, const Sizes& s) {
    toDirectionMajorKernel<<<blocksFor(s.d * s.n * s.h), 256, 0, context.stream()>>>(src, dst, s);
    return checkLaunch("toDirectionMajorKernel");
}

Status fromDirectionMajor(CudaContext& context, const float* src, float* dst, const Sizes& s,
                          bool accumulate) {
    fromDirectionMajorKernel<<<blocksFor(s.d * s.n * s.h), 256, 0, context.stream()>>>(src, dst, s,
                                                                                       accumulate);
    return checkLaunch("fromDirectionMajorKernel");
}

// The setup, the kept state's layout and its parts, for forward and backward alike.
struct Prepared {
    RnnSetup setup;
    StateLayout layout{};
    float* weights = nullptr;
    void* reserve = nullptr;
    float* y = nullptr;
    float* hx = nullptr; // null: zero initial state
    float* cx = nullptr;
    int* lengths = nullptr;
};

Status prepare(CudaContext& context, const OpCall& call, const Sizes& s, Prepared& p) {
    if (Status st = p.setup.init(context, call, s); !st)
        return st;
    p.layout = stateLayout(s, p.setup);
    float* base = call.state->data();
    p.weights = base + p.layout.weights;
    p.reserve = base + p.layout.reserve;
    p.y = base + p.layout.y;
    p.hx = initialState(call, 1) ? base + p.layout.hx : nullptr;
    p.cx = initialState(call, 2) ? base + p.layout.cx : nullptr;
    p.lengths = reinterpret_cast<int*>(base + p.layout.lengths);
    return Status::ok();
}

} // namespace

Status recurrentForward(CudaContext& context, const OpCall& call) {
    const Sizes s = sizesOf(call);
    Prepared p;
    if (Status st = p.setup.init(context, call, s); !st)
        return st;
    if (Status st = resizeState(context, *call.state, {stateLayout(s, p.setup).total}); !st)
        return st;
    if (Status st = prepare(context, call, s, p); !st)
        return st;
    auto runs = weightRuns(context, p.setup, s, p.weights);
    if (!runs)
        return runs.status();
    for (const WeightRun& r : runs.value())
        if (Status st = check(cudaMemcpyAsync(p.weights + r.spaceOffset,
                                              call.params[r.param]->data() + r.paramOffset,
                                              std::size_t(r.count) * sizeof(float),
                                              cudaMemcpyDeviceToDevice, context.stream()),
                              "cudaMemcpyAsync");
            !st)
            return st;
    fillLengthsKernel<<<blocksFor(s.n), 256, 0, context.stream()>>>(p.lengths, s.n, int(s.t));
    if (Status st = checkLaunch("fillLengthsKernel"); !st)
        return st;
    for (auto [port, kept] : {std::pair{std::size_t(1), p.hx}, std::pair{std::size_t(2), p.cx}})
        if (kept)
            if (Status st = toDirectionMajor(context, initialState(call, port)->data(), kept, s);
                !st)
                return st;
    const bool sequences = call.attrs->returnSequences;
    float* hy = nullptr;
    if (!sequences) {
        auto buffer = context.scratch(0, s.d * s.n * s.h);
        if (!buffer)
            return buffer.status();
        hy = buffer.value();
    }
    auto work = context.workspace(p.setup.workBytes);
    if (!work)
        return work.status();
    if (Status st =
            check(cudnnRNNForward(context.cudnn(), p.setup.rnn(), CUDNN_FWD_MODE_TRAINING,
                                  p.lengths, p.setup.x(), call.inputs[0]->data(), p.setup.y(), p.y,
                                  p.setup.state(), p.hx, hy, p.setup.state(), p.cx, nullptr,
                                  p.setup.weightBytes, p.weights, p.setup.workBytes, work.value(),
                                  p.setup.reserveBytes, p.reserve),
                  "cudnnRNNForward");
        !st)
        return st;
    if (sequences)
        return check(cudaMemcpyAsync(call.output->data(), p.y,
                                     std::size_t(call.output->size()) * sizeof(float),
                                     cudaMemcpyDeviceToDevice, context.stream()),
                     "cudaMemcpyAsync");
    return fromDirectionMajor(context, hy, call.output->data(), s, false);
}

Status recurrentBackward(CudaContext& context, const OpCall& call) {
    const Sizes s = sizesOf(call);
    Prepared p;
    if (Status st = prepare(context, call, s, p); !st)
        return st;
    if (call.state->size() != p.layout.total)
        return Status::error("backward of a recurrent layer without its forward pass");
    const bool sequences = call.attrs->returnSequences;
    const std::int64_t ySize = s.n * s.t * s.d * s.h;
    // Scratch: 0 dy (zero when only the final state has a gradient), 1 dhy, 2 dx, 3 dhx,
    // 4 dcx, 5 the weight gradients.
    auto scratchFor = [&](int slot, std::int64_t count) { return context.scratch(slot, count); };
    const float* dy = call.gradOutput->data();
    const float* dhy = nullptr;
    if (!sequences) {
        auto zeros = scratchFor(0, ySize);
        auto finalGrad = scratchFor(1, s.d * s.n * s.h);
        if (!zeros || !finalGrad)
            return !zeros ? zeros.status() : finalGrad.status();
        if (Status st = fillDevice(context, zeros.value(), 0.0f, ySize); !st)
            return st;
        if (Status st = toDirectionMajor(context, call.gradOutput->data(), finalGrad.value(), s);
            !st)
            return st;
        dy = zeros.value();
        dhy = finalGrad.value();
    }
    auto dx = scratchFor(2, s.n * s.t * s.f);
    if (!dx)
        return dx.status();
    Tensor* dh0 = gradInput(call, 1);
    Tensor* dc0 = gradInput(call, 2);
    float* dhx = nullptr;
    float* dcx = nullptr;
    for (auto [slot, wanted, into] :
         {std::tuple{3, dh0 && p.hx, &dhx}, std::tuple{4, dc0 && p.cx, &dcx}}) {
        if (!wanted)
            continue;
        auto buffer = scratchFor(slot, s.d * s.n * s.h);
        if (!buffer)
            return buffer.status();
        *into = buffer.value();
    }
    auto work = context.workspace(p.setup.workBytes);
    if (!work)
        return work.status();
    if (Status st = check(cudnnRNNBackwardData_v8(
                              context.cudnn(), p.setup.rnn(), p.lengths, p.setup.y(), p.y, dy,
                              p.setup.x(), dx.value(), p.setup.state(), p.hx, dhy, dhx,
                              p.setup.state(), p.cx, nullptr, dcx, p.setup.weightBytes, p.weights,
                              p.setup.workBytes, work.value(), p.setup.reserveBytes, p.reserve),
                          "cudnnRNNBackwardData_v8");
        !st)
        return st;
    bool anyParam = false;
    for (std::size_t i = 0; i < call.params.size(); ++i)
        anyParam = anyParam || gradParam(call, i);
    if (anyParam) {
        auto dw = scratchFor(5, std::int64_t(p.setup.weightBytes + 3) / 4);
        if (!dw)
            return dw.status();
        if (Status st = check(cudaMemsetAsync(dw.value(), 0, p.setup.weightBytes, context.stream()),
                              "cudaMemsetAsync");
            !st)
            return st;
        if (Status st = check(cudnnRNNBackwardWeights_v8(
                                  context.cudnn(), p.setup.rnn(), CUDNN_WGRAD_MODE_ADD, p.lengths,
                                  p.setup.x(), call.inputs[0]->data(), p.setup.state(), p.hx,
                                  p.setup.y(), p.y, p.setup.weightBytes, dw.value(),
                                  p.setup.workBytes, work.value(), p.setup.reserveBytes, p.reserve),
                              "cudnnRNNBackwardWeights_v8");
            !st)
            return st;
        auto runs = weightRuns(context, p.setup, s, dw.value());
        if (!runs)
            return runs.status();
        for (const WeightRun& r : runs.value())
            if (Tensor* grad = gradParam(call, r.param))
                if (Status st = addInto(context, grad->data() + r.paramOffset,
                                        dw.value() + r.spaceOffset, r.count);
                    !st)
                    return st;
    }
    if (Tensor* gx = gradInput(call, 0))
        if (Status st = addInto(context, gx->data(), dx.value(), gx->size()); !st)
            return st;
    if (dhx)
        if (Status st = fromDirectionMajor(context, dhx, dh0->data(), s, true); !st)
            return st;
    if (dcx)
        if (Status st = fromDirectionMajor(context, dcx, dc0->data(), s, true); !st)
            return st;
    return Status::ok();
}

} // namespace nc::engine::cuda
