#pragma once
// Optimizers with PyTorch's update rules, so runs compare one to one:
//   sgd:       p -= lr * g
//   momentum:  v = mu*v + g;            p -= lr * v
//   nesterov:  v = mu*v + g;            p -= lr * (g + mu*v)
//   adam:      m, v with bias correction (beta1 0.9, beta2 0.999, eps 1e-8)
// Weight decay adds wd * p to the gradient first (L2, as torch.optim does).

#include "parameterstore.h"

#include "core/status.h"

#include <string>
#include <vector>

namespace nc::engine {

struct OptimizerConfig {
    std::string kind = "nesterov"; // sgd, momentum, nesterov, adam
    double momentum = 0.9;
    double weightDecay = 0.0;
};

class Optimizer {
public:
    static nc::core::Result<Optimizer> create(const OptimizerConfig& config,
                                               const ParameterStore& params);

    void step(ParameterStore& params, float lr);
    // Steps taken, for Adam's bias correction; it stops at INT64_MAX rather than overflow.
    std::int64_t steps() const { return m_steps; }
    void setSteps(std::int64_t steps) { m_steps = steps; }

    // Its state as named tensors ("optimizer.<param>.m"), for checkpoints.
    std::vector<std::pair<std::string, Tensor*>> stateTensors();

private:
    OptimizerConfig m_config;
    std::vector<std::string> m_names;
    std::vector<Tensor> m_first;  // momentum buffer / Adam m
    std::vector<Tensor> m_second; // Adam v
    std::int64_t m_steps = 0;
};

} // namespace nc::engine
