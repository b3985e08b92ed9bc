#pragma once
// One time step of a recurrent cell for one sample, after the projections: PyTorch's equations.
// Gate vectors are G x H long, in PyTorch's order; "pre" values are before the nonlinearity.
//   SimpleRNN: h = tanh(xp + hp)                                         gates = [h]
//   LSTM:      i, f, o = sigmoid(..), g = tanh(..) of xp + hp;
//              c = f c' + i g,  h = o tanh(c)                            gates = [i f g o]
//   GRU:       r, z = sigmoid(xp + hp);  n = tanh(xp_n + r hp_n);
//              h = (1 - z) n + z h'                                      gates = [r z n]
// (xp = W_ih x + b_ih and hp = W_hh h' + b_hh, with h' and c' the previous step's state.)

#include "../op.h"

#include <cstdint>

namespace nc::engine::cpu {

int gateCount(OpKind kind); // 1, 4 or 3

struct CellStep {
    const float* xp = nullptr;    // G*H
    const float* hp = nullptr;    // G*H
    const float* hPrev = nullptr; // H
    const float* cPrev = nullptr; // H, LSTM
    float* gates = nullptr;       // G*H, kept for the backward pass
    float* h = nullptr;           // H
    float* c = nullptr;           // H, LSTM
    float* hpn = nullptr;         // H, GRU: the hidden projection of n, kept for backward
};

void cellForward(OpKind kind, std::int64_t units, const CellStep& step);

struct CellGradient {
    const float* gates = nullptr; // as the forward step left them
    const float* hPrev = nullptr;
    const float* cPrev = nullptr; // LSTM
    const float* c = nullptr;     // LSTM
    const float* hpn = nullptr;   // GRU
    const float* dh = nullptr;    // H: everything that flows into this step's h
    float* dc = nullptr;          // H, LSTM: in, the next step's dc; out, this step's for c'
    float* dxp = nullptr;         // G*H: d loss / d xp
    float* dhp = nullptr;         // G*H: d loss / d hp
    float* dhPrev = nullptr;      // H, GRU: the part of d loss / d h' that bypasses W_hh
};

void cellBackward(OpKind kind, std::int64_t units, const CellGradient& step);

} // namespace nc::engine::cpu
