#pragma once
// Everything one op needs for one forward or backward call. The executor fills it; a backend
// reads it. Pointers that an op does not use are null; backward pointers are null when that
// gradient is not needed.

#include "op.h"
#include "tensor.h"

#include <cstdint>
#include <vector>

namespace nc::engine {

struct OpCall {
    OpKind kind = OpKind::Input;
    const OpAttrs* attrs = nullptr;
    Mode mode = Mode::Eval;

    std::vector<const Tensor*> inputs;
    std::vector<Tensor*> params; // in spec order: weight, bias / gamma, beta, mean, var
    Tensor* output = nullptr;    // sized by the executor before forward
    Tensor* state = nullptr;     // per-op scratch kept from forward to backward (masks, indices)

    // Backward only.
    const Tensor* gradOutput = nullptr;
    std::vector<Tensor*> gradInputs; // accumulated into (+=)
    std::vector<Tensor*> gradParams; // accumulated into (+=)

    // Dropout: random numbers are a function of (seed, stream, element index). With
    // `stepValues` (a StepValues on the op's device, stepvalues.h) `stream` is the node, and
    // the stream is dropoutStream(step, node) with the step read from there when the op runs,
    // so a replayed recording draws the masks of the step it runs in.
    std::uint64_t seed = 0;
    std::uint64_t stream = 0;
    const Tensor* stepValues = nullptr;
};

} // namespace nc::engine
