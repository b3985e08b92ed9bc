#pragma once
// Parsing JSON that comes from outside (graph files, the clipboard, safetensors headers), with
// the limits nlohmann sets none of:
//   - nesting deeper than kMaxJsonDepth is refused: a deep value overflows the stack when it
//     is later copied, compared or printed, all of which recurse;
//   - an object with the same key twice is refused: nlohmann would silently keep the last.
// Errors name the source and either the line and column or the JSON path of the problem:
//
//   Result<OrderedJson> root = parseJson(text, "model.json");
//   // "model.json:3:14: syntax error while parsing value - unexpected '}'"
//   // "model.json: nodes[2].params: duplicate key \"units\""

#include "jsonstyle.h"

#include "core/status.h"

#include <string>
#include <string_view>

namespace nc::graph {

inline constexpr std::size_t kMaxJsonDepth = 128;

nc::core::Result<OrderedJson> parseJson(std::string_view text, const std::string& source);

} // namespace nc::graph
