#include "runinfo.h"

#include "eventfile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <ctime>
#include <unistd.h>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;
using Json = nlohmann::ordered_json;

namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 4> kStatusNames{{
    {RunStatus::Running, "running"},
    {RunStatus::Completed, "completed"},
    {RunStatus::Stopped, "stopped"},
    {RunStatus::Failed, "failed"},
}};

Json textOrNull(const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(text);
}

// Reads `key` of `object` into `out`; a missing key or a value of another type throws
// nlohmann's type_error, which parseRunInfo turns into a message.
template <typename T> void read(const Json& object, const char* key, T& out) {
    out = object.at(key).get<T>();
}

void readTextOrNull(const Json& object, const char* key, std::string& out) {
    const Json& v = object.at(key);
    out = v.is_null() ? std::string() : v.get<std::string>();
}

} // namespace

std::string newRunId() {
    std::random_device entropy;
    const std::uint64_t value = (std::uint64_t(entropy()) << 32) ^ entropy();
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

bool isRunId(std::string_view text) {
    return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string_view runStatusName(RunStatus status) {
    for (const auto& [s, name] : kStatusNames)
        if (s == status)
            return name;
    return "running";
}

std::string isoUtcTime(std::int64_t secondsSinceEpoch) {
    const std::time_t t = std::time_t(secondsSinceEpoch);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::string hostName() {
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0')
        return "localhost";
    std::string host(buffer);
    for (char& c : host)
        if (c == '/' || static_cast<unsigned char>(c) < 0x20)
            c = '_';
    return host;
}

std::string runInfoJson(const RunInfo& info) {
    Json j;
    j["format"] = "netcanvas-run";
    j["version"] = 1;
    j["status"] = runStatusName(info.status);
    j["error"] = textOrNull(info.error);
    j["epochs_done"] = info.epochsDone;
    j["epochs"] = info.config.epochs;
    j["resumed_from_epoch"] = info.resumedFromEpoch;
    j["initial_weights"] = textOrNull(info.initialWeights);
    j["started"] = info.started;
    j["ended"] = textOrNull(info.ended);
    j["graph"] = "graph.json";
    j["graph_source"] = info.graphSource;
    j["data"] = info.data;
    j["val_split"] = info.valSplit;
    j["config"] = {{"batch", info.config.batch},
                   {"optimizer", info.config.optimizer.kind},
                   {"lr", info.config.lr},
                   {"momentum", info.config.optimizer.momentum},
                   {"weight_decay", info.config.optimizer.weightDecay},
                   {"clip_grad_norm", info.config.optimizer.clipGradNorm},
                   {"schedule", info.config.schedule},
                   {"seed", info.config.seed},
                   {"check_finite", info.config.checkFinite}};
    j["device"] = info.device;
    j["threads"] = info.threads;
    j["host"] = info.host;
    j["pid"] = info.pid;
    j["checkpoint"] = "checkpoint.safetensors";
    j["metrics"] = "metrics.csv";
    j["events"] = textOrNull(info.eventsFile);
    j["id"] = textOrNull(info.id);
    return j.dump(2) + "\n";
}

Result<RunInfo> parseRunInfo(std::string_view json, std::string_view source) {
    try {
        const Json j = Json::parse(json);
        if (j.value("format", "") != "netcanvas-run")
            return Status::error(std::string(source) + ": not a NetCanvas run.json");
        RunInfo info;
        std::string status;
        read(j, "status", status);
        bool known = false;
        for (const auto& [s, name] : kStatusNames)
            if (name == status) {
                info.status = s;
                known = true;
            }
        if (!known)
            return Status::error(std::string(source) + ": unknown status \"" + status + "\"");
        readTextOrNull(j, "error", info.error);
        read(j, "epochs_done", info.epochsDone);
        read(j, "epochs", info.config.epochs);
        read(j, "resumed_from_epoch", info.resumedFromEpoch);
        if (j.contains("initial_weights")) // absent in runs from before fine-tuning
            readTextOrNull(j, "initial_weights", info.initialWeights);
        read(j, "started", info.started);
        readTextOrNull(j, "ended", info.ended);
        read(j, "graph_source", info.graphSource);
        read(j, "data", info.data);
        read(j, "val_split", info.valSplit);
        const Json& c = j.at("config");
        read(c, "batch", info.config.batch);
        read(c, "optimizer", info.config.optimizer.kind);
        read(c, "lr", info.config.lr);
        read(c, "momentum", info.config.optimizer.momentum);
        read(c, "weight_decay", info.config.optimizer.weightDecay);
        if (c.contains("clip_grad_norm")) // absent in runs from before clipping
            read(c, "clip_grad_norm", info.config.optimizer.clipGradNorm);
        read(c, "schedule", info.config.schedule);
        read(c, "seed", info.config.seed);
        read(c, "check_finite", info.config.checkFinite);
        read(j, "device", info.device);
        read(j, "threads", info.threads);
        read(j, "host", info.host);
        read(j, "pid", info.pid);
        readTextOrNull(j, "events", info.eventsFile);
        if (j.contains("id")) // absent in runs from before run ids
            readTextOrNull(j, "id", info.id);
        if (!info.id.empty() && !isRunId(info.id))
            return Status::error(std::string(source) + ": \"id\" is not a run id");
        if (!info.eventsFile.empty() && !isEventFileName(info.eventsFile))
            return Status::error(std::string(source) + ": \"events\" is not the name of an event "
                                                       "file in the run folder");
        return info;
    } catch (const Json::exception& e) {
        return Status::error(std::string(source) + ": " + e.what());
    }
}

} // namespace nc::engine
