#pragma once
// Activation functions and their derivatives, computed from the output y (so fused ops need
// not keep their pre-activation values). Softmax runs over the channel axis: `channels`
// groups of `inner` contiguous values per sample.

#include "../op.h"

#include <cstdint>

namespace nc::engine::cpu {

struct ActivationLayout {
    std::int64_t samples = 1;
    std::int64_t channels = 1;
    std::int64_t inner = 1;
};

void activate(ActivationKind kind, float alpha, float* y, const ActivationLayout& layout);
// dz = dy * f'(.) evaluated from y. dz may alias dy.
void activationGradient(ActivationKind kind, float alpha, const float* y, const float* dy,
                        float* dz, const ActivationLayout& layout);

} // namespace nc::engine::cpu
