#include "benchcommand.h"

#include "benchprofile.h"
#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"

#include "engine/backendlist.h"
#include "engine/executor.h"
#include "engine/optimizer.h"
#include "engine/probe/layertiming.h"
#include "engine/threading.h"
#include "engine/trainingstep.h"

#include "graph_model/graphjson.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <numeric>
#include <optional>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli bench [--device D] [--batch B] [--threads N] [--nets a,b,...]\n"
    "                           [--seconds S] [--feed device|host] [--profile] [--json]\n"
    "\n"
    "Measures training (forward, backward, SGD step) and inference images per second of the\n"
    "seed networks on random data: mlp, mnist_cnn, modified_cnn, conv_autoencoder,\n"
    "catsdogs_cnn, and the LSTM rnn_rows_mnist. Each network runs in its own process, so its\n"
    "peak memory is its own.\n"
    "\n"
    "  --device D     cpu (default), cuda or cuda:N\n"
    "  --batch B      batch size (default 128)\n"
    "  --threads N    threads (default: every core)\n"
    "  --seconds S    time spent measuring each phase (default 3)\n"
    "  --feed F       device (default): the batch stays on the device and each step gathers\n"
    "                 it there, as training on a resident dataset does; host: each step\n"
    "                 uploads it from host memory, as training on data too large to stay\n"
    "                 on the GPU does\n"
    "  --profile      then time each layer's forward, backward and inference pass, waiting\n"
    "                 for the device after each, and print where a step's time goes\n"
    "  --examples DIR where the example graphs are (default: found next to the program)\n"
    "  --json         one JSON object per network\n";

const std::vector<std::string> kNets = {
    "mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder", "catsdogs_cnn", "rnn_rows_mnist"};

std::string examplesDir(const Options& o) {
    if (o.has("examples"))
        return o.text("examples");
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto installed = exe.parent_path().parent_path() / "share" / "netcanvas" / "examples";
        if (std::filesystem::exists(installed, ec))
            return installed.string();
    }
    return NC_EXAMPLES_DIR;
}

// Runs `body` in a forked child and returns what it returned (empty when the child could not
// start or died first).
std::string runInChild(const std::function<std::string()>& body) {
    int pipeFds[2];
    if (pipe(pipeFds) != 0)
        return {};
    const pid_t child = fork();
    if (child < 0) {
        close(pipeFds[0]);
        close(pipeFds[1]);
        return {};
    }
    if (child == 0) {
        close(pipeFds[0]);
        const std::string text = body();
        [[maybe_unused]] auto written = write(pipeFds[1], text.data(), text.size());
        _exit(0);
    }
    close(pipeFds[1]);
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(pipeFds[0], buffer, sizeof buffer)) > 0)
        text.append(buffer, std::size_t(n));
    close(pipeFds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return text;
}

struct Measurement {
    double trainPerSecond = 0, inferPerSecond = 0;
    std::int64_t replayedSteps = 0; // training steps replayed from a recording (a CUDA Graph)
    std::optional<nlohmann::ordered_json> profile; // profileJson(), with --profile
    std::string error;
};

