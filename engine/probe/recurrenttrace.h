#pragma once
// A recurrent layer's history for one input: the hidden state at every step, and for LSTM the
// cell state and the gates i, f, g, o (GRU: r, z, n) after their nonlinearities, each [T, H]
// in time order. Read from what the layer keeps for its backward pass, so it costs one
// forward of the layer's ancestors. A bidirectional layer's trace is its forward direction.
//
//   Result<RecurrentTrace> t = traceRecurrent(model, *backend, x, lstmNode);
//   t.value().rows[2]   // {"i", [T, H]}: the input gate over time

#include "../backend.h"
#include "../model.h"

#include <string>
#include <utility>
#include <vector>

namespace nc::engine {

struct RecurrentTrace {
    OpKind kind = OpKind::LSTM;
    bool bidirectional = false;
    std::vector<std::pair<std::string, Tensor>> rows; // "h", "c" (LSTM), then the gates
};

// Whether `node` is a recurrent layer that traceRecurrent() can follow.
bool isTraceable(const Model& model, NodeId node);

// x: one sample [1, ...Input.shape] on the host.
Result<RecurrentTrace> traceRecurrent(Model& model, Backend& backend, const Tensor& x, NodeId node);

// "input gate i", "cell state c", ...: what a trace row holds, for a menu.
std::string describeTraceRow(const std::string& row);

} // namespace nc::engine
