// SimpleRNN, LSTM and GRU on the CPU, over x [N, T, F]. Per direction:
//   forward:  XP[N*T, G*H] = X W_ih^T + b_ih, one GEMM for every time step; then per step
//             HP[N, G*H] = h' W_hh^T + b_hh and the cell (recurrentcells.h).
//   backward: through time, last step first; each step's d xp and d hp are kept, so the
//             weight gradients and d x are again one GEMM each over all steps.
// The backward direction walks t = T-1 .. 0. The output is [N, T, D*H] with every step's state,
// or [N, D*H] with each direction's final state (PyTorch's h_n), directions side by side.
// The initial states h0 (inputs[1]) and c0 (inputs[2], LSTM) are [N, D*H] laid out like that
// final state, or zero when their port is unconnected; backward adds their gradients.
// The state kept for backward, per direction: gates [T][N][G*H], hidden [T+1][N][H] in walking
// order (hidden[0] is the initial state), and for LSTM cells [T+1][N][H], for GRU the hidden
// projections of n [T][N][H].

#include "eigenmaps.h"
#include "kernels.h"
#include "recurrentcells.h"
#include "scratch.h"

#include <algorithm>

namespace nc::engine::cpu {

namespace {

using StridedMap = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;
using ConstStridedMap = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;

struct Sizes {
    OpKind kind;
    std::int64_t n, t, f, h, g, d;
    std::int64_t gh() const { return g * h; }
    std::int64_t width() const { return d * h; } // output features
};

Sizes sizesOf(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const OpAttrs& a = *call.attrs;
    const std::int64_t h = a.units;
    return {
        call.kind, x.dim(0), x.dim(1), x.dim(2), h, gateCount(call.kind), a.bidirectional ? 2 : 1};
}

// Where one direction's kept state lives inside call.state.
struct DirectionState {
    float* gates;
    float* hidden;
    float* cells; // LSTM
    float* hpn;   // GRU
};

std::int64_t stateSizePerDirection(const Sizes& s) {
    std::int64_t size = s.t * s.n * s.gh() + (s.t + 1) * s.n * s.h;
    if (s.kind == OpKind::LSTM)
        size += (s.t + 1) * s.n * s.h;
    if (s.kind == OpKind::GRU)
        size += s.t * s.n * s.h;
    return size;
}

DirectionState directionState(const Sizes& s, float* base, std::int64_t direction) {
    float* p = base + direction * stateSizePerDirection(s);
    DirectionState state{p, p + s.t * s.n * s.gh(), nullptr, nullptr};
    float* next = state.hidden + (s.t + 1) * s.n * s.h;
    if (s.kind == OpKind::LSTM)
        state.cells = next;
    if (s.kind == OpKind::GRU)
        state.hpn = next;
    return state;
}

// The time step visited at walking position `s` by direction `d`.
std::int64_t timeAt(const Sizes& sz, std::int64_t d, std::int64_t s) {
    return d == 0 ? s : sz.t - 1 - s;
}

// Where row n of the output (and of its gradient) for time t, or for the final state, holds
// this direction's H columns.
std::int64_t outputOffset(const Sizes& s, bool sequences, std::int64_t n, std::int64_t t,
                          std::int64_t d) {
    const std::int64_t row = sequences ? n * s.t + t : n;
    return row * s.width() + d * s.h;
}

// The initial state on input port `port` (1: h0, 2: c0), null when it is unconnected.
const Tensor* initialState(const OpCall& call, std::size_t port) {
    return port < call.inputs.size() ? call.inputs[port] : nullptr;
}

// Fills [N][H] with this direction's rows of an initial state, or zeros.
void loadInitialState(const Sizes& s, const Tensor* given, std::int64_t d, float* to) {
    if (!given) {
        std::fill(to, to + s.n * s.h, 0.0f);
        return;
    }
    for (std::int64_t n = 0; n < s.n; ++n) {
        const float* from = given->data() + outputOffset(s, false, n, 0, d);
        std::copy(from, from + s.h, to + n * s.h);
    }
}

// Adds [N][H] to this direction's rows of an initial state's gradient.
void addInitialStateGradient(const Sizes& s, const float* from, std::int64_t d, Tensor* into) {
    if (!into)
        return;
    for (std::int64_t n = 0; n < s.n; ++n) {
        float* row = into->data() + outputOffset(s, false, n, 0, d);
        for (std::int64_t j = 0; j < s.h; ++j)
            row[j] += from[n * s.h + j];
    }
}

void forwardDirection(const OpCall& call, const Sizes& s, std::int64_t d,
                      const DirectionState& st) {
    const Tensor& wih = *call.params[std::size_t(4 * d)];
    const Tensor& whh = *call.params[std::size_t(4 * d + 1)];
    const Tensor& bih = *call.params[std::size_t(4 * d + 2)];
    const Tensor& bhh = *call.params[std::size_t(4 * d + 3)];
    const std::int64_t gh = s.gh();
    float* xpData = scratch(0, s.n * s.t * gh);
    MatrixMap xp(xpData, s.n * s.t, gh);
    xp.noalias() = ConstMatrixMap(call.inputs[0]->data(), s.n * s.t, s.f) *
                   ConstMatrixMap(wih.data(), gh, s.f).transpose();
    xp.rowwise() += ConstVectorMap(bih.data(), gh).transpose();

    MatrixMap hp(scratch(1, s.n * gh), s.n, gh);
    loadInitialState(s, initialState(call, 1), d, st.hidden);
    if (st.cells)
        loadInitialState(s, initialState(call, 2), d, st.cells);
    const bool sequences = call.attrs->returnSequences;
    for (std::int64_t step = 0; step < s.t; ++step) {
        const std::int64_t t = timeAt(s, d, step);
        const float* hPrev = st.hidden + step * s.n * s.h;
        hp.noalias() =
            ConstMatrixMap(hPrev, s.n, s.h) * ConstMatrixMap(whh.data(), gh, s.h).transpose();
        hp.rowwise() += ConstVectorMap(bhh.data(), gh).transpose();
#pragma omp parallel for schedule(static)
        for (std::int64_t n = 0; n < s.n; ++n) {
            CellStep c;
            c.xp = xpData + (n * s.t + t) * gh;
            c.hp = hp.data() + n * gh;
            c.hPrev = hPrev + n * s.h;
            c.gates = st.gates + (step * s.n + n) * gh;
            c.h = st.hidden + ((step + 1) * s.n + n) * s.h;
            if (st.cells) {
                c.cPrev = st.cells + (step * s.n + n) * s.h;
                c.c = st.cells + ((step + 1) * s.n + n) * s.h;
            }
            if (st.hpn)
                c.hpn = st.hpn + (step * s.n + n) * s.h;
            cellForward(s.kind, s.h, c);
            if (sequences)
                std::copy(c.h, c.h + s.h, call.output->data() + outputOffset(s, true, n, t, d));
        }
    }
    if (!sequences)
        for (std::int64_t n = 0; n < s.n; ++n) {
            const float* last = st.hidden + (s.t * s.n + n) * s.h;
            std::copy(last, last + s.h, call.output->data() + outputOffset(s, false, n, 0, d));
        }
}

Tensor* gradParam(const OpCall& call, std::size_t index) {
    return index < call.gradParams.size() ? call.gradParams[index] : nullptr;
}

Tensor* gradInput(const OpCall& call, std::size_t port) {
    return port < call.gradInputs.size() ? call.gradInputs[port] : nullptr;
}

void backwardDirection(const OpCall& call, const Sizes& s, std::int64_t d,
                       const DirectionState& st) {
    const std::int64_t gh = s.gh();
    const Tensor& wih = *call.params[std::size_t(4 * d)];
    const Tensor& whh = *call.params[std::size_t(4 * d + 1)];
    float* dxpData = scratch(0, s.n * s.t * gh); // rows (n, t), like XP
    float* dhpData = scratch(1, s.t * s.n * gh); // [step][n], like the kept hidden states
    float* dh = scratch(2, s.n * s.h);
    float* dc = scratch(3, s.n * s.h);
    float* direct = scratch(4, s.n * s.h);
    std::fill(dh, dh + s.n * s.h, 0.0f);
    std::fill(dc, dc + s.n * s.h, 0.0f);
    const bool sequences = call.attrs->returnSequences;
    const Tensor& dy = *call.gradOutput;
    for (std::int64_t step = s.t; step-- > 0;) {
        const std::int64_t t = timeAt(s, d, step);
        float* dhpStep = dhpData + step * s.n * gh;
#pragma omp parallel for schedule(static)
        for (std::int64_t n = 0; n < s.n; ++n) {
            float* dhRow = dh + n * s.h;
            if (sequences || step == s.t - 1) {
                const float* incoming = dy.data() + outputOffset(s, sequences, n, t, d);
                for (std::int64_t j = 0; j < s.h; ++j)
                    dhRow[j] += incoming[j];
            }
            CellGradient g;
            g.gates = st.gates + (step * s.n + n) * gh;
            g.hPrev = st.hidden + (step * s.n + n) * s.h;
            if (st.cells) {
                g.cPrev = st.cells + (step * s.n + n) * s.h;
                g.c = st.cells + ((step + 1) * s.n + n) * s.h;
            }
            if (st.hpn)
                g.hpn = st.hpn + (step * s.n + n) * s.h;
            g.dh = dhRow;
            g.dc = dc + n * s.h;
            g.dxp = dxpData + (n * s.t + t) * gh;
            g.dhp = dhpStep + n * gh;
            g.dhPrev = direct + n * s.h;
            cellBackward(s.kind, s.h, g);
        }
        MatrixMap dhMap(dh, s.n, s.h);
        dhMap.noalias() = ConstMatrixMap(dhpStep, s.n, gh) * ConstMatrixMap(whh.data(), gh, s.h);
        if (s.kind == OpKind::GRU) // only a GRU's state also passes by W_hh
            dhMap += ConstMatrixMap(direct, s.n, s.h);
    }
    ConstMatrixMap dhp(dhpData, s.t * s.n, gh);
    ConstMatrixMap dxp(dxpData, s.n * s.t, gh);
    const ConstMatrixMap x(call.inputs[0]->data(), s.n * s.t, s.f);
    if (Tensor* g = gradParam(call, std::size_t(4 * d)))
        MatrixMap(g->data(), gh, s.f).noalias() += dxp.transpose() * x;
    if (Tensor* g = gradParam(call, std::size_t(4 * d + 1)))
        MatrixMap(g->data(), gh, s.h).noalias() +=
            dhp.transpose() * ConstMatrixMap(st.hidden, s.t * s.n, s.h);
    if (Tensor* g = gradParam(call, std::size_t(4 * d + 2)))
        VectorMap(g->data(), gh) += dxp.colwise().sum().transpose();
    if (Tensor* g = gradParam(call, std::size_t(4 * d + 3)))
        VectorMap(g->data(), gh) += dhp.colwise().sum().transpose();
    if (Tensor* g = gradInput(call, 0))
        MatrixMap(g->data(), s.n * s.t, s.f).noalias() += dxp * ConstMatrixMap(wih.data(), gh, s.f);
    // After the first step, dh and dc hold the gradients of the state before it.
    addInitialStateGradient(s, dh, d, gradInput(call, 1));
    if (s.kind == OpKind::LSTM)
        addInitialStateGradient(s, dc, d, gradInput(call, 2));
}

} // namespace

Status recurrentForward(const OpCall& call) {
    const Sizes s = sizesOf(call);
    call.state->resize({s.d * stateSizePerDirection(s)});
    for (std::int64_t d = 0; d < s.d; ++d)
        forwardDirection(call, s, d, directionState(s, call.state->data(), d));
    return Status::ok();
}

std::vector<std::pair<std::string, Tensor>> recurrentHistory(OpKind kind, const Tensor& state,
                                                             std::int64_t n, std::int64_t t,
                                                             std::int64_t h, std::int64_t sample) {
    const Sizes s{kind, n, t, 0, h, gateCount(kind), 1};
    // The state is read only; directionState hands out mutable pointers into it.
    const DirectionState st = directionState(s, const_cast<float*>(state.data()), 0);
    auto history = [&](const float* base, std::int64_t stride, std::int64_t offset) {
        Tensor out({t, h});
        for (std::int64_t step = 0; step < t; ++step)
            std::copy_n(base + step * n * stride + sample * stride + offset, h,
                        out.data() + step * h);
        return out;
    };
    std::vector<std::pair<std::string, Tensor>> rows;
    rows.emplace_back("h", history(st.hidden + n * h, h, 0)); // hidden[0] is the initial state
    if (kind == OpKind::LSTM)
        rows.emplace_back("c", history(st.cells + n * h, h, 0));
    const char* const lstm[] = {"i", "f", "g", "o"};
    const char* const gru[] = {"r", "z", "n"};
    if (kind != OpKind::SimpleRNN) // a SimpleRNN's one "gate" is h itself
        for (std::int64_t g = 0; g < s.g; ++g)
            rows.emplace_back(kind == OpKind::LSTM ? lstm[g] : gru[g],
                              history(st.gates, s.gh(), g * h));
    return rows;
}

Status recurrentBackward(const OpCall& call) {
    const Sizes s = sizesOf(call);
    for (std::int64_t d = 0; d < s.d; ++d)
        backwardDirection(call, s, d, directionState(s, call.state->data(), d));
    return Status::ok();
}

} // namespace nc::engine::cpu
