#pragma once
// Loss, accuracy and finite checks of training steps gathered on the backend's device and
// read back once per window of N steps: a GPU then runs N steps without waiting for the host.
// With N = 1 (the CPU's default) every step is read at once and checks fail immediately, as
// before; results are the same for any N (the same float values, summed in double in order).
//
//   StepMetricsWindow window(backend, 20);
//   window.begin(executor);                  // before each forward
//   ...forward, backward, optimizer step...
//   window.record(executor, batchSize);    // or TrainingStep::run(..., &window.log()), recorded()
//   if (window.full()) totals = window.flush(executor);

#include "executor.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace nc::engine {

struct WindowTotals {
    double lossSum = 0; // sum over steps of loss * batch size
    std::int64_t correct = 0;
    std::int64_t labelled = 0; // rows with a class: samples, or time steps not padding
    std::int64_t seen = 0;
    std::int64_t steps = 0;

    // The share of labelled rows classified right (NaN when none were).
    double accuracy() const { return labelled > 0 ? double(correct) / double(labelled) : NAN; }

    WindowTotals& operator+=(const WindowTotals& other) {
        lossSum += other.lossSum;
        correct += other.correct;
        labelled += other.labelled;
        seen += other.seen;
        steps += other.steps;
        return *this;
    }
};

class StepMetricsWindow {
public:
    StepMetricsWindow(Backend& backend, std::int64_t size);

    void begin(Executor& executor);
    Status record(Executor& executor, std::int64_t batchSize);
    // record() in two parts, for a step that writes its metrics itself (trainingstep.h): the
    // log it writes to (at the slot begin() set), and counting the step once it is queued.
    Tensor& log() { return m_log; }
    void recorded(std::int64_t batchSize);
    bool full() const { return m_used == m_size; }
    bool empty() const { return m_used == 0; }
    // Reads the window back (one wait), reports the first non-finite value it saw, and
    // starts a new window.
    Result<WindowTotals> flush(Executor& executor);

private:
    Backend& m_backend;
    std::int64_t m_size;
    std::int64_t m_used = 0;
    Tensor m_log;      // [3 * size]: loss, correct, labelled per step
    Tensor m_firstBad; // [1]: the smallest deferred non-finite code, or +inf
    std::vector<std::int64_t> m_batchSizes;
};

} // namespace nc::engine
