#pragma once
// What changes from one training step to the next, kept in a small tensor on the backend's
// device (Executor::stepValuesTensor) that kernels read when they run. A recorded step (a CUDA
// Graph, trainingstep.h) replays its launches with the arguments they were recorded with, so
// anything that changes per step must come from memory written before each replay: the step
// number (dropout's masks), the learning rate and Adam's bias corrections, and the step's
// place in the metrics window.

#include "tensor.h"

#include <cstdint>

namespace nc::engine {

struct StepValues {
    std::uint64_t step = 0;          // RunContext::step
    double bias1 = 1.0, bias2 = 1.0; // Adam's bias corrections (optimizerrule.h)
    float lr = 0.0f;
    std::int32_t slot = 0; // the step's place in the metrics window (stepmetrics.h)

    bool operator==(const StepValues&) const = default;
};

static_assert(sizeof(StepValues) == 32, "StepValues is copied to the device byte for byte");
constexpr std::int64_t kStepValuesFloats = sizeof(StepValues) / sizeof(float);

// The values a tensor on the host (or on a device whose memory the host reads, like the test
// device) holds.
inline const StepValues& stepValuesIn(const Tensor& t) {
    return *reinterpret_cast<const StepValues*>(t.data());
}

} // namespace nc::engine
