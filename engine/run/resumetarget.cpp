#include "resumetarget.h"

#include "eventfile.h"
#include "runfolder.h"
#include "runinfo.h"
#include "runmetrics.h"
#include "runrecorder.h"

#include "core/atomicwrite.h"

#include <filesystem>

#include <sys/stat.h>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

constexpr std::size_t kMaxRunFileBytes = std::size_t(64) << 20;

bool exists(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0;
}

bool sameFile(const std::string& a, const std::string& b) {
    struct stat x {}, y {};
    return ::stat(a.c_str(), &x) == 0 && ::stat(b.c_str(), &y) == 0 && x.st_dev == y.st_dev &&
           x.st_ino == y.st_ino;
}

std::string file(const std::string& folder, std::string_view name) {
    return folder + "/" + std::string(name);
}

// The last epoch metrics.csv has a row for; 0 when it has none or cannot be read.
int metricsEpochs(const std::string& folder) {
    Result<std::string> csv =
        nc::core::readWholeFile(file(folder, RunFolder::kMetricsFile), kMaxRunFileBytes);
    return csv ? RunMetrics::lastEpoch(csv.value()) : 0;
}

// Whether the folder holds any file of a run's names: its own files or an event file.
Result<bool> holdsRunFiles(const std::string& folder) {
    for (std::string_view name : RunFolder::kOwnFiles)
        if (exists(file(folder, name)))
            return true;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
         it.increment(ec))
        if (isEventFileName(it->path().filename().string()))
            return true;
    if (ec && ec != std::errc::no_such_file_or_directory)
        return Status::error("cannot read " + folder + ": " + ec.message());
    return false;
}

std::string metadataValue(const std::map<std::string, std::string>& metadata, const char* key) {
    const auto it = metadata.find(key);
    return it == metadata.end() ? std::string() : it->second;
}

} // namespace

std::string ResumeEffect::cutBackMessage() const {
    const std::string dropped = folderEpochs == resumedEpoch + 1
                                    ? "epoch " + std::to_string(folderEpochs)
                                    : "epochs " + std::to_string(resumedEpoch + 1) + " to " +
                                          std::to_string(folderEpochs);
    return folder + " holds " + std::to_string(folderEpochs) +
           " epochs of this run; resuming from epoch " + std::to_string(resumedEpoch) + " of " +
           checkpoint + " drops " + dropped +
           " (their metrics rows, events and checkpoint)";
}

Result<ResumeEffect> checkResumeTarget(const std::string& folder,
                                       const std::string& checkpointPath,
                                       const std::map<std::string, std::string>& metadata,
                                       int checkpointEpoch) {
    ResumeEffect effect{folder, checkpointPath, 0, checkpointEpoch};
    const std::string runInfoPath = file(folder, RunFolder::kRunInfoFile);
    const std::string ownCheckpoint = file(folder, RunFolder::kCheckpointFile);
    // Any file of a run's name counts: a user's own graph.json there would be written over.
    Result<bool> holdsRun = holdsRunFiles(folder);
    if (!holdsRun)
        return holdsRun.status();
    if (!holdsRun.value())
        return effect; // a new folder, or one of other files: the resumed run starts a copy
    // Links and odd files are refused before any of them is read.
    if (Status s = RunFolder::checkEntries(folder); !s)
        return s;

    const bool ownFile = sameFile(checkpointPath, ownCheckpoint);
    Result<std::string> json = nc::core::readWholeFile(runInfoPath, kMaxRunFileBytes);
    Result<RunInfo> info = json ? parseRunInfo(json.value(), runInfoPath)
                                : Result<RunInfo>(json.status());
    if (!info && !ownFile)
        return Status::error(folder + " holds a run whose " + std::string(RunFolder::kRunInfoFile) +
                             " cannot be read (" + info.message() + "), so resuming " +
                             checkpointPath +
                             " there could replace another run's files; resume into the "
                             "checkpoint's own folder or an empty one");
    if (!ownFile) {
        // The run's id where both have one, else (runs from before ids) its event file's name.
        const std::string theirId = metadataValue(metadata, RunRecorder::kRunIdKey);
        const bool byId = isRunId(theirId) && !info.value().id.empty();
        const std::string theirs = metadataValue(metadata, RunRecorder::kEventsFileKey);
        if (byId ? theirId != info.value().id
                 : theirs.empty() || theirs != info.value().eventsFile)
            return Status::error(folder + " holds another run than " + checkpointPath +
                                 "'s; resuming there would replace its checkpoint and "
                                 "metrics. Resume into the checkpoint's own folder or an "
                                 "empty one");
    }
    effect.folderEpochs = std::max(info ? info.value().epochsDone : 0, metricsEpochs(folder));
    return effect;
}

} // namespace nc::engine
