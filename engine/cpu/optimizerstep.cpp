#include "kernels.h"

#include "../stepvalues.h"

#include <algorithm>
#include <cmath>

namespace nc::engine::cpu {

namespace {

// The factor clip_grad_norm_ scales every gradient by (1 without clipping).
float clipScale(const OptimizerRule& rule, std::span<const ParameterSlot> slots) {
    if (rule.clipNorm <= 0.0f)
        return 1.0f;
    double sumSquares = 0.0;
    for (const ParameterSlot& slot : slots) {
        const float* g = slot.grad->data();
        const std::int64_t n = slot.grad->size();
#pragma omp parallel for simd reduction(+ : sumSquares) schedule(static)
        for (std::int64_t j = 0; j < n; ++j)
            sumSquares += double(g[j]) * double(g[j]);
    }
    return float(std::min(1.0, double(rule.clipNorm) / (std::sqrt(sumSquares) + 1e-6)));
}

template <OptimizerRule::Kind kind>
void update(const OptimizerRule& rule, const ParameterSlot& slot, float scale) {
    float* w = slot.value->data();
    const float* g = slot.grad->data();
    float* m = slot.first ? slot.first->data() : nullptr;
    float* v = slot.second ? slot.second->data() : nullptr;
    const float lr = rule.lr, mu = rule.momentum, wd = rule.weightDecay;
    const double bias1 = rule.bias1, bias2 = rule.bias2;
    const std::int64_t n = slot.value->size();
#pragma omp parallel for simd schedule(static)
    for (std::int64_t j = 0; j < n; ++j) {
        const float grad = scale * g[j] + wd * w[j];
        if constexpr (kind == OptimizerRule::Kind::Sgd) {
            w[j] -= lr * grad;
        } else if constexpr (kind == OptimizerRule::Kind::Adam) {
            m[j] = 0.9f * m[j] + 0.1f * grad;
            v[j] = 0.999f * v[j] + 0.001f * grad * grad;
            const float mHat = float(m[j] / bias1), vHat = float(v[j] / bias2);
            w[j] -= lr * mHat / (std::sqrt(vHat) + 1e-8f);
        } else {
            m[j] = mu * m[j] + grad;
            w[j] -= lr * (kind == OptimizerRule::Kind::Nesterov ? grad + mu * m[j] : m[j]);
        }
    }
}

} // namespace

Status optimizerStep(const OptimizerRule& given, std::span<const ParameterSlot> slots) {
    OptimizerRule rule = given;
    if (given.stepValues) { // this step's numbers, as a replayed recording would read them
        const StepValues& values = stepValuesIn(*given.stepValues);
        rule.lr = values.lr;
        rule.bias1 = values.bias1;
        rule.bias2 = values.bias2;
    }
    const float scale = clipScale(rule, slots);
    for (const ParameterSlot& slot : slots) {
        switch (rule.kind) {
        case OptimizerRule::Kind::Sgd:
            update<OptimizerRule::Kind::Sgd>(rule, slot, scale);
            break;
        case OptimizerRule::Kind::Momentum:
            update<OptimizerRule::Kind::Momentum>(rule, slot, scale);
            break;
        case OptimizerRule::Kind::Nesterov:
            update<OptimizerRule::Kind::Nesterov>(rule, slot, scale);
            break;
        case OptimizerRule::Kind::Adam:
            update<OptimizerRule::Kind::Adam>(rule, slot, scale);
            break;
        }
    }
    return Status::ok();
}

} // namespace nc::engine::cpu
