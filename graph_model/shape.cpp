#include "shape.h"

namespace nc::graph {

std::string formatShape(const Shape& shape) {
    if (shape.empty())
        return "scalar";
    std::string text;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            text += 'x';
        text += std::to_string(shape[i]);
    }
    return text;
}

std::string formatShape(const std::optional<Shape>& shape) {
    return shape ? formatShape(*shape) : std::string("?");
}

std::optional<std::int64_t> elementCount(const Shape& shape) {
    std::int64_t count = 1;
    for (std::int64_t dim : shape) {
        if (dim < 1 || dim > kMaxElements)
            return std::nullopt;
        count *= dim;
        if (count > kMaxElements)
            return std::nullopt;
    }
    return count;
}

std::string formatCount(std::int64_t count) {
    std::string digits = std::to_string(count < 0 ? -count : count);
    std::string text;
    int n = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++n) {
        if (n > 0 && n % 3 == 0)
            text.insert(text.begin(), ',');
        text.insert(text.begin(), *it);
    }
    return count < 0 ? "-" + text : text;
}

} // namespace nc::graph
