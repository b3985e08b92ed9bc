#pragma once
// The value of one layer parameter. Which alternative is valid for which parameter is decided
// by its ParamSpec (paramspec.h); std::monostate is "none" for parameters that allow it.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nc::graph {

using IntList = std::vector<std::int64_t>;
using ParamValue = std::variant<std::monostate, bool, std::int64_t, double, std::string, IntList>;

// A node's parameters in schema order. Small (at most about ten entries), so a flat vector
// with linear lookup beats a map and keeps the order stable for saving.
class ParamMap {
public:
    const ParamValue* find(const std::string& name) const;
    void set(const std::string& name, ParamValue value);
    const std::vector<std::pair<std::string, ParamValue>>& entries() const { return m_entries; }

    friend bool operator==(const ParamMap&, const ParamMap&) = default;

private:
    std::vector<std::pair<std::string, ParamValue>> m_entries;
};

// Short human form: 32, 0.5, "relu", 5x5, none.
std::string formatParamValue(const ParamValue& value);

// The name of the alternative held, for messages: "an integer", "a list of integers", ...
std::string describeParamValueType(const ParamValue& value);

} // namespace nc::graph
