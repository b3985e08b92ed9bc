#pragma once
// TensorBoard Event protos (tensorflow/core/util/event.proto, summary.proto), encoded by hand
// with protowire.h. Each function returns one serialized Event, ready for frameRecord():
//   Event   { double wall_time = 1; int64 step = 2; string file_version = 3;
//             Summary summary = 5; }
//   Summary { repeated Value value = 1; }
//   Value   { string tag = 1; float simple_value = 2; HistogramProto histo = 5; }
//   HistogramProto { double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5;
//                    repeated double bucket_limit = 6 [packed], bucket = 7 [packed]; }
// An event file starts with the file_version event "brain.Event:2".
//
//   file += frameRecord(fileVersionEvent(now));
//   file += frameRecord(scalarsEvent(now, step, {{"step/train_loss", 0.31f}}));

#include "histogram.h"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace nc::engine {

inline constexpr std::string_view kEventFileVersion = "brain.Event:2";

struct ScalarValue {
    std::string_view tag;
    float value = 0;
};

std::string fileVersionEvent(double wallTime);
// One Summary holding every value, all at `step`.
std::string scalarsEvent(double wallTime, std::int64_t step, std::span<const ScalarValue> values);
inline std::string scalarsEvent(double wallTime, std::int64_t step,
                                std::initializer_list<ScalarValue> values) {
    return scalarsEvent(wallTime, step,
                        std::span<const ScalarValue>(values.begin(), values.size()));
}
std::string histogramEvent(double wallTime, std::int64_t step, std::string_view tag,
                           const Histogram& histogram);

} // namespace nc::engine
