#include "runrecorder.h"

#include "tfevents.h"

#include "core/atomicwrite.h"
#include "core/numberparse.h"
#include "engine/schedule.h"
#include "graph_model/graphjson.h"

#include <cmath>
#include <unistd.h>
#include <vector>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxMetricsBytes = std::size_t(64) << 20;
constexpr auto kStepFlushInterval = std::chrono::seconds(1);

double wallTime() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string nowIso() {
    return isoUtcTime(std::int64_t(wallTime()));
}

std::string valueOr(const CheckpointMetadata& metadata, const char* key) {
    auto it = metadata.find(key);
    return it == metadata.end() ? std::string() : it->second;
}

} // namespace

RunRecorder::RunRecorder(const RunFolder& folder, RunInfo info)
    : m_folder(folder), m_info(std::move(info)) {
    m_info.host = hostName();
    m_info.pid = ::getpid();
}

Status RunRecorder::start(const nc::graph::Graph& graph, int resumedEpoch,
                          const CheckpointMetadata& checkpointMetadata) {
    m_info.status = RunStatus::Running;
    m_info.error.clear();
    m_info.started = nowIso();
    m_info.ended.clear();
    m_info.epochsDone = resumedEpoch;
    m_info.resumedFromEpoch = resumedEpoch;
    // A resume keeps its run's id (a checkpoint from before run ids starts one).
    const std::string id = valueOr(checkpointMetadata, kRunIdKey);
    m_info.id = resumedEpoch > 0 && isRunId(id) ? id : newRunId();
    if (Status s = nc::graph::saveGraphFile(graph, m_folder.graphPath()); !s)
        return s;
    m_metrics = RunMetrics();
    if (resumedEpoch > 0) {
        // A missing or unreadable metrics.csv only loses the history it held.
        if (Result<std::string> old =
                nc::core::readWholeFile(m_folder.metricsPath(), kMaxMetricsBytes))
            m_metrics = RunMetrics::parse(old.value(), resumedEpoch);
        const std::string row = valueOr(checkpointMetadata, kMetricsRowKey);
        if (!m_metrics.has(resumedEpoch) && RunMetrics::isRow(row, resumedEpoch))
            m_metrics.set(resumedEpoch, row);
    }
    if (Status s = m_metrics.save(m_folder.metricsPath()); !s)
        return s;
    if (Status s = openEvents(resumedEpoch, checkpointMetadata); !s)
        return s;
    return writeInfo();
}

Status RunRecorder::openEvents(int resumedEpoch, const CheckpointMetadata& metadata) {
    m_events.reset();
    const std::string name = valueOr(metadata, kEventsFileKey);
    const auto bytes = nc::core::parseUint64(valueOr(metadata, kEventsBytesKey), "event bytes");
    if (resumedEpoch > 0 && isEventFileName(name) && bytes)
        if (Result<EventFile> file = EventFile::resume(m_folder.file(name), bytes.value()))
            m_events.emplace(std::move(file).value());
    if (!m_events) { // a fresh run, or the checkpoint's event file is gone or elsewhere
        Result<EventFile> file = EventFile::create(m_folder.path(), wallTime(), m_info.host);
        if (!file)
            return file.status();
        m_events.emplace(std::move(file).value());
    }
    m_info.eventsFile = m_events->fileName();
    m_lastFlush = Clock::now();
    return m_events->flush(true);
}

void RunRecorder::recordStep(const StepReport& r) {
    if (!m_events)
        return;
    const std::int64_t globalStep = std::int64_t(r.epoch - 1) * r.steps + r.step;
    const double lr = scheduledLearningRate(m_info.config.schedule, m_info.config.lr, r.epoch - 1,
                                            m_info.config.epochs);
    std::vector<ScalarValue> scalars = {{"step/train_loss", float(r.loss)},
                                        {"step/batch_loss", float(r.windowLoss)},
                                        {"step/lr", float(lr)},
                                        {"step/images_per_s", float(r.imagesPerSecond)}};
    if (!std::isnan(r.windowAccuracy))
        scalars.push_back({"step/batch_accuracy", float(r.windowAccuracy)});
    m_events->append(scalarsEvent(wallTime(), globalStep, scalars));
    if (Clock::now() - m_lastFlush < kStepFlushInterval)
        return;
    m_lastFlush = Clock::now();
    if (Status s = m_events->flush(false); !s && m_stepError)
        m_stepError = s;
}

Status RunRecorder::recordEpoch(const EpochReport& r, const ParameterStore& params,
                                const std::function<Status(const CheckpointMetadata&)>& save) {
    if (!m_stepError)
        return m_stepError;
    if (!m_events)
        return Status::error("the run in " + m_folder.path() + " was not started");
    // The steps stay even if this epoch is not committed: a resume cuts them back anyway.
    if (Status s = m_events->flush(false); !s)
        return s;
    const std::uint64_t epochStart = m_events->size();
    const double now = wallTime();
    std::vector<ScalarValue> scalars;
    const std::pair<const char*, double> values[] = {{"epoch/train_loss", r.trainLoss},
                                                     {"epoch/train_accuracy", r.trainAccuracy},
                                                     {"epoch/val_loss", r.valLoss},
                                                     {"epoch/val_accuracy", r.valAccuracy},
                                                     {"epoch/seconds", r.seconds},
                                                     {"epoch/images_per_s", r.imagesPerSecond},
                                                     {"epoch/lr", r.lr}};
    for (const auto& [tag, value] : values)
        if (!std::isnan(value))
            scalars.push_back({tag, float(value)});
    m_events->append(scalarsEvent(now, r.epoch, scalars));
    m_histograms.clear();
    for (const Parameter& p : params.all()) {
        m_histograms.emplace_back("weights/" + p.name,
                                  makeHistogram({p.value.data(), std::size_t(p.value.size())}));
        if (!p.grad.empty())
            m_histograms.emplace_back("gradients/" + p.name,
                                      makeHistogram({p.grad.data(), std::size_t(p.grad.size())}));
    }
    for (const auto& [tag, histogram] : m_histograms)
        m_events->append(histogramEvent(now, r.epoch, tag, histogram));
    if (Status s = m_events->flush(true); !s)
        return s;
    std::string row = RunMetrics::row(r);
    const CheckpointMetadata metadata{{kMetricsRowKey, row},
                                      {kEventsFileKey, m_events->fileName()},
                                      {kEventsBytesKey, std::to_string(m_events->size())},
                                      {kRunIdKey, m_info.id}};
    if (Status s = save(metadata); !s) { // commit nothing of this epoch
        Status cut = m_events->cutBack(epochStart);
        return cut ? s : Status::error(s.message() + "; " + cut.message());
    }
    m_metrics.set(r.epoch, std::move(row));
    if (Status s = m_metrics.save(m_folder.metricsPath()); !s)
        return s;
    m_info.epochsDone = r.epoch;
    return writeInfo();
}

Status RunRecorder::finish(RunStatus status, std::string error) {
    Status flushed = m_events ? m_events->flush(true) : Status::ok();
    m_info.status = status;
    m_info.error = std::move(error);
    m_info.ended = nowIso();
    Status written = writeInfo();
    return flushed ? written : flushed;
}

Status RunRecorder::writeInfo() const {
    return nc::core::writeFileAtomically(m_folder.runInfoPath(), runInfoJson(m_info));
}

} // namespace nc::engine
