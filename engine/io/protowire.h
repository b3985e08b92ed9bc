#pragma once
// The protocol buffers wire format, by hand (protobuf.dev/programming-guides/encoding): enough
// to write TensorBoard's Event protos now and ONNX models later, with no protobuf library or
// generated code. A message is built into a byte string; a nested message is a bytes field.
// Field numbers come from the .proto files and are written next to each call.
//
//   ProtoWriter value;                 // tensorboard Summary.Value
//   value.string(1, "loss");           //   tag = 1
//   value.float32(2, 0.5f);            //   simple_value = 2
//   ProtoWriter summary;
//   summary.message(1, value);         // Summary.value = 1
//
//   ProtoReader reader(summary.data()); // and back
//   ProtoField f;
//   while (reader.next(f)) { ... }
//   if (!reader.error().empty()) { ... }

#include "core/status.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nc::engine {

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

class ProtoWriter {
public:
    // uint32, uint64, bool and enum fields; int32/int64 go through int64() (two's complement).
    void varint(int field, std::uint64_t value);
    void int64(int field, std::int64_t value) { varint(field, std::uint64_t(value)); }
    void float64(int field, double value); // proto `double`
    void float32(int field, float value);  // proto `float`
    void bytes(int field, std::string_view value);
    void string(int field, std::string_view value) { bytes(field, value); }
    void message(int field, const ProtoWriter& nested) { bytes(field, nested.data()); }
    // Packed repeated fields (the proto3 default for scalars).
    void packedDoubles(int field, std::span<const double> values);
    void packedFloats(int field, std::span<const float> values);
    void packedInt64s(int field, std::span<const std::int64_t> values);

    const std::string& data() const { return m_out; }
    std::string take() { return std::move(m_out); }

private:
    void key(int field, WireType type);
    void rawVarint(std::uint64_t value);
    void rawFixed(std::uint64_t bits, int byteCount);

    std::string m_out;
};

struct ProtoField {
    int number = 0;
    WireType type = WireType::Varint;
    std::uint64_t bits = 0; // the value of a Varint, Fixed64 or Fixed32 field
    std::string_view bytes; // the payload of a Bytes field (a view into the message)

    double asDouble() const;
    float asFloat() const;
};

// Reads a message one field at a time; never reads past its end. Groups (wire types 3 and 4)
// are refused: no message NetCanvas reads uses them.
class ProtoReader {
public:
    explicit ProtoReader(std::string_view message) : m_rest(message) {}

    // The next field, or false at the end or on malformed input (then error() says why).
    bool next(ProtoField& field);
    const std::string& error() const { return m_error; }

private:
    bool readVarint(std::uint64_t& value);
    bool fail(std::string message);

    std::string_view m_rest;
    std::string m_error;
};

// The values of a packed repeated double field.
nc::core::Result<std::vector<double>> unpackDoubles(std::string_view bytes);

} // namespace nc::engine
