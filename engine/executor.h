#pragma once
// Runs a compiled model on a backend: a forward pass (all of it, or only the part an observer
// needs), then in training a backward pass that accumulates parameter gradients. Every output
// and gradient can be checked for NaN/Inf; the error names the node and the step. All memory
// is the backend's: the executor allocates, uploads and checks through the Backend interface
// and never reads device memory itself. Ops the backend lacks run on a CPU fallback, with
// their tensors staged through the host.
//
//   Executor run(model, backend);
//   run.forward(x, y, Mode::Train, {seed, step, true});
//   run.backward();                    // model.params() now hold the gradients
//   float loss = run.totalLoss();
//
// Watching (observer.h) and subgraph execution are separate: with RunContext::subgraph an
// observer's wanted values decide which steps run (probing an edge runs its ancestors only);
// without it every step runs and the observer only watches, in training too.

#include "backend.h"
#include "model.h"
#include "observer.h"
#include "opprofile.h"
#include "stepvalues.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace nc::engine {

struct RunContext {
    std::uint64_t seed = 0; // dropout masks are a function of (seed, step, node)
    std::uint64_t step = 0; // reported in non-finite errors
    bool checkFinite = true;
    // Keep every activation so that backward() can follow, also in evaluation mode (gradient
    // checks, saliency). Training mode always keeps them.
    bool forBackward = false;
    // Run only the steps the observer's wanted values need (no backward can follow).
    bool subgraph = false;
};

class Executor {
public:
    Executor(Model& model, Backend& backend);
    ~Executor();

    // x: [N, ...Input.shape]; y: [N, ...Input.target_shape], both on the host.
    Status forward(const Tensor& x, const Tensor& y, Mode mode, const RunContext& context,
                   TensorObserver* observer = nullptr);
    // The same in two parts: the Input's values (host batches uploaded by bind, or rows of
    // dataset tables already on the backend's device taken by bindRows: ResidentData, or
    // on the host for the CPU), then the pass.
    Status bind(const Tensor& x, const Tensor& y);
    Status bindRows(const Tensor& samples, const Tensor& targets,
                    std::span<const std::int64_t> rows);
    Status forwardBound(Mode mode, const RunContext& context, TensorObserver* observer = nullptr);
    // Accumulates into the parameters' gradients; needs a complete forward in training mode
    // or with RunContext::forBackward. The observer may watch gradients.
    Status backward(TensorObserver* observer = nullptr);

    // Also compute d(loss)/d(Input.x) (for gradient checks and saliency).
    void setInputGradientWanted(bool wanted) { m_wantInputGradient = wanted; }
    const Tensor& inputGradient() const;

    // The weighted sum of the loss nodes of the last forward pass. Read from the device on
    // the first call after a pass (a GPU run that never asks never waits for it); NaN when it
    // cannot be read.
    float totalLoss();
    // Deferred finite checks (a GPU need not wait after every op): with `firstBad` set, each
    // check notes a code for (slot, op, what) in firstBad[0] instead of failing at once, and
    // finiteError() turns the smallest code into the usual message. Null: check at once.
    // `slot` is the step's place in the metrics window (StepValues::slot) either way.
    void deferFiniteChecks(Tensor* firstBad, std::int64_t slot);
    Status finiteError(float code) const;
    // Whether a pass with `context` checks values at once, waiting for the device.
    bool finiteChecksWait(const RunContext& context) const {
        return context.checkFinite && !m_firstBad;
    }
    // The last pass's loss, correct and labelled counts into log[3 * slot..], on the device
    // (Backend::recordStepMetrics).
    Status recordMetrics(Tensor& log);

    // What changes per step (stepvalues.h): set here, copied to the device by
    // publishStepValues() (forwardBound does it, with the step of its RunContext), read by the
    // ops, the optimizer and the metrics when they run.
    StepValues& stepValues() { return m_stepValues; }
    Status publishStepValues();
    const Tensor& stepValuesTensor() const { return m_stepValuesTensor; }

    // For a recorded pass (trainingstep.h): the tensors the executor's passes touch and the
    // batch size bound, so a recording can tell when their memory moved or the shapes
    // changed; and, before a recorded forward and backward pass is replayed, what
    // forwardBound() and backward() do on the host: the values' and gradients' sizes for the
    // bound batch (within the memory they have) and the pass's bookkeeping.
    std::vector<const Tensor*> usedTensors() const;
    std::int64_t boundRows() const;
    void replaying(Mode mode, const RunContext& context);

    // What plan step `step` kept from its last forward for its backward (masks, a recurrent
    // layer's gates and states), in the layout of the backend that ran it.
    const Tensor& opState(std::size_t step) const { return m_states[step]; }

    // A value on the backend's device (use toHost() to read it elsewhere than the CPU).
    const Tensor& value(NodeId node, PortIndex port) const;
    Backend& backend() { return m_backend; }
    // Times every op from now on (opprofile.h), waiting for the device around each; null stops.
    void setProfile(OpProfile* profile) { m_profile = profile; }
    bool profiling() const { return m_profile != nullptr; }
    // Ops the backend does not support run on the CPU; their names, for the user.
    const std::vector<std::string>& fallbackOps() const { return m_fallbacks; }

private:
    Backend& backendFor(OpKind kind);
    OpCall makeCall(const PlanStep& step, std::size_t index, Mode mode);
    Status runOp(const PlanStep& step, std::size_t index, OpCall& call, bool forward);
    Status runTimedOp(const PlanStep& step, std::size_t index, OpCall& call, bool forward);
    std::vector<bool> neededSteps(TensorObserver* observer, bool subgraph);
    Status checkFinite(const Tensor& t, const PlanStep& step, int what);
    void handOver(TensorObserver& observer, const Value& v, const Tensor& t, bool gradient);
    // Sizes a value's buffer, taking a recycled one that is large enough when it can.
    void acquire(int value, const Dims& dims);
    void recycle(int value);
    // The host's record of a pass: its mode and context, and the step of its window slot.
    void noteRun(Mode mode, const RunContext& context);

    Model& m_model;
    Backend& m_backend;
    std::unique_ptr<Backend> m_cpuFallback;
    std::vector<std::string> m_fallbacks;
    std::vector<Tensor> m_values;
    std::vector<Tensor> m_grads;
    std::vector<Tensor> m_states;
    Tensor m_lossSeed;
    StepValues m_stepValues;
    std::optional<StepValues> m_published; // what m_stepValuesTensor holds
    Tensor m_stepValuesTensor;
    Tensor m_hostStage;         // host copies handed to observers
    std::vector<bool> m_keep;   // values an evaluation run never recycles
    std::vector<Tensor> m_pool; // buffers of dead values, for the next ones
    Mode m_mode = Mode::Eval;
    RunContext m_context;
    bool m_forwardComplete = false;
    bool m_wantInputGradient = false;
    Tensor* m_firstBad = nullptr;
    OpProfile* m_profile = nullptr;
    std::int64_t m_deferredSlot = 0;
    std::vector<std::uint64_t> m_deferredSteps;      // the RunContext step of each slot
    std::vector<std::pair<int, float>> m_lossValues; // (value, weight) of each loss node
    float m_totalLoss = 0.0f;
    bool m_totalLossRead = false;
};

} // namespace nc::engine
