#include "protowire.h"

#include <bit>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

void ProtoWriter::key(int field, WireType type) {
    rawVarint((std::uint64_t(field) << 3) | std::uint64_t(type));
}

void ProtoWriter::rawVarint(std::uint64_t value) {
    while (value >= 0x80) {
        m_out += char((value & 0x7f) | 0x80);
        value >>= 7;
    }
    m_out += char(value);
}

void ProtoWriter::rawFixed(std::uint64_t bits, int byteCount) {
    for (int i = 0; i < byteCount; ++i)
        m_out += char((bits >> (8 * i)) & 0xff); // little-endian on every host
}

void ProtoWriter::varint(int field, std::uint64_t value) {
    key(field, WireType::Varint);
    rawVarint(value);
}

void ProtoWriter::float64(int field, double value) {
    key(field, WireType::Fixed64);
    rawFixed(std::bit_cast<std::uint64_t>(value), 8);
}

void ProtoWriter::float32(int field, float value) {
    key(field, WireType::Fixed32);
    rawFixed(std::bit_cast<std::uint32_t>(value), 4);
}

void ProtoWriter::bytes(int field, std::string_view value) {
    key(field, WireType::Bytes);
    rawVarint(value.size());
    m_out += value;
}

void ProtoWriter::packedDoubles(int field, std::span<const double> values) {
    key(field, WireType::Bytes);
    rawVarint(values.size() * 8);
    for (double v : values)
        rawFixed(std::bit_cast<std::uint64_t>(v), 8);
}

void ProtoWriter::packedFloats(int field, std::span<const float> values) {
    key(field, WireType::Bytes);
    rawVarint(values.size() * 4);
    for (float v : values)
        rawFixed(std::bit_cast<std::uint32_t>(v), 4);
}

void ProtoWriter::packedInt64s(int field, std::span<const std::int64_t> values) {
    ProtoWriter payload;
    for (std::int64_t v : values)
        payload.rawVarint(std::uint64_t(v));
    bytes(field, payload.data());
}

double ProtoField::asDouble() const {
    return std::bit_cast<double>(bits);
}

float ProtoField::asFloat() const {
    return std::bit_cast<float>(std::uint32_t(bits));
}

bool ProtoReader::fail(std::string message) {
    m_error = std::move(message);
    m_rest = {};
    return false;
}

bool ProtoReader::readVarint(std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_rest.empty())
            return fail("a varint runs past the end of the message");
        const auto byte = static_cast<unsigned char>(m_rest.front());
        m_rest.remove_prefix(1);
        value |= std::uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return fail("a varint is longer than 10 bytes");
}

bool ProtoReader::next(ProtoField& field) {
    if (m_rest.empty())
        return false;
    std::uint64_t key = 0;
    if (!readVarint(key))
        return false;
    field = ProtoField{};
    field.number = int(key >> 3);
    if (field.number == 0 || (key >> 3) > 0x1fffffff)
        return fail("invalid field number " + std::to_string(key >> 3));
    const int type = int(key & 7);
    switch (type) {
    case 0:
        field.type = WireType::Varint;
        return readVarint(field.bits);
    case 1:
    case 5: {
        const std::size_t n = type == 1 ? 8 : 4;
        if (m_rest.size() < n)
            return fail("field " + std::to_string(field.number) + " runs past the end");
        field.type = type == 1 ? WireType::Fixed64 : WireType::Fixed32;
        for (std::size_t i = 0; i < n; ++i)
            field.bits |= std::uint64_t(static_cast<unsigned char>(m_rest[i])) << (8 * i);
        m_rest.remove_prefix(n);
        return true;
    }
    case 2: {
        std::uint64_t length = 0;
        if (!readVarint(length))
            return false;
        if (length > m_rest.size())
            return fail("field " + std::to_string(field.number) + " claims " +
                        std::to_string(length) + " bytes, " + std::to_string(m_rest.size()) +
                        " are left");
        field.type = WireType::Bytes;
        field.bytes = m_rest.substr(0, std::size_t(length));
        m_rest.remove_prefix(std::size_t(length));
        return true;
    }
    default:
        return fail("field " + std::to_string(field.number) + " has unsupported wire type " +
                    std::to_string(type));
    }
}

Result<std::vector<double>> unpackDoubles(std::string_view bytes) {
    if (bytes.size() % 8 != 0)
        return Status::error("a packed double field of " + std::to_string(bytes.size()) +
                             " bytes (not a multiple of 8)");
    std::vector<double> values(bytes.size() / 8);
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint64_t bits = 0;
        for (std::size_t b = 0; b < 8; ++b)
            bits |= std::uint64_t(static_cast<unsigned char>(bytes[8 * i + b])) << (8 * b);
        values[i] = std::bit_cast<double>(bits);
    }
    return values;
}

} // namespace nc::engine
