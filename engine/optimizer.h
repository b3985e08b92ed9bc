#pragma once
// Optimizers with PyTorch's update rules (optimizerrule.h), so runs compare one to one. The
// optimizer keeps its state (momentum, Adam's m and v) on the backend's device and asks the
// backend to apply one fused update over all parameters per step.
//
//   Optimizer opt = Optimizer::create(config, model.params()).value();
//   opt.step(model.params(), lr, backend);

#include "backend.h"
#include "optimizerrule.h"
#include "parameterstore.h"

#include <string>
#include <vector>

namespace nc::engine {

struct OptimizerConfig {
    std::string kind = "nesterov"; // sgd, momentum, nesterov, adam
    double momentum = 0.9;
    double weightDecay = 0.0;
    double clipGradNorm = 0.0; // > 0: the gradients' global L2 norm is clipped to this
};

class Optimizer {
public:
    static nc::core::Result<Optimizer> create(const OptimizerConfig& config,
                                              const ParameterStore& params);

    // Updates every trainable parameter from its gradient and counts the step. Parameters and
    // state must be on the backend's device (state that is not, after a checkpoint load, is
    // moved there).
    Status step(ParameterStore& params, float lr, Backend& backend);
    // The same in parts, for a step whose update may be recorded and replayed
    // (trainingstep.h): the rule of the next step at rate `lr` (Adam's bias corrections count
    // it), the update with a rule, and counting the step.
    OptimizerRule nextRule(float lr) const;
    Status update(ParameterStore& params, const OptimizerRule& rule, Backend& backend);
    void countStep();
    // Steps taken, for Adam's bias correction; it stops at INT64_MAX rather than overflow.
    std::int64_t steps() const { return m_steps; }
    void setSteps(std::int64_t steps) { m_steps = steps; }

    // Its state as named tensors ("optimizer.<param>.m"), for checkpoints (download them
    // from the device first when the backend is not the CPU).
    std::vector<std::pair<std::string, Tensor*>> stateTensors();
    // The same tensors, in the same order, without their names.
    std::vector<Tensor*> state();

private:
    OptimizerConfig m_config;
    std::vector<std::string> m_names;
    std::vector<Tensor> m_first;  // momentum buffer / Adam m
    std::vector<Tensor> m_second; // Adam v
    std::int64_t m_steps = 0;
    std::vector<ParameterSlot> m_slots; // reused every step
};

// Optimizer kinds by name: "sgd", "momentum", "nesterov", "adam".
Result<OptimizerRule::Kind> optimizerKind(const std::string& name);

} // namespace nc::engine
