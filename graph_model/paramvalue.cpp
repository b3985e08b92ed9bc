#include "paramvalue.h"

#include <cstdio>

namespace nc::graph {

const ParamValue* ParamMap::find(const std::string& name) const {
    for (const auto& [key, value] : m_entries)
        if (key == name)
            return &value;
    return nullptr;
}

void ParamMap::set(const std::string& name, ParamValue value) {
    for (auto& [key, existing] : m_entries) {
        if (key == name) {
            existing = std::move(value);
            return;
        }
    }
    m_entries.emplace_back(name, std::move(value));
}

static std::string formatDouble(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

std::string formatParamValue(const ParamValue& value) {
    struct Visitor {
        std::string operator()(std::monostate) const { return "none"; }
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const { return formatDouble(v); }
        std::string operator()(const std::string& v) const { return v; }
        std::string operator()(const IntList& v) const {
            std::string text;
            for (std::size_t i = 0; i < v.size(); ++i)
                text += (i ? "x" : "") + std::to_string(v[i]);
            return text;
        }
    };
    return std::visit(Visitor{}, value);
}

std::string describeParamValueType(const ParamValue& value) {
    switch (value.index()) {
    case 0:
        return "none";
    case 1:
        return "a boolean";
    case 2:
        return "an integer";
    case 3:
        return "a number";
    case 4:
        return "a string";
    default:
        return "a list of integers";
    }
}

} // namespace nc::graph
