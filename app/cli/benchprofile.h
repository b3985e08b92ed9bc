#pragma once
// `bench --profile`: where a network's training step and inference pass spend their time, op
// by op (engine/opprofile.h), as JSON for --json and as a table under the network's row.

#include "engine/opprofile.h"

#include <nlohmann/json.hpp>

namespace nc::cli {

// A profiled phase: the op times of `steps` runs that took `seconds` of wall time in all.
struct ProfiledPhase {
    nc::engine::OpProfile ops;
    int steps = 0;
    double seconds = 0;
};

// {"train_step_ms", "infer_ms", "other_train_ms", "ops": [{"name", "op", "forward_ms",
// "backward_ms", "infer_ms"}]}, each a mean per step; other_train_ms is the training step's time
// outside the ops (taking the batch, zeroing the gradients, the optimizer update).
nlohmann::ordered_json profileJson(const ProfiledPhase& train, const ProfiledPhase& infer);

// The table of profileJson's object, under a bench row; `unprofiledTrainMs` is the step time
// measured without waiting after each op.
void printProfile(const nlohmann::json& profile, double unprofiledTrainMs);

} // namespace nc::cli
