#include "activationfunctions.h"

#include <algorithm>
#include <cmath>

namespace nc::engine::cpu {

namespace {

void softmax(float* y, const ActivationLayout& l) {
#pragma omp parallel for schedule(static)
    for (std::int64_t n = 0; n < l.samples; ++n) {
        float* base = y + n * l.channels * l.inner;
        for (std::int64_t i = 0; i < l.inner; ++i) {
            float peak = -INFINITY;
            for (std::int64_t c = 0; c < l.channels; ++c)
                peak = std::max(peak, base[c * l.inner + i]);
            float sum = 0.0f;
            for (std::int64_t c = 0; c < l.channels; ++c) {
                float e = std::exp(base[c * l.inner + i] - peak);
                base[c * l.inner + i] = e;
                sum += e;
            }
            for (std::int64_t c = 0; c < l.channels; ++c)
                base[c * l.inner + i] /= sum;
        }
    }
}

void softmaxGradient(const float* y, const float* dy, float* dz, const ActivationLayout& l) {
#pragma omp parallel for schedule(static)
    for (std::int64_t n = 0; n < l.samples; ++n) {
        const std::int64_t offset = n * l.channels * l.inner;
        for (std::int64_t i = 0; i < l.inner; ++i) {
            float dot = 0.0f;
            for (std::int64_t c = 0; c < l.channels; ++c) {
                std::int64_t k = offset + c * l.inner + i;
                dot += dy[k] * y[k];
            }
            for (std::int64_t c = 0; c < l.channels; ++c) {
                std::int64_t k = offset + c * l.inner + i;
                dz[k] = y[k] * (dy[k] - dot);
            }
        }
    }
}

} // namespace

void activate(ActivationKind kind, float alpha, float* y, const ActivationLayout& layout) {
    const std::int64_t n = layout.samples * layout.channels * layout.inner;
    switch (kind) {
    case ActivationKind::Linear:
        return;
    case ActivationKind::Softmax:
        softmax(y, layout);
        return;
    case ActivationKind::Relu:
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = y[i] > 0.0f ? y[i] : 0.0f;
        return;
    case ActivationKind::LeakyRelu:
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = y[i] > 0.0f ? y[i] : alpha * y[i];
        return;
    case ActivationKind::Tanh:
#pragma omp parallel for schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = std::tanh(y[i]);
        return;
    case ActivationKind::Sigmoid:
#pragma omp parallel for schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = 1.0f / (1.0f + std::exp(-y[i]));
        return;
    case ActivationKind::Elu:
#pragma omp parallel for schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = y[i] > 0.0f ? y[i] : alpha * std::expm1(y[i]);
        return;
    }
}

void activationGradient(ActivationKind kind, float alpha, const float* y, const float* dy,
                        float* dz, const ActivationLayout& layout) {
    const std::int64_t n = layout.samples * layout.channels * layout.inner;
    switch (kind) {
    case ActivationKind::Linear:
        if (dz != dy)
            std::copy(dy, dy + n, dz);
        return;
    case ActivationKind::Softmax:
        softmaxGradient(y, dy, dz, layout);
        return;
    case ActivationKind::Relu:
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            dz[i] = y[i] > 0.0f ? dy[i] : 0.0f;
        return;
    case ActivationKind::LeakyRelu:
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            dz[i] = y[i] > 0.0f ? dy[i] : alpha * dy[i];
        return;
    case ActivationKind::Tanh:
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            dz[i] = dy[i] * (1.0f - y[i] * y[i]);
        return;
    case ActivationKind::Sigmoid:
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            dz[i] = dy[i] * y[i] * (1.0f - y[i]);
        return;
    case ActivationKind::Elu:
#pragma omp parallel for simd schedule(static)
        for (std::int64_t i = 0; i < n; ++i)
            dz[i] = y[i] > 0.0f ? dy[i] : dy[i] * (y[i] + alpha);
        return;
    }
}

} // namespace nc::engine::cpu
