#include "eventreader.h"

#include "core/atomicwrite.h"
#include "engine/io/protowire.h"
#include "engine/io/tfrecord.h"

namespace nc::engine {

using core::Result;
using core::Status;
using engine::ProtoField;
using engine::ProtoReader;
using engine::WireType;

namespace {

Status wrongType(const char* message, const ProtoField& f) {
    return Status::error(std::string(message) + " field " + std::to_string(f.number) +
                         " has the wrong wire type");
}

Result<Histogram> decodeHistogram(std::string_view bytes) {
    Histogram h;
    ProtoReader reader(bytes);
    ProtoField f;
    while (reader.next(f)) {
        if (f.number >= 1 && f.number <= 5) {
            if (f.type != WireType::Fixed64)
                return wrongType("HistogramProto", f);
            double* fields[] = {&h.min, &h.max, &h.num, &h.sum, &h.sumSquares};
            *fields[f.number - 1] = f.asDouble();
        } else if (f.number == 6 || f.number == 7) {
            if (f.type != WireType::Bytes)
                return wrongType("HistogramProto", f);
            auto values = engine::unpackDoubles(f.bytes);
            if (!values)
                return values.status();
            (f.number == 6 ? h.bucketLimit : h.bucket) = values.value();
        }
    }
    if (!reader.error().empty())
        return Status::error("HistogramProto: " + reader.error());
    return h;
}

Result<DecodedValue> decodeValue(std::string_view bytes) {
    DecodedValue v;
    ProtoReader reader(bytes);
    ProtoField f;
    while (reader.next(f)) {
        if (f.number == 1 && f.type == WireType::Bytes) {
            v.tag = std::string(f.bytes);
        } else if (f.number == 2 && f.type == WireType::Fixed32) {
            v.simpleValue = f.asFloat();
        } else if (f.number == 5 && f.type == WireType::Bytes) {
            auto h = decodeHistogram(f.bytes);
            if (!h)
                return h.status();
            v.histogram = h.value();
        } else if (f.number == 1 || f.number == 2 || f.number == 5) {
            return wrongType("Summary.Value", f);
        }
    }
    if (!reader.error().empty())
        return Status::error("Summary.Value: " + reader.error());
    return v;
}

} // namespace

const DecodedValue* DecodedEvent::find(std::string_view tag) const {
    for (const DecodedValue& v : values)
        if (v.tag == tag)
            return &v;
    return nullptr;
}

Result<DecodedEvent> decodeEvent(std::string_view bytes) {
    DecodedEvent e;
    ProtoReader reader(bytes);
    ProtoField f;
    while (reader.next(f)) {
        if (f.number == 1 && f.type == WireType::Fixed64) {
            e.wallTime = f.asDouble();
        } else if (f.number == 2 && f.type == WireType::Varint) {
            e.step = std::int64_t(f.bits);
        } else if (f.number == 3 && f.type == WireType::Bytes) {
            e.fileVersion = std::string(f.bytes);
        } else if (f.number == 5 && f.type == WireType::Bytes) {
            ProtoReader summary(f.bytes);
            ProtoField s;
            while (summary.next(s))
                if (s.number == 1 && s.type == WireType::Bytes) {
                    auto v = decodeValue(s.bytes);
                    if (!v)
                        return v.status();
                    e.values.push_back(v.value());
                }
            if (!summary.error().empty())
                return Status::error("Summary: " + summary.error());
        } else if (f.number <= 3 || f.number == 5) {
            return wrongType("Event", f);
        }
    }
    if (!reader.error().empty())
        return Status::error("Event: " + reader.error());
    return e;
}

Result<std::vector<DecodedEvent>> readEventFile(const std::string& path) {
    auto bytes = core::readWholeFile(path, std::size_t(1) << 30);
    if (!bytes)
        return bytes.status();
    auto records = engine::splitRecords(bytes.value(), path);
    if (!records)
        return records.status();
    std::vector<DecodedEvent> events;
    for (const std::string& record : records.value()) {
        auto e = decodeEvent(record);
        if (!e)
            return Status::error(path + ": " + e.message());
        events.push_back(e.value());
    }
    return events;
}

Result<EventFilePrefix> readEventFilePrefix(const std::string& path) {
    auto bytes = core::readWholeFile(path, std::size_t(1) << 30);
    if (!bytes)
        return bytes.status();
    std::string_view rest = bytes.value();
    EventFilePrefix prefix;
    for (std::size_t index = 0; !rest.empty(); ++index) {
        // A record is whole when framing its data again gives back the same bytes (length,
        // both CRCs); the record's own decoding then checks the Event.
        std::uint64_t length = 0;
        if (rest.size() >= 8)
            for (int i = 7; i >= 0; --i)
                length = (length << 8) | std::uint8_t(rest[std::size_t(i)]);
        const bool fits = rest.size() >= 16 && length <= rest.size() - 16;
        if (!fits || frameRecord(rest.substr(12, length)) != rest.substr(0, length + 16)) {
            prefix.damage = path + ": record " + std::to_string(index) + " is damaged or cut off";
            break;
        }
        auto e = decodeEvent(rest.substr(12, length));
        if (!e) {
            prefix.damage = path + ": record " + std::to_string(index) + ": " + e.message();
            break;
        }
        prefix.events.push_back(std::move(e).value());
        rest.remove_prefix(length + 16);
    }
    return prefix;
}

} // namespace nc::engine