// Runs `body` repeatedly for about `seconds` (after two warm-up runs); images per second.
// A GPU queues work ahead of the host, so the clock reads only after the device has caught
// up (`sync`), and runs are counted in rounds between syncs.
template <typename F, typename S>
double imagesPerSecond(F&& body, S&& sync, std::int64_t batch, double seconds) {
    using Clock = std::chrono::steady_clock;
    body();
    body();
    sync();
    const auto start = Clock::now();
    int runs = 0;
    double elapsed = 0;
    while (runs < 3 || elapsed < seconds) {
        for (int i = 0; i < 10; ++i, ++runs)
            body();
        sync();
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    return double(runs) * double(batch) / elapsed;
}

// Runs `body` with the executor timing each op, for about `seconds` and at least three runs.
template <typename F, typename S>
nc::cli::ProfiledPhase profile(nc::engine::Executor& executor, F&& body, S&& sync, double seconds) {
    using Clock = std::chrono::steady_clock;
    nc::cli::ProfiledPhase phase;
    sync();
    executor.setProfile(&phase.ops);
    const auto start = Clock::now();
    while (phase.steps < 3 || phase.seconds < seconds) {
        body();
        sync();
        ++phase.steps;
        phase.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    }
    executor.setProfile(nullptr);
    return phase;
}

Measurement measure(const std::string& path, const std::string& device, std::int64_t batch,
                    double seconds, bool hostFeed, bool profiled) {
    Measurement m;
    auto loaded = nc::graph::loadGraphFile(path);
    if (!loaded) {
        m.error = loaded.message();
        return m;
    }
    auto compiled = nc::engine::Model::compile(loaded.value());
    if (!compiled) {
        m.error = compiled.message();
        return m;
    }
    nc::engine::Model& model = compiled.value();
    nc::engine::initializeParameters(model.params(), 1);
    const auto [x, y] = nc::engine::madeUpBatch(model, batch);
    auto created = nc::engine::createBackend(device);
    if (!created) {
        m.error = created.message();
        return m;
    }
    nc::engine::Backend& backend = *created.value();
    if (Status s = nc::engine::moveParametersTo(backend, model.params()); !s) {
        m.error = s.message();
        return m;
    }
    // The batch stays on the device and each step gathers it there, as training does with a
    // resident dataset (and as the PyTorch script keeps its tensors on the GPU).
    nc::engine::Tensor xTable = backend.newTensor(), yTable = backend.newTensor();
    if (Status s = backend.upload(x, xTable); !s) {
        m.error = s.message();
        return m;
    }
    if (Status s = backend.upload(y, yTable); !s) {
        m.error = s.message();
        return m;
    }
    std::vector<std::int64_t> rows(static_cast<std::size_t>(batch));
    std::iota(rows.begin(), rows.end(), 0);
    nc::engine::Executor executor(model, backend);
    auto bind = [&] {
        return hostFeed ? executor.bind(x, y) : executor.bindRows(xTable, yTable, rows);
    };
    auto optimizer = nc::engine::Optimizer::create({"momentum", 0.9, 0.0}, model.params()).value();
    // As the trainer steps: recorded and replayed where the backend can (NETCANVAS_CUDA_GRAPHS).
    nc::engine::TrainingStep trainingStep(executor, model.params(), optimizer);
    std::uint64_t step = 0;
    Status failure = Status::ok();
    auto sync = [&] {
        if (Status s = backend.synchronize(); !s)
            failure = s;
    };
    auto train = [&] {
        Status s = bind();
        if (s)
            s = trainingStep.run({1, step++, false}, 1e-4f, nullptr);
        if (!s)
            failure = s;
    };
    auto infer = [&] {
        Status s = bind();
        if (s)
            s = executor.forwardBound(nc::engine::Mode::Eval, {1, 0, false});
        if (!s)
            failure = s;
    };
    m.trainPerSecond = imagesPerSecond(train, sync, batch, seconds);
    m.inferPerSecond = imagesPerSecond(infer, sync, batch, seconds);
    m.replayedSteps = trainingStep.counts().replayed;
    if (profiled && failure) {
        const nc::cli::ProfiledPhase trained = profile(executor, train, sync, seconds);
        const nc::cli::ProfiledPhase inferred = profile(executor, infer, sync, seconds);
        m.profile = nc::cli::profileJson(trained, inferred);
    }
    if (!failure)
        m.error = failure.message();
    return m;
}

} // namespace

