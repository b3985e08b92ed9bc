#pragma once
// TFRecord framing, the container of TensorBoard event files. Each record is
//   uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes |
//   the data                      | uint32 masked CRC-32C of the data
// (masks: see crc32c.h). Records are appended, so a file is a plain concatenation.
//
//   file += frameRecord(event.data());
//   Result<std::vector<std::string>> records = splitRecords(file, "events.out.tfevents.1.host");

#include "core/status.h"

#include <string>
#include <string_view>
#include <vector>

namespace nc::engine {

std::string frameRecord(std::string_view data);

// The records of a file, with both CRCs of each checked; a damaged or truncated record is an
// error naming `source`, the record's index and its byte offset.
nc::core::Result<std::vector<std::string>> splitRecords(std::string_view bytes,
                                                        std::string_view source);

} // namespace nc::engine
