#include "benchprofile.h"

#include <cstdio>
#include <string>

namespace nc::cli {

namespace {

double perStepMs(double seconds, int steps) {
    return steps > 0 ? 1000.0 * seconds / double(steps) : 0.0;
}

} // namespace

nlohmann::ordered_json profileJson(const ProfiledPhase& train, const ProfiledPhase& infer) {
    nlohmann::ordered_json ops = nlohmann::ordered_json::array();
    // Inference runs the same plan steps minus the backward pass; both are in plan order.
    const auto inferEntries = infer.ops.entries();
    for (const auto& e : train.ops.entries()) {
        double inferSeconds = 0;
        for (const auto& i : inferEntries)
            if (i.step == e.step)
                inferSeconds = i.forwardSeconds;
        ops.push_back({{"name", e.name},
                       {"op", nc::engine::opName(e.kind)},
                       {"forward_ms", perStepMs(e.forwardSeconds, train.steps)},
                       {"backward_ms", perStepMs(e.backwardSeconds, train.steps)},
                       {"infer_ms", perStepMs(inferSeconds, infer.steps)}});
    }
    const double stepMs = perStepMs(train.seconds, train.steps);
    return {{"train_step_ms", stepMs},
            {"infer_ms", perStepMs(infer.seconds, infer.steps)},
            {"other_train_ms", stepMs - perStepMs(train.ops.totalSeconds(), train.steps)},
            {"ops", ops}};
}

void printProfile(const nlohmann::json& profile, double unprofiledTrainMs) {
    const double stepMs = profile["train_step_ms"].get<double>();
    std::printf("  per op, ms a step, waiting for the device after each: training %.3f (%.3f "
                "without waiting), inference %.3f\n",
                stepMs, unprofiledTrainMs, profile["infer_ms"].get<double>());
    std::printf("  %-20s %-20s %10s %10s %10s %9s\n", "layer", "op", "forward", "backward",
                "inference", "training");
    auto share = [&](double ms) { return stepMs > 0 ? 100.0 * ms / stepMs : 0.0; };
    for (const auto& op : profile["ops"]) {
        const double forward = op["forward_ms"].get<double>();
        const double backward = op["backward_ms"].get<double>();
        std::printf("  %-20s %-20s %10.3f %10.3f %10.3f %8.1f%%\n",
                    op["name"].get<std::string>().c_str(), op["op"].get<std::string>().c_str(),
                    forward, backward, op["infer_ms"].get<double>(), share(forward + backward));
    }
    const double other = profile["other_train_ms"].get<double>();
    std::printf("  %-41s %10.3f %10s %10s %8.1f%%\n", "the rest: batch, zeroing, optimizer", other,
                "", "", share(other));
}

} // namespace nc::cli
