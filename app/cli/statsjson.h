#pragma once
// A probed tensor's statistics as the JSON fields `probe` and `visualize activations` share.

#include "engine/probe/tensorstats.h"

#include <nlohmann/json.hpp>

namespace nc::cli {

// Adds min, max, mean, std, zeros, saturated (when known) and non_finite to `j`.
inline void addStats(nlohmann::ordered_json& j, const nc::engine::TensorStats& s) {
    j["min"] = s.min;
    j["max"] = s.max;
    j["mean"] = s.mean;
    j["std"] = s.stddev;
    j["zeros"] = s.zeroShare;
    if (s.saturatedShare)
        j["saturated"] = *s.saturatedShare;
    j["non_finite"] = s.nonFinite;
}

} // namespace nc::cli
