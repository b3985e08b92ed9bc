#pragma once
// A small check harness for the Qt-free GPU tests: named checks that record failures and a
// relative comparison of tensors, |a - b| <= tolerance * max(1, max|reference|); and the
// helpers the GPU tests share.

#include "engine/tensor.h"

#include <cstdint>

#include <string>

namespace nc::engine {
class Backend;
}

namespace nc::test {

// Losses of whole-network training on both backends agree within this (relative).
constexpr double kTrainTolerance = 1e-3;

// Uniform values in [lo, hi), deterministic in seed.
engine::Tensor randomTensor(const engine::Dims& dims, std::uint64_t seed, float lo, float hi);
// A host copy of a tensor on any device; a failed copy ends the test.
engine::Tensor host(engine::Backend& backend, const engine::Tensor& t);

class ParityCheck {
public:
    // Compares `actual` with `reference` (both on the host); records a failure under `what`.
    bool close(const std::string& what, const engine::Tensor& reference,
               const engine::Tensor& actual, double tolerance);
    bool expect(bool condition, const std::string& what);
    void note(const std::string& text);
    int failures() const { return m_failures; }
    double worstError() const { return m_worst; }

private:
    int m_failures = 0;
    double m_worst = 0.0;
};

} // namespace nc::test
