#pragma once
// The house style for JSON files: two-space indentation, keys in insertion order, and short
// objects and arrays of plain values on one line, so that graph files diff well in git.

#include <nlohmann/json.hpp>

#include <string>

namespace nc::graph {

using OrderedJson = nlohmann::ordered_json;

std::string formatJson(const OrderedJson& value);

} // namespace nc::graph
