#include "tfevents.h"

#include "engine/io/protowire.h"

namespace nc::engine {

namespace {

// Field numbers of event.proto and summary.proto.
namespace event {
constexpr int kWallTime = 1, kStep = 2, kFileVersion = 3, kSummary = 5;
}
namespace summary {
constexpr int kValue = 1;
}
namespace value {
constexpr int kTag = 1, kSimpleValue = 2, kHisto = 5;
}
namespace histo {
constexpr int kMin = 1, kMax = 2, kNum = 3, kSum = 4, kSumSquares = 5, kBucketLimit = 6,
              kBucket = 7;
}

std::string eventWithSummary(double wallTime, std::int64_t step, const ProtoWriter& summary) {
    ProtoWriter e;
    e.float64(event::kWallTime, wallTime);
    e.int64(event::kStep, step);
    e.message(event::kSummary, summary);
    return e.take();
}

} // namespace

std::string fileVersionEvent(double wallTime) {
    ProtoWriter e;
    e.float64(event::kWallTime, wallTime);
    e.string(event::kFileVersion, kEventFileVersion);
    return e.take();
}

std::string scalarsEvent(double wallTime, std::int64_t step, std::span<const ScalarValue> values) {
    ProtoWriter s;
    for (const ScalarValue& v : values) {
        ProtoWriter entry;
        entry.string(value::kTag, v.tag);
        entry.float32(value::kSimpleValue, v.value);
        s.message(summary::kValue, entry);
    }
    return eventWithSummary(wallTime, step, s);
}

std::string histogramEvent(double wallTime, std::int64_t step, std::string_view tag,
                           const Histogram& histogram) {
    ProtoWriter h;
    h.float64(histo::kMin, histogram.min);
    h.float64(histo::kMax, histogram.max);
    h.float64(histo::kNum, histogram.num);
    h.float64(histo::kSum, histogram.sum);
    h.float64(histo::kSumSquares, histogram.sumSquares);
    h.packedDoubles(histo::kBucketLimit, histogram.bucketLimit);
    h.packedDoubles(histo::kBucket, histogram.bucket);
    ProtoWriter entry;
    entry.string(value::kTag, tag);
    entry.message(value::kHisto, h);
    ProtoWriter s;
    s.message(summary::kValue, entry);
    return eventWithSummary(wallTime, step, s);
}

} // namespace nc::engine
