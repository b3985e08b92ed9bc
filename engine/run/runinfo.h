#pragma once
// run.json of a run folder: what was trained, how, when, and how it ended. Rewritten
// atomically when the run starts, after every epoch and when it ends, so a reader (the GUI's
// run list, a script) always finds a whole file. A run killed outright stays "running".
//
//   {"format": "netcanvas-run", "version": 1, "status": "completed", "error": null,
//    "epochs_done": 10, "epochs": 10, "resumed_from_epoch": 0, "initial_weights": null,
//    "started": "2024-05-01T12:00:00Z", "ended": "2024-05-01T12:03:10Z",
//    "graph": "graph.json", "graph_source": "net.json", "data": "synthetic:digits",
//    "val_split": 0.2, "config": {"batch": 128, "optimizer": "nesterov", ...},
//    "device": "cpu", "threads": 0, "host": "box", "pid": 4242,
//    "checkpoint": "checkpoint.safetensors", "metrics": "metrics.csv",
//    "events": "events.out.tfevents.1714564800.box", "id": "3f9c0e51a2b4d687"}

#include "engine/trainer.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace nc::engine {

enum class RunStatus { Running, Completed, Stopped, Failed };

std::string_view runStatusName(RunStatus status); // "running", "completed", ...

struct RunInfo {
    RunStatus status = RunStatus::Running;
    std::string error; // why it failed or stopped; empty otherwise
    int epochsDone = 0;
    int resumedFromEpoch = 0;   // the checkpoint's epoch this session continued from
    std::string initialWeights; // the weights a fine-tuning run started from; empty: the seed's
    std::string started, ended; // UTC, ISO 8601; `ended` is empty while running
    std::string graphSource;    // the graph file the run was started from
    std::string data;
    double valSplit = 0;
    TrainConfig config;
    std::string device = "cpu";
    int threads = 0; // 0: every core
    std::string host;
    std::int64_t pid = 0;
    std::string eventsFile; // the TensorBoard event file's name in the folder
    // 16 random hex digits given when the run starts and kept by its resumes (also in each
    // checkpoint's metadata): which run a checkpoint belongs to. Empty in runs from before.
    std::string id;
};

// A fresh run id, and whether `text` has the form of one.
std::string newRunId();
bool isRunId(std::string_view text);

std::string runInfoJson(const RunInfo& info);
// Reads what runInfoJson wrote; a missing or mistyped key is an error naming it.
nc::core::Result<RunInfo> parseRunInfo(std::string_view json, std::string_view source);

// "2024-05-01T12:00:00Z" for a time in seconds since 1970.
std::string isoUtcTime(std::int64_t secondsSinceEpoch);
// This machine's name, as run.json and event file names give it ("localhost" if unknown).
std::string hostName();

} // namespace nc::engine
