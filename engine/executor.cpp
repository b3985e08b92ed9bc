#include "executor.h"

#include "backendlist.h"
#include "fallbackstaging.h"
#include "random.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <utility>

namespace nc::engine {

namespace {

Dims batchDims(std::int64_t n, const Dims& perSample) {
    Dims dims{n};
    dims.insert(dims.end(), perSample.begin(), perSample.end());
    return dims;
}

} // namespace

Executor::Executor(Model& model, Backend& backend)
    : m_model(model), m_backend(backend), m_keep(model.values().size(), false) {
    m_values.reserve(model.values().size());
    m_grads.reserve(model.values().size());
    for (std::size_t v = 0; v < model.values().size(); ++v) {
        m_values.push_back(backend.newTensor());
        m_grads.push_back(backend.newTensor());
    }
    m_states.reserve(model.steps().size());
    for (std::size_t s = 0; s < model.steps().size(); ++s)
        m_states.push_back(backend.newTensor());
    m_lossSeed = backend.newTensor();
    m_stepValuesTensor = backend.newTensor();
    if (model.classifierLogits() >= 0) { // read after the pass by recordMetrics()
        m_keep[std::size_t(model.classifierLogits())] = true;
        m_keep[std::size_t(model.inputStep().outputs[1])] = true;
    }
    for (const PlanStep& step : model.steps()) {
        if (step.kind == OpKind::Input || backend.supportsOp(step.kind))
            continue;
        if (!m_cpuFallback)
            m_cpuFallback = std::move(createBackend("cpu")).value();
        std::string name = opName(step.kind);
        if (std::find(m_fallbacks.begin(), m_fallbacks.end(), name) == m_fallbacks.end())
            m_fallbacks.push_back(name);
        // A fallback op's scratch stays on the host with the op.
        m_states[std::size_t(&step - model.steps().data())] = Tensor();
    }
}

Executor::~Executor() = default;

Backend& Executor::backendFor(OpKind kind) {
    return m_backend.supportsOp(kind) || !m_cpuFallback ? m_backend : *m_cpuFallback;
}

const Tensor& Executor::value(NodeId node, PortIndex port) const {
    static const Tensor empty;
    int index = m_model.valueOf(node, port);
    return index < 0 ? empty : m_values[std::size_t(index)];
}

const Tensor& Executor::inputGradient() const {
    return m_grads[std::size_t(m_model.inputStep().outputs[0])];
}

namespace {

const char* const kFiniteWhat[] = {"output", "input gradient", "parameter gradient"};

std::string nonFiniteMessage(int what, const PlanStep& step, std::uint64_t at) {
    return std::string("non-finite values (NaN or Inf) in the ") + kFiniteWhat[what] + " of " +
           opName(step.kind) + " \"" + step.name + "\" at step " + std::to_string(at);
}

} // namespace

// A deferred check's code: (slot * 2 * steps + position) * 3 + what, where the position runs
// through the forward pass (plan order) and then the backward pass (reverse order), so the
// smallest code is the first failure in run order.
Status Executor::checkFinite(const Tensor& t, const PlanStep& step, int what) {
    if (!m_context.checkFinite)
        return Status::ok();
    if (m_firstBad) {
        const std::int64_t steps = std::int64_t(m_model.steps().size());
        const std::int64_t index = &step - m_model.steps().data();
        const std::int64_t position = what == 0 ? index : 2 * steps - 1 - index;
        // The slot's part of the code is added on the device, from the step values.
        return m_backend.noteNonFinite(t, position * 3 + what, 2 * steps * 3, m_stepValuesTensor,
                                       *m_firstBad);
    }
    Result<bool> finite = m_backend.allFinite(t);
    if (!finite)
        return finite.status();
    if (finite.value())
        return Status::ok();
    return Status::error(nonFiniteMessage(what, step, m_context.step));
}

void Executor::deferFiniteChecks(Tensor* firstBad, std::int64_t slot) {
    m_firstBad = firstBad;
    m_deferredSlot = slot;
    m_stepValues.slot = std::int32_t(slot);
}

std::vector<const Tensor*> Executor::usedTensors() const {
    std::vector<const Tensor*> used;
    for (const std::vector<Tensor>* list : {&m_values, &m_grads, &m_states})
        for (const Tensor& t : *list)
            used.push_back(&t);
    used.push_back(&m_lossSeed);
    used.push_back(&m_stepValuesTensor);
    if (m_firstBad)
        used.push_back(m_firstBad);
    return used;
}

std::int64_t Executor::boundRows() const {
    const Tensor& x = m_values[std::size_t(m_model.inputStep().outputs[0])];
    return x.empty() ? 0 : x.dim(0);
}

void Executor::noteRun(Mode mode, const RunContext& context) {
    m_mode = mode;
    m_context = context;
    m_totalLoss = 0.0f;
    m_totalLossRead = false;
    if (m_firstBad) {
        m_deferredSteps.resize(std::size_t(m_deferredSlot) + 1);
        m_deferredSteps[std::size_t(m_deferredSlot)] = context.step;
    }
}

void Executor::replaying(Mode mode, const RunContext& context) {
    noteRun(mode, context);
    // The sizes the recorded pass gave its values and gradients; the memory is the same.
    const std::int64_t n = boundRows();
    for (const PlanStep& step : m_model.steps()) {
        if (step.kind == OpKind::Input)
            continue;
        for (int out : step.outputs) {
            const Value& v = m_model.values()[std::size_t(out)];
            m_values[std::size_t(out)].resize(isLoss(step.kind) ? Dims{1}
                                                                : batchDims(n, v.perSample));
        }
    }
    for (std::size_t v = 0; v < m_values.size(); ++v)
        m_grads[v].resize(m_values[v].dims());
    m_forwardComplete = mode == Mode::Train || context.forBackward;
}

Status Executor::publishStepValues() {
    if (m_published == m_stepValues)
        return Status::ok();
    Tensor host({kStepValuesFloats});
    std::memcpy(host.data(), &m_stepValues, sizeof m_stepValues);
    if (Status s = m_backend.upload(host, m_stepValuesTensor); !s)
        return s.prefixed("the step's values: ");
    m_published = m_stepValues;
    return Status::ok();
}

Status Executor::finiteError(float code) const {
    const std::int64_t steps = std::int64_t(m_model.steps().size());
    const std::int64_t c = std::int64_t(code);
    const std::int64_t slot = c / 3 / (2 * steps), position = c / 3 % (2 * steps);
    const std::int64_t index = position < steps ? position : 2 * steps - 1 - position;
    const int what = int(c % 3);
    if (slot < 0 || std::size_t(slot) >= m_deferredSteps.size())
        return Status::error("non-finite values (NaN or Inf) during training");
    return Status::error(nonFiniteMessage(what, m_model.steps()[std::size_t(index)],
                                          m_deferredSteps[std::size_t(slot)]));
}

Status Executor::recordMetrics(Tensor& log) {
    std::vector<WeightedLoss> losses;
    for (auto [value, weight] : m_lossValues)
        losses.push_back({&m_values[std::size_t(value)], weight});
    const Tensor* logits = nullptr;
    const Tensor* labels = nullptr;
    if (m_model.classifierLogits() >= 0) {
        logits = &m_values[std::size_t(m_model.classifierLogits())];
        labels = &m_values[std::size_t(m_model.inputStep().outputs[1])];
    }
    return m_backend.recordStepMetrics(losses, logits, labels, log, m_stepValuesTensor);
}

void Executor::handOver(TensorObserver& observer, const Value& v, const Tensor& t, bool gradient) {
    const Tensor* host = &t;
    if (!t.onHost()) {
        if (!m_backend.download(t, m_hostStage))
            return; // a probe that cannot be read is skipped, never fatal to the run
        host = &m_hostStage;
    }
    if (gradient)
        observer.observeGradient(v.node, v.port, *host);
    else
        observer.observe(v.node, v.port, *host);
}

// Steps that run: all of them, or for a subgraph run the producers of the wanted values and
// all their ancestors.
std::vector<bool> Executor::neededSteps(TensorObserver* observer, bool subgraph) {
    const auto& steps = m_model.steps();
    std::vector<bool> needed(steps.size(), !(observer && subgraph));
    if (!(observer && subgraph))
        return needed;
    std::vector<bool> neededValue(m_values.size(), false);
    for (std::size_t v = 0; v < m_values.size(); ++v)
        neededValue[v] = observer->wants(m_model.values()[v].node, m_model.values()[v].port);
    for (std::size_t i = steps.size(); i-- > 0;) {
        for (int out : steps[i].outputs)
            needed[i] = needed[i] || neededValue[std::size_t(out)];
        if (needed[i])
            for (int in : steps[i].inputs)
                if (in != kNoValue)
                    neededValue[std::size_t(in)] = true;
    }
    return needed;
}

OpCall Executor::makeCall(const PlanStep& step, std::size_t index, Mode mode) {
    OpCall call;
    call.kind = step.kind;
    call.attrs = &step.attrs;
    call.mode = mode;
    for (int in : step.inputs)
        call.inputs.push_back(in == kNoValue ? nullptr : &m_values[std::size_t(in)]);
    for (int p : step.params)
        call.params.push_back(&m_model.params().at(p).value);
    call.output = step.outputs.empty() ? nullptr : &m_values[std::size_t(step.outputs[0])];
    call.state = &m_states[index];
    call.seed = m_context.seed;
    if (&backendFor(step.kind) == &m_backend) { // the step is read on the device
        call.stream = std::uint64_t(step.node);
        call.stepValues = &m_stepValuesTensor;
    } else {
        call.stream = dropoutStream(m_context.step, std::uint64_t(step.node));
    }
    return call;
}

Status Executor::runOp(const PlanStep& step, std::size_t index, OpCall& call, bool forward) {
    if (m_profile)
        return runTimedOp(step, index, call, forward);
    Backend& backend = backendFor(step.kind);
    Status s = backend.device() == m_backend.device()
                   ? (forward ? backend.forward(call) : backend.backward(call))
                   : runStagedThroughHost(backend, m_backend, call, forward);
    if (!s)
        return s.prefixed(opName(step.kind) + std::string(" \"") + step.name + "\": ");
    return Status::ok();
}

Status Executor::runTimedOp(const PlanStep& step, std::size_t index, OpCall& call, bool forward) {
    using Clock = std::chrono::steady_clock;
    if (Status s = m_backend.synchronize(); !s)
        return s;
    const auto start = Clock::now();
    OpProfile* profile = std::exchange(m_profile, nullptr);
    Status s = runOp(step, index, call, forward);
    m_profile = profile;
    if (Status synced = m_backend.synchronize(); s && !synced)
        s = synced;
    if (s)
        profile->add(index, step.name, step.kind, forward,
                     std::chrono::duration<double>(Clock::now() - start).count());
    return s;
}

void Executor::acquire(int value, const Dims& dims) {
    Tensor& t = m_values[std::size_t(value)];
    const std::int64_t need = product(dims);
    if (t.capacity() < need) {
        // The smallest pooled buffer that fits; the slot's own small one goes to the pool.
        std::size_t best = m_pool.size();
        for (std::size_t i = 0; i < m_pool.size(); ++i)
            if (m_pool[i].capacity() >= need &&
                (best == m_pool.size() || m_pool[i].capacity() < m_pool[best].capacity()))
                best = i;
        if (best < m_pool.size()) {
            std::swap(t, m_pool[best]);
            if (m_pool[best].capacity() == 0)
                m_pool.erase(m_pool.begin() + std::ptrdiff_t(best));
        }
    }
    t.resize(dims);
}

void Executor::recycle(int value) {
    Tensor& t = m_values[std::size_t(value)];
    if (t.capacity() > 0)
        m_pool.push_back(std::move(t));
    t = m_backend.newTensor();
}

Status Executor::forward(const Tensor& x, const Tensor& y, Mode mode, const RunContext& context,
                         TensorObserver* observer) {
    if (Status s = bind(x, y); !s)
        return s;
    return forwardBound(mode, context, observer);
}

namespace {

Dims withoutOnes(const Dims& dims) {
    Dims out;
    for (std::int64_t d : dims)
        if (d != 1)
            out.push_back(d);
    return out;
}

std::int64_t countOf(Dims::const_iterator from, Dims::const_iterator to) {
    std::int64_t n = 1;
    for (; from != to; ++from)
        n *= *from;
    return n;
}

// Samples shaped for another graph (a data set left from the graph open before) would send
// every kernel past its buffers: refused by name instead. The same values with axes of 1 added
// or left out (a picture's channel for an Input of rows) are the Input's own shape, as are
// targets of as many values per sample as Input.y where a loss reads them.
Status checkSamples(const Model& model, const Dims& samples, const Dims& targets,
                    Dims& shapedSamples) {
    const Dims& perSample = model.values()[std::size_t(model.inputStep().outputs[0])].perSample;
    const Dims& perTarget = model.values()[std::size_t(model.inputStep().outputs[1])].perSample;
    const Dims got = samples.empty() ? Dims{} : Dims(samples.begin() + 1, samples.end());
    if (got != perSample && (samples.empty() || withoutOnes(got) != withoutOnes(perSample)))
        return Status::error("the samples are " + formatDims(got) +
                             " but the graph's Input takes " + formatDims(perSample));
    // The losses read as many targets per sample as Input.y has; without a loss nothing does.
    const bool read = std::any_of(model.steps().begin(), model.steps().end(),
                                  [](const PlanStep& step) { return isLoss(step.kind); });
    if (read && (targets.empty() || targets[0] != samples[0] ||
                 countOf(targets.begin() + 1, targets.end()) !=
                     countOf(perTarget.begin(), perTarget.end())))
        return Status::error("the targets are " + formatDims(targets) + " for " +
                             std::to_string(samples[0]) + " samples of Input.y " +
                             formatDims(perTarget));
    shapedSamples = Dims{samples[0]};
    shapedSamples.insert(shapedSamples.end(), perSample.begin(), perSample.end());
    return Status::ok();
}

} // namespace

Status Executor::bind(const Tensor& x, const Tensor& y) {
    Dims shaped;
    if (Status s = checkSamples(m_model, x.dims(), y.dims(), shaped); !s)
        return s;
    // Sized from the pool first, so uploads reuse the buffers recycled last time.
    const PlanStep& input = m_model.inputStep();
    acquire(input.outputs[0], x.dims());
    acquire(input.outputs[1], y.dims());
    Tensor& samples = m_values[std::size_t(input.outputs[0])];
    if (Status s = m_backend.upload(x, samples); !s)
        return s;
    if (samples.dims() != shaped)
        samples.reshape(shaped); // the same values, the Input's own axes
    return m_backend.upload(y, m_values[std::size_t(input.outputs[1])]);
}

Status Executor::bindRows(const Tensor& samples, const Tensor& targets,
                          std::span<const std::int64_t> rows) {
    Dims shaped; // a resident table is the data set's own, shaped by it for this graph
    if (Status s = checkSamples(m_model, samples.dims(), targets.dims(), shaped); !s)
        return s;
    const PlanStep& input = m_model.inputStep();
    for (auto [table, value] :
         {std::pair{&samples, input.outputs[0]}, {&targets, input.outputs[1]}}) {
        Dims dims = table->dims();
        dims[0] = std::int64_t(rows.size());
        acquire(value, dims);
        if (Status s = m_backend.gatherRows(*table, rows, m_values[std::size_t(value)]); !s)
            return s;
    }
    shaped[0] = std::int64_t(rows.size());
    Tensor& gathered = m_values[std::size_t(input.outputs[0])];
    if (gathered.dims() != shaped)
        gathered.reshape(shaped);
    return Status::ok();
}

Status Executor::forwardBound(Mode mode, const RunContext& context, TensorObserver* observer) {
    noteRun(mode, context);
    m_forwardComplete = false;
    m_lossValues.clear();
    m_stepValues.step = context.step;
    if (Status s = publishStepValues(); !s)
        return s;
    const auto& steps = m_model.steps();
    const std::int64_t n = m_values[std::size_t(m_model.inputStep().outputs[0])].dim(0);
    const bool subgraph = observer && context.subgraph;
    std::vector<bool> needed = neededSteps(observer, context.subgraph);

    // Last step reading each value, so an evaluation run can recycle dead buffers.
    std::vector<int> lastUse(m_values.size(), -1);
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (needed[i])
            for (int in : steps[i].inputs)
                if (in != kNoValue)
                    lastUse[std::size_t(in)] = int(i);
    // In evaluation nothing is kept for a backward pass: a value's buffer is freed after its
    // last reader, except the values callers read afterwards (losses, classifier logits).
    const bool keepAll = mode == Mode::Train || context.forBackward;
    const bool recycling = !keepAll;

    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (!needed[i])
            continue;
        if (observer && observer->cancelled())
            return Status::error("cancelled");
        const PlanStep& step = steps[i];
        if (step.kind != OpKind::Input) { // the Input's values are bound already

            for (int out : step.outputs) {
                const Value& v = m_model.values()[std::size_t(out)];
                acquire(out, isLoss(step.kind) ? Dims{1} : batchDims(n, v.perSample));
            }
            OpCall call = makeCall(step, i, mode);
            if (Status s = runOp(step, i, call, true); !s)
                return s;
            if (Status s = checkFinite(*call.output, step, 0); !s)
                return s;
            if (isLoss(step.kind))
                m_lossValues.emplace_back(step.outputs[0], step.lossWeight);
        }
        if (observer)
            for (int out : step.outputs) {
                const Value& v = m_model.values()[std::size_t(out)];
                if (observer->wants(v.node, v.port))
                    handOver(*observer, v, m_values[std::size_t(out)], false);
            }
        if (recycling)
            for (int in : step.inputs)
                if (in != kNoValue && lastUse[std::size_t(in)] == int(i) &&
                    !m_keep[std::size_t(in)])
                    recycle(in);
    }
    m_forwardComplete = !subgraph && keepAll;
    return Status::ok();
}

