#include "trainingstep.h"

namespace nc::engine {

TrainingStep::TrainingStep(Executor& executor, ParameterStore& params, Optimizer& optimizer)
    : m_executor(executor), m_params(params), m_optimizer(optimizer) {}

// Where each tensor is and how much room it has, the batch size, and what the recorded
// launches take by value besides (the seed, whether values are checked). The passes size every
// tensor from the batch as they run, so before a step most still have the last step's sizes,
// but a tensor grows only into new memory.
TrainingStep::Memory TrainingStep::memory(const Tensor* metricsLog,
                                          const RunContext& context) const {
    Memory memory;
    auto add = [&](const Tensor& t) { memory.emplace_back(t.data(), t.capacity()); };
    for (const Tensor* t : m_executor.usedTensors())
        add(*t);
    for (const Parameter& p : m_params.all()) {
        add(p.value);
        add(p.grad);
    }
    for (const Tensor* t : m_optimizer.state())
        add(*t);
    if (metricsLog)
        add(*metricsLog);
    memory.emplace_back(nullptr, m_executor.boundRows());
    memory.emplace_back(nullptr, std::int64_t(context.seed));
    memory.emplace_back(nullptr, context.checkFinite ? 1 : 0);
    return memory;
}

Status TrainingStep::run(const RunContext& context, float lr, Tensor* metricsLog,
                         TensorObserver* watcher) {
    OptimizerRule rule = m_optimizer.nextRule(lr);
    StepValues& values = m_executor.stepValues();
    values.step = context.step;
    values.lr = rule.lr;
    values.bias1 = rule.bias1;
    values.bias2 = rule.bias2;
    rule.stepValues = &m_executor.stepValuesTensor(); // read when the update runs
    if (Status s = m_executor.publishStepValues(); !s)
        return s;
    // Work a recording would refuse is not tried: a watched step, ops on the CPU fallback,
    // finite checks that wait for the device, a profiled step (it waits after every op).
    const bool record = !watcher && !m_counts.gaveUp && m_executor.backend().canRecord() &&
                        m_executor.fallbackOps().empty() && !m_executor.finiteChecksWait(context) &&
                        !m_executor.profiling();
    Status s = record ? replayOrRecord(context, rule, metricsLog)
                      : queue(context, rule, metricsLog, watcher);
    if (!s)
        return s;
    m_optimizer.countStep();
    return Status::ok();
}

Status TrainingStep::work(const RunContext& context, const OptimizerRule& rule, Tensor* metricsLog,
                          TensorObserver* watcher) {
    Backend& backend = m_executor.backend();
    if (Status s = zeroGradients(backend, m_params); !s)
        return s;
    if (Status s = m_executor.forwardBound(Mode::Train, context, watcher); !s)
        return s;
    if (Status s = m_executor.backward(watcher); !s)
        return s;
    if (Status s = m_optimizer.update(m_params, rule, backend); !s)
        return s;
    return metricsLog ? m_executor.recordMetrics(*metricsLog) : Status::ok();
}

Status TrainingStep::queue(const RunContext& context, const OptimizerRule& rule, Tensor* metricsLog,
                           TensorObserver* watcher) {
    ++m_counts.queued;
    Status s = work(context, rule, metricsLog, watcher);
    if (m_executor.backend().canRecord())
        m_lastQueued = memory(metricsLog, context);
    return s;
}

Status TrainingStep::replayOrRecord(const RunContext& context, const OptimizerRule& rule,
                                    Tensor* metricsLog) {
    const Memory now = memory(metricsLog, context);
    for (auto it = m_recordings.begin(); it != m_recordings.end(); ++it) {
        if (it->first != now)
            continue;
        m_executor.replaying(Mode::Train, context);
        Result<bool> replayed = it->second->replay();
        if (!replayed)
            return replayed.status();
        if (replayed.value()) {
            ++m_counts.replayed;
            m_inARow = 0;
            return Status::ok();
        }
        m_recordings.erase(it); // the backend's own memory changed since
        break;
    }
    if (now != m_lastQueued) // a new shape, or memory that moved: a step as queued first
        return queue(context, rule, metricsLog, nullptr);

    Backend& backend = m_executor.backend();
    if (Status s = backend.beginRecording(); !s)
        return s;
    const Status recorded = work(context, rule, metricsLog, nullptr);
    Result<std::unique_ptr<RecordedWork>> recording = backend.endRecording();
    if (!recording)
        return recording.status();
    ++m_inARow;
    if (recorded && recording.value()) { // nothing ran yet: the replay runs this step
        Result<bool> ran = recording.value()->replay();
        if (!ran)
            return ran.status();
        if (ran.value()) {
            m_recordings.emplace_back(now, std::move(recording.value()));
            if (m_recordings.size() > kKeptRecordings)
                m_recordings.erase(m_recordings.begin());
            ++m_counts.recorded;
            return Status::ok();
        }
    }
    ++m_counts.refused;
    m_counts.gaveUp = m_inARow >= kMaxRecordingsInARow;
    return queue(context, rule, metricsLog, nullptr); // a real error shows here
}

} // namespace nc::engine
