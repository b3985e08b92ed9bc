#include "numberparse.h"

#include <charconv>
#include <cmath>
#include <string>

namespace nc::core {

namespace {

template <typename T> Result<T> parseWhole(std::string_view text, std::string_view what,
                                           const char* kind) {
    T value{};
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (!text.empty() && *begin == '+')
        ++begin; // from_chars refuses a leading '+', people write it
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    const std::string shown = text.size() > 40 ? std::string(text.substr(0, 40)) + "..."
                                                : std::string(text);
    if (ec == std::errc::result_out_of_range)
        return Status::error(std::string(what) + ": " + shown + " is out of range");
    if (ec != std::errc() || ptr != end || text.empty())
        return Status::error(std::string(what) + ": \"" + shown + "\" is not " + kind);
    return value;
}

} // namespace

Result<std::int64_t> parseInt64(std::string_view text, std::string_view what, std::int64_t min,
                                std::int64_t max) {
    Result<std::int64_t> value = parseWhole<std::int64_t>(text, what, "a whole number");
    if (value && (value.value() < min || value.value() > max))
        return Status::error(std::string(what) + ": " + std::to_string(value.value()) +
                             " is outside " + std::to_string(min) + ".." + std::to_string(max));
    return value;
}

Result<std::uint64_t> parseUint64(std::string_view text, std::string_view what) {
    if (!text.empty() && text.front() == '-')
        return Status::error(std::string(what) + ": \"" + std::string(text.substr(0, 40)) +
                             "\" is negative");
    return parseWhole<std::uint64_t>(text, what, "a whole number");
}

Result<double> parseDouble(std::string_view text, std::string_view what) {
    Result<double> value = parseWhole<double>(text, what, "a number");
    if (value && !std::isfinite(value.value()))
        return Status::error(std::string(what) + ": " + std::string(text) + " is not finite");
    return value;
}

} // namespace nc::core
