#pragma once
// A per-sample tensor shape (the batch dimension is implicit), e.g. {32, 12, 12}.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nc::graph {

using Shape = std::vector<std::int64_t>;

// The largest per-sample element count shape inference accepts; anything above is reported
// as an error rather than overflowing later arithmetic.
inline constexpr std::int64_t kMaxElements = std::int64_t(1) << 31;

// "32x12x12"; "?" for an unknown shape.
std::string formatShape(const Shape& shape);
std::string formatShape(const std::optional<Shape>& shape);

// Product of the dimensions, or nullopt if it exceeds kMaxElements or a dimension is < 1.
std::optional<std::int64_t> elementCount(const Shape& shape);

// "1,276,810"
std::string formatCount(std::int64_t count);

} // namespace nc::graph
