#include "stepmetrics.h"

#include <cmath>
#include <limits>

namespace nc::engine {

namespace {
constexpr std::int64_t kLogWidth = 3; // loss, correct, labelled
}

StepMetricsWindow::StepMetricsWindow(Backend& backend, std::int64_t size)
    : m_backend(backend), m_size(std::max<std::int64_t>(1, size)), m_log(backend.newTensor()),
      m_firstBad(backend.newTensor()) {
    m_log.resize({kLogWidth * m_size});
    m_firstBad.resize({1});
    m_firstBad.fill(std::numeric_limits<float>::infinity());
}

void StepMetricsWindow::begin(Executor& executor) {
    // One step per window checks at once; longer windows defer to flush().
    executor.deferFiniteChecks(m_size > 1 ? &m_firstBad : nullptr, m_used);
}

Status StepMetricsWindow::record(Executor& executor, std::int64_t batchSize) {
    if (Status s = executor.recordMetrics(m_log); !s) // at the slot begin() set
        return s;
    recorded(batchSize);
    return Status::ok();
}

void StepMetricsWindow::recorded(std::int64_t batchSize) {
    m_batchSizes.push_back(batchSize);
    ++m_used;
}

Result<WindowTotals> StepMetricsWindow::flush(Executor& executor) {
    WindowTotals totals;
    if (m_used == 0)
        return totals;
    Result<Tensor> log = toHost(m_backend, m_log);
    if (!log)
        return log.status();
    if (m_size > 1) {
        Result<Tensor> bad = toHost(m_backend, m_firstBad);
        if (!bad)
            return bad.status();
        if (std::isfinite(bad.value()[0]))
            return executor.finiteError(bad.value()[0]);
    }
    for (std::int64_t i = 0; i < m_used; ++i) {
        const std::int64_t n = m_batchSizes[std::size_t(i)];
        const float* entry = log.value().data() + kLogWidth * i;
        totals.lossSum += double(entry[0]) * double(n);
        totals.correct += std::int64_t(entry[1]);
        totals.labelled += std::int64_t(entry[2]);
        totals.seen += n;
    }
    totals.steps = m_used;
    m_used = 0;
    m_batchSizes.clear();
    executor.deferFiniteChecks(nullptr, 0);
    return totals;
}

} // namespace nc::engine
