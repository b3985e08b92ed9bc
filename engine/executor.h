#pragma once
// Runs a compiled model on a backend: a forward pass (all of it, or only the part an observer
// needs), then in training a backward pass that accumulates parameter gradients. Every output
// and gradient can be checked for NaN/Inf; the error names the node and the step.
//
//   Executor run(model, backend);
//   run.forward(x, y, Mode::Train, {seed, step, true});
//   run.backward();                    // model.params() now hold the gradients
//   float loss = run.totalLoss();

#include "backend.h"
#include "model.h"
#include "observer.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace nc::engine {

struct RunContext {
    std::uint64_t seed = 0; // dropout masks are a function of (seed, step, node)
    std::uint64_t step = 0; // reported in non-finite errors
    bool checkFinite = true;
    // Keep every activation so that backward() can follow, also in evaluation mode (gradient
    // checks, saliency). Training mode always keeps them.
    bool forBackward = false;
};

class Executor {
public:
    Executor(Model& model, Backend& backend);

    // x: [N, ...Input.shape]; y: [N, ...Input.target_shape]. With an observer, only the steps
    // that the wanted values depend on run, and buffers are reused as soon as they are dead.
    Status forward(const Tensor& x, const Tensor& y, Mode mode, const RunContext& context,
                   TensorObserver* observer = nullptr);
    // Accumulates into the parameters' gradients; needs a full forward in training mode or
    // with RunContext::forBackward (evaluation frees activations as soon as they are dead).
    Status backward();

    // Also compute d(loss)/d(Input.x) (for gradient checks and saliency).
    void setInputGradientWanted(bool wanted) { m_wantInputGradient = wanted; }
    const Tensor& inputGradient() const;

    float totalLoss() const { return m_totalLoss; } // weighted sum of the loss nodes
    const Tensor& value(NodeId node, PortIndex port) const;
    // Ops the backend does not support run on the CPU; their names, for the user.
    const std::vector<std::string>& fallbackOps() const { return m_fallbacks; }

private:
    Backend& backendFor(OpKind kind);
    OpCall makeCall(const PlanStep& step, std::size_t index, Mode mode);
    std::vector<bool> neededSteps(TensorObserver* observer);
    Status checkFinite(const Tensor& t, const PlanStep& step, const char* what) const;
    // Sizes a value's buffer, taking a recycled one that is large enough when it can.
    void acquire(int value, const Dims& dims);
    void recycle(int value);

    Model& m_model;
    Backend& m_backend;
    std::unique_ptr<Backend> m_cpuFallback;
    std::vector<std::string> m_fallbacks;
    std::vector<Tensor> m_values;
    std::vector<Tensor> m_grads;
    std::vector<Tensor> m_states;
    Tensor m_lossSeed;
    std::vector<bool> m_keep;   // values an evaluation run never recycles
    std::vector<Tensor> m_pool; // buffers of dead values, for the next ones
    Mode m_mode = Mode::Eval;
    RunContext m_context;
    bool m_forwardComplete = false;
    bool m_wantInputGradient = false;
    float m_totalLoss = 0.0f;
};

} // namespace nc::engine
