#pragma once
// A small check harness for the Qt-free GPU tests: named checks that record failures and a
// relative comparison of tensors, |a - b| <= tolerance * max(1, max|reference|).

#include "engine/tensor.h"

#include <string>

namespace nc::test {

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
