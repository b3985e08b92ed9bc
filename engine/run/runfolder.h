#pragma once
// A run folder: where one training run keeps everything a user (or TensorBoard, or the app)
// reopens later.
//
//   graph.json                          the graph as trained
//   run.json                            config, data, times, status, epochs done (runinfo.h)
//   metrics.csv                         one row per epoch, matching the checkpoint (runmetrics.h)
//   checkpoint.safetensors              weights and optimizer state of the last epoch
//   events.out.tfevents.<time>.<host>   TensorBoard scalars and histograms (eventfile.h)
//   vocabulary.json                     text data only: the characters of the tokens
//   .lock                               held while a training writes here (runlock.h)
//
// A new run never replaces an old one: a default folder gets a fresh name, and an existing
// folder that holds files is refused unless the run resumes. A folder that holds a symbolic
// link is refused: a run folder follows no links out. Opening takes the lock and removes the
// temporary files that atomic writes of a killed run left behind: only those of the run's own
// files ("metrics.csv.nctmp-Ab12Cd"), never another file of the user's.
//
//   Result<std::string> path = RunFolder::claimFreshPath("runs", "mnist_cnn", std::time(nullptr));
//   Result<RunFolder> folder = RunFolder::open(path.value(), /*resume=*/false);
//   saveCheckpoint(folder.value().checkpointPath(), ...);

#include "runlock.h"

#include "core/status.h"

#include <ctime>
#include <string>
#include <string_view>

namespace nc::engine {

class RunFolder {
public:
    // Creates and returns `<parent>/<stem>-<yyyymmdd-hhmmss>` (local time), or with "-2", "-3",
    // ... appended when that is taken. Creating it claims it, so two runs never share one.
    static nc::core::Result<std::string> claimFreshPath(const std::string& parent,
                                                        std::string_view stem, std::time_t now);
    // Whether a run can go to `path`, without creating anything: a missing or empty folder can
    // take one; a folder another training holds cannot; a folder that holds files only when
    // resuming.
    static nc::core::Status checkUsable(const std::string& path, bool resume);
    // Whether the folder's entries are what a run leaves: no symbolic links, and the run's own
    // files (the lock, event files, graph.json, ...) regular files. Reads no file.
    static nc::core::Status checkEntries(const std::string& path);
    // checkUsable, then creates the folder, takes its lock (held until the RunFolder is
    // destroyed) and removes stale temporary files of the run's own files.
    static nc::core::Result<RunFolder> open(const std::string& path, bool resume);

    const std::string& path() const { return m_path; }
    std::string file(std::string_view name) const { return m_path + "/" + std::string(name); }
    std::string graphPath() const { return file(kGraphFile); }
    std::string runInfoPath() const { return file(kRunInfoFile); }
    std::string metricsPath() const { return file(kMetricsFile); }
    std::string checkpointPath() const { return file(kCheckpointFile); }
    std::string vocabularyPath() const { return file(kVocabularyFile); }
    std::string stoppedWeightsPath() const { return file(kStoppedWeightsFile); }

    // The files a run writes with atomic writes (the event file is appended to in place).
    static constexpr std::string_view kGraphFile = "graph.json";
    static constexpr std::string_view kRunInfoFile = "run.json";
    static constexpr std::string_view kMetricsFile = "metrics.csv";
    static constexpr std::string_view kCheckpointFile = "checkpoint.safetensors";
    static constexpr std::string_view kVocabularyFile = "vocabulary.json";
    static constexpr std::string_view kStoppedWeightsFile = "stopped.safetensors";
    static constexpr std::string_view kOwnFiles[] = {kGraphFile,      kRunInfoFile,
                                                     kMetricsFile,    kCheckpointFile,
                                                     kVocabularyFile, kStoppedWeightsFile};
    int removedTemporaries() const { return m_removedTemporaries; }

private:
    RunFolder(std::string path, RunLock lock) : m_path(std::move(path)), m_lock(std::move(lock)) {}

    std::string m_path;
    RunLock m_lock;
    int m_removedTemporaries = 0;
};

// Whether `fileName` is a temporary file core::writeFileAtomically left while writing one of
// a run folder's own files ("metrics.csv.nctmp-AbC123"); a user's "notes.tmp-backup" or
// "metrics.csv.tmp-backup" is not.
bool isRunFileTemporary(std::string_view fileName);

} // namespace nc::engine
