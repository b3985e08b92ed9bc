#pragma once
// A TensorBoard event file reader, written against event.proto and summary.proto directly
// (not against the writer): it splits the TFRecord framing with both CRCs checked, then
// decodes each Event's fields. The app reads a reopened run's step curves with it, and the
// tests check the writer's output field by field.

#include "engine/run/histogram.h"

#include "core/status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nc::engine {

struct DecodedValue {
    std::string tag;
    std::optional<float> simpleValue;
    std::optional<Histogram> histogram;
};

struct DecodedEvent {
    double wallTime = 0;
    std::int64_t step = 0;
    std::string fileVersion;
    std::vector<DecodedValue> values;

    // The value with `tag`, or nullptr.
    const DecodedValue* find(std::string_view tag) const;
};

core::Result<DecodedEvent> decodeEvent(std::string_view bytes);
// Every event of a file; an error on any damaged record or field.
core::Result<std::vector<DecodedEvent>> readEventFile(const std::string& path);

// For a file that may end in a damaged or cut-off record (a run killed mid-write): the events
// before the first damage, and what the damage was (empty when there was none).
struct EventFilePrefix {
    std::vector<DecodedEvent> events;
    std::string damage;
};
core::Result<EventFilePrefix> readEventFilePrefix(const std::string& path);

} // namespace nc::engine
