#pragma once
// One training step's work on the device: zeroing the gradients, the forward and backward
// passes, the optimizer update and the step's metrics. It runs as queued or, on a backend that
// can record work (a GPU with CUDA Graphs), is recorded once and then replayed: one launch
// instead of dozens. What changes from step to step reaches the kernels through the executor's
// step values (stepvalues.h); the batch is bound before (Executor::bind uploads it, bindRows
// gathers it), outside the recording.
//
// A recording is replayed while every tensor it touches keeps its memory and size. When one
// has moved, or the batch changed size (the last, shorter batch of an epoch), the step runs as
// queued once, which lets buffers grow and cuDNN pick its algorithms, and the next step of that
// shape is recorded anew. The last kKeptRecordings recordings are kept, so a shape that comes
// back is replayed again. After kMaxRecordingsInARow recordings with no replay between them (a
// shape that keeps changing, or work that cannot be recorded) it gives up and queues every step.
//
//   TrainingStep step(executor, model.params(), optimizer);
//   executor.bindRows(samples, targets, rows);       // or executor.bind(x, y)
//   step.run({seed, globalStep, true}, lr, &metricsLog);

#include "executor.h"
#include "optimizer.h"
#include "parameterstore.h"

#include <memory>
#include <utility>
#include <vector>

namespace nc::engine {

class TrainingStep {
public:
    static constexpr int kMaxRecordingsInARow = 3;
    static constexpr std::size_t kKeptRecordings = 2;

    // All three must outlive the step.
    TrainingStep(Executor& executor, ParameterStore& params, Optimizer& optimizer);

    // One step on the bound batch at rate `lr`, counted by the optimizer. The step's metrics
    // go to `metricsLog` (Executor::recordMetrics) unless it is null; it must stay the same
    // tensor from step to step. A watched or profiled step runs as queued.
    Status run(const RunContext& context, float lr, Tensor* metricsLog,
               TensorObserver* watcher = nullptr);

    struct Counts {
        std::int64_t queued = 0;   // steps run as queued
        std::int64_t recorded = 0; // recordings made (each ran its own step)
        std::int64_t refused = 0;  // recordings the backend could not make
        std::int64_t replayed = 0; // steps run by replaying a recording
        bool gaveUp = false;
    };
    const Counts& counts() const { return m_counts; }

private:
    // Where each tensor a step touches is and its capacity, then the batch size.
    using Memory = std::vector<std::pair<const float*, std::int64_t>>;
    Memory memory(const Tensor* metricsLog, const RunContext& context) const;
    Status work(const RunContext& context, const OptimizerRule& rule, Tensor* metricsLog,
                TensorObserver* watcher);
    Status queue(const RunContext& context, const OptimizerRule& rule, Tensor* metricsLog,
                 TensorObserver* watcher);
    Status replayOrRecord(const RunContext& context, const OptimizerRule& rule, Tensor* metricsLog);

    Executor& m_executor;
    ParameterStore& m_params;
    Optimizer& m_optimizer;
    // Each recording with the memory it reads, the newest last.
    std::vector<std::pair<Memory, std::unique_ptr<RecordedWork>>> m_recordings;
    Memory m_lastQueued; // the memory after the last step run as queued
    int m_inARow = 0;    // recordings since the last replay
    Counts m_counts;
};

} // namespace nc::engine
