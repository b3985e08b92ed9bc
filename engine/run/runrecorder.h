#pragma once
// Records a training run into its RunFolder: graph.json, run.json, metrics.csv and the
// TensorBoard event file. It plugs into the trainer's callbacks and saves nothing by itself
// but through them, so the CLI and the GUI's worker drive it alike.
//
// TensorBoard gets, per step (global step = (epoch - 1) * steps + step):
//   step/train_loss (the epoch's running mean), step/batch_loss and step/batch_accuracy (the
//   steps since the last report: one step on the CPU), step/lr, step/images_per_s
// per epoch (step = the epoch number):
//   epoch/train_loss, epoch/train_accuracy, epoch/val_loss, epoch/val_accuracy, epoch/seconds,
//   epoch/images_per_s, epoch/lr, and histograms weights/<param> and gradients/<param> (the
//   gradient of the epoch's last batch).
//
// The checkpoint is the commit point of an epoch. recordEpoch() flushes the epoch's events to
// disk, has the caller save the checkpoint with metadata naming the epoch's metrics row and the
// event file's committed length, then rewrites metrics.csv and run.json. A kill at any moment
// thus leaves metrics.csv at or one row behind the checkpoint, and start() on resume rebuilds
// it from the checkpoint exactly and cuts the event file back to what the checkpoint covered.
//
//   RunRecorder recorder(folder, info);
//   Status s = recorder.start(graph, resumedEpoch, checkpoint.metadata);
//   trainer.onStep = [&](const StepReport& r) { recorder.recordStep(r); };
//   trainer.onEpoch = [&](const EpochReport& r) {
//       return recorder.recordEpoch(r, model.params(), [&](const auto& metadata) {
//           return saveCheckpoint(folder.checkpointPath(), model, &optimizer, metadata);
//       });
//   };
//   s = recorder.finish(RunStatus::Completed);

#include "eventfile.h"
#include "histogram.h"
#include "runfolder.h"
#include "runinfo.h"
#include "runmetrics.h"

#include "engine/parameterstore.h"
#include "engine/trainer.h"
#include "graph_model/graph.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace nc::engine {

using CheckpointMetadata = std::map<std::string, std::string>;

class RunRecorder {
public:
    // Checkpoint metadata keys that recordEpoch() adds and start() reads back.
    static constexpr const char* kMetricsRowKey = "run.metrics_row";
    static constexpr const char* kEventsFileKey = "run.events_file";
    static constexpr const char* kEventsBytesKey = "run.events_bytes";
    static constexpr const char* kRunIdKey = "run.id";

    // `info` describes the run; its status, times, host, pid and event file are filled here.
    RunRecorder(const RunFolder& folder, RunInfo info);

    // Writes graph.json, metrics.csv, run.json and opens the event file. Resuming from a
    // checkpoint of epoch `resumedEpoch` with `checkpointMetadata`: keeps the metrics rows up to
    // that epoch (taking the checkpoint's own row when the file lacks it) and continues the
    // event file it names, cut back to its committed length (or starts a new one).
    nc::core::Status start(const nc::graph::Graph& graph, int resumedEpoch = 0,
                           const CheckpointMetadata& checkpointMetadata = {});
    // Buffers the step's scalars; a write error surfaces from the next recordEpoch().
    void recordStep(const StepReport& report);
    // Commits an epoch in the order described above; `saveCheckpoint` gets the metadata to
    // store with it. Any error (the checkpoint's included) is returned and stops training; when
    // the checkpoint cannot be saved, nothing of the epoch is kept (its events are cut back).
    nc::core::Status
    recordEpoch(const EpochReport& report, const ParameterStore& params,
                const std::function<nc::core::Status(const CheckpointMetadata&)>& saveCheckpoint);
    // Flushes the events and writes the final status (with `error` for stopped or failed).
    nc::core::Status finish(RunStatus status, std::string error = {});

    // The run moved to another device (the CPU, after the GPU ran out of memory); run.json
    // says so from its next write.
    void setDevice(std::string device) { m_info.device = std::move(device); }

    const RunInfo& info() const { return m_info; }
    const RunMetrics& metrics() const { return m_metrics; }
    // The histograms of the last recordEpoch(), by tag ("weights/<param>", "gradients/<param>").
    const std::vector<std::pair<std::string, Histogram>>& lastHistograms() const {
        return m_histograms;
    }

private:
    nc::core::Status writeInfo() const;
    nc::core::Status openEvents(int resumedEpoch, const CheckpointMetadata& metadata);

    const RunFolder& m_folder;
    RunInfo m_info;
    RunMetrics m_metrics;
    std::optional<EventFile> m_events;
    std::chrono::steady_clock::time_point m_lastFlush;
    nc::core::Status m_stepError = nc::core::Status::ok();
    std::vector<std::pair<std::string, Histogram>> m_histograms;
};

} // namespace nc::engine