float Executor::totalLoss() {
    if (m_totalLossRead)
        return m_totalLoss;
    m_totalLoss = 0.0f;
    for (auto [value, weight] : m_lossValues) {
        Result<Tensor> loss = toHost(m_backend, m_values[std::size_t(value)]);
        if (!loss) {
            m_totalLoss = std::numeric_limits<float>::quiet_NaN();
            break;
        }
        m_totalLoss += weight * loss.value()[0];
    }
    m_totalLossRead = true;
    return m_totalLoss;
}

Status Executor::backward(TensorObserver* observer) {
    if (!m_forwardComplete)
        return Status::error("backward needs a complete forward pass first");
    const auto& steps = m_model.steps();
    const PlanStep& input = m_model.inputStep();
    // Gradients of every value, zeroed; Input values get none unless asked for.
    for (std::size_t v = 0; v < m_values.size(); ++v) {
        m_grads[v].resize(m_values[v].dims());
        m_grads[v].zero();
    }
    auto wantsGrad = [&](int value, const PlanStep& consumer, std::size_t port) {
        if (isLoss(consumer.kind) && port == 1)
            return false; // targets are data
        const Value& v = m_model.values()[std::size_t(value)];
        return v.node != input.node || (m_wantInputGradient && v.port == 0);
    };
    // A value's gradient is complete once its producer is reached: every consumer came later.
    auto handOverGradients = [&](const PlanStep& step) {
        if (observer)
            for (int out : step.outputs) {
                const Value& v = m_model.values()[std::size_t(out)];
                if (observer->wantsGradient(v.node, v.port))
                    handOver(*observer, v, m_grads[std::size_t(out)], true);
            }
    };
    for (std::size_t i = steps.size(); i-- > 0;) {
        if (observer && observer->cancelled())
            return Status::error("cancelled");
        const PlanStep& step = steps[i];
        handOverGradients(step);
        if (step.kind == OpKind::Input)
            continue;
        OpCall call = makeCall(step, i, m_mode);
        if (isLoss(step.kind)) {
            m_lossSeed.resize({1});
            m_lossSeed.fill(step.lossWeight);
            call.gradOutput = &m_lossSeed;
        } else {
            call.gradOutput = &m_grads[std::size_t(step.outputs[0])];
        }
        for (std::size_t port = 0; port < step.inputs.size(); ++port) {
            int in = step.inputs[port];
            call.gradInputs.push_back(
                in != kNoValue && wantsGrad(in, step, port) ? &m_grads[std::size_t(in)] : nullptr);
        }
        for (int p : step.params) {
            Parameter& param = m_model.params().at(p);
            call.gradParams.push_back(param.trainable ? &param.grad : nullptr);
        }
        if (Status s = runOp(step, i, call, false); !s)
            return s;
        for (Tensor* g : call.gradInputs)
            if (g)
                if (Status s = checkFinite(*g, step, 1); !s)
                    return s;
        for (Tensor* g : call.gradParams)
            if (g)
                if (Status s = checkFinite(*g, step, 2); !s)
                    return s;
    }
    if (observer)
        for (const Parameter& p : m_model.params().all())
            if (p.trainable && observer->wantsParameterGradient(p.name)) {
                Result<Tensor> host = toHost(m_backend, p.grad);
                if (host)
                    observer->observeParameterGradient(p.name, host.value());
            }
    return Status::ok();
}

} // namespace nc::engine