int runBench(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done = parseCommandLine(
            "bench", args, {"device", "batch", "threads", "nets", "seconds", "examples", "feed"},
            {"json", "profile"}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    auto batch = o.integer("batch", 128, 1, 65536);
    auto threads = o.integer("threads", 0, 0, 1024);
    auto seconds = o.number("seconds", 3.0, 0.0, 3600.0);
    if (!batch || !threads || !seconds) {
        printError("bench", !batch     ? batch.message()
                            : !threads ? threads.message()
                                       : seconds.message());
        return kExitUsage;
    }
    const std::string feed = o.text("feed", "device");
    if (feed != "device" && feed != "host") {
        printError("bench", "--feed must be device or host, got '" + feed + "'");
        return kExitUsage;
    }
    const std::string device = o.text("device", "cpu");
    // Checked in a child too: CUDA initialised here would not work in the children forked
    // below.
    const auto probe =
        nlohmann::json::parse(runInChild([&] {
                                  auto created = nc::engine::createBackend(device);
                                  return created
                                             ? std::string("{}")
                                             : nlohmann::json{{"error", created.message()}}.dump();
                              }),
                              nullptr, false);
    if (probe.is_discarded() || probe.contains("error")) {
        printError("bench", probe.is_discarded() ? "the device check failed"
                                                 : probe["error"].get<std::string>());
        return kExitUsage;
    }
    std::vector<std::string> nets = kNets;
    if (o.has("nets")) {
        nets.clear();
        std::string list = o.text("nets") + ",";
        for (std::size_t pos = 0, comma; (comma = list.find(',', pos)) != std::string::npos;
             pos = comma + 1)
            if (comma > pos)
                nets.push_back(list.substr(pos, comma - pos));
    }
    const std::string dir = examplesDir(o);
    const bool json = o.has("json");
    if (!json)
        std::printf("%-18s %6s %8s %14s %14s %9s\n", "net", "batch", "threads", "train img/s",
                    "infer img/s", "peak MB");
    int exitCode = kExitOk;
    for (const std::string& net : nets) {
        const std::string path = dir + "/" + net + ".json";
        std::error_code missing;
        if (!std::filesystem::exists(path, missing)) { // also a loop or no permission
            printError("bench", "no example graph " + path +
                                    (missing ? " (" + missing.message() + ")" : ""));
            return kExitUsage;
        }
        // One child process per network: its peak RSS is the network's alone, and the
        // OpenMP thread pool starts fresh in each.
        const std::string text = runInChild([&] {
            nc::engine::setThreadCount(int(threads.value()));
            Measurement m = measure(path, device, batch.value(), seconds.value(), feed == "host",
                                    o.has("profile"));
            rusage usage{};
            getrusage(RUSAGE_SELF, &usage);
            nlohmann::ordered_json j;
            j["net"] = net;
            j["batch"] = batch.value();
            j["threads"] = nc::engine::threadCount();
            j["feed"] = feed;
            j["train_images_per_s"] = m.trainPerSecond;
            j["infer_images_per_s"] = m.inferPerSecond;
            j["replayed_steps"] = m.replayedSteps;
            j["peak_rss_mb"] = double(usage.ru_maxrss) / 1024.0;
            if (m.profile)
                j["profile"] = *m.profile;
            if (!m.error.empty())
                j["error"] = m.error;
            return j.dump() + "\n";
        });
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded() || j.contains("error")) {
            printError("bench", net + ": " +
                                    (j.is_discarded() ? std::string("the benchmark process failed")
                                                      : j["error"].get<std::string>()));
            exitCode = kExitInvalid;
            continue;
        }
        if (json)
            std::cout << text << std::flush;
        else
            std::printf("%-18s %6lld %8d %14.0f %14.0f %9.0f\n", net.c_str(),
                        static_cast<long long>(batch.value()), j["threads"].get<int>(),
                        j["train_images_per_s"].get<double>(),
                        j["infer_images_per_s"].get<double>(), j["peak_rss_mb"].get<double>());
        if (!json && j.contains("profile"))
            nc::cli::printProfile(j["profile"], 1000.0 * double(batch.value()) /
                                                    j["train_images_per_s"].get<double>());
        std::fflush(stdout);
    }
    return exitCode;
}

} // namespace nc::cli
