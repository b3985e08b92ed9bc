#pragma once
// Checked number parsing for text from files and command lines: the whole text must be one
// number in range, or the result says what was wrong, naming `what` ("--epochs", "the
// checkpoint's epoch"). No exceptions, no locale, no silent truncation (std::from_chars).
//
//   Result<std::int64_t> epochs = parseInt64(text, "--epochs", 1, 1000000);

#include "status.h"

#include <cstdint>
#include <limits>
#include <string_view>

namespace nc::core {

Result<std::int64_t> parseInt64(std::string_view text, std::string_view what,
                                std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                std::int64_t max = std::numeric_limits<std::int64_t>::max());
Result<std::uint64_t> parseUint64(std::string_view text, std::string_view what);
// Finite doubles only ("nan" and "inf" are refused).
Result<double> parseDouble(std::string_view text, std::string_view what);

} // namespace nc::core
