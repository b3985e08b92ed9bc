#include "tfrecord.h"

#include "crc32c.h"

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

void appendLittleEndian(std::string& out, std::uint64_t value, int byteCount) {
    for (int i = 0; i < byteCount; ++i)
        out += char((value >> (8 * i)) & 0xff);
}

std::uint64_t readLittleEndian(std::string_view bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = bytes.size(); i-- > 0;)
        value = (value << 8) | static_cast<unsigned char>(bytes[i]);
    return value;
}

} // namespace

std::string frameRecord(std::string_view data) {
    std::string out;
    out.reserve(data.size() + 16);
    appendLittleEndian(out, data.size(), 8);
    appendLittleEndian(out, maskedCrc32c(out), 4);
    out += data;
    appendLittleEndian(out, maskedCrc32c(data), 4);
    return out;
}

Result<std::vector<std::string>> splitRecords(std::string_view bytes, std::string_view source) {
    std::vector<std::string> records;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        const std::string where = std::string(source) + ": record " +
                                  std::to_string(records.size()) + " at byte " +
                                  std::to_string(offset);
        const std::string_view rest = bytes.substr(offset);
        if (rest.size() < 12)
            return Status::error(where + ": the header is cut short");
        const std::uint64_t length = readLittleEndian(rest.substr(0, 8));
        if (maskedCrc32c(rest.substr(0, 8)) != readLittleEndian(rest.substr(8, 4)))
            return Status::error(where + ": the length's CRC does not match");
        if (rest.size() < 16 || length > rest.size() - 16)
            return Status::error(where + ": the data is cut short");
        const std::string_view data = rest.substr(12, std::size_t(length));
        if (maskedCrc32c(data) != readLittleEndian(rest.substr(12 + std::size_t(length), 4)))
            return Status::error(where + ": the data's CRC does not match");
        records.emplace_back(data);
        offset += 16 + std::size_t(length);
    }
    return records;
}

} // namespace nc::engine
