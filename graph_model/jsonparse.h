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

#include <functional>
#include <string>
#include <string_view>

namespace nc::graph {

inline constexpr std::size_t kMaxJsonDepth = 128;

// Is handed each element of an array that is a value of the top-level object (a graph's
// "nodes" and "edges") as soon as it is read: the array's key, the element's index, the
// element, and the document read so far. Returning true takes the element: it is left out of
// the result, so that a large document is never held whole (loading a 100,000-node graph
// then touches a fraction of the memory).
using JsonElementSink = std::function<bool(const std::string& key, std::size_t index,
                                           OrderedJson& element, const OrderedJson& readSoFar)>;

nc::core::Result<OrderedJson> parseJson(std::string_view text, const std::string& source,
                                        const JsonElementSink& sink = {});

} // namespace nc::graph
