#pragma once
// The graph file format (DESIGN.md section 4), version 1:
//
//   {
//     "format": "netcanvas-graph",
//     "version": 1,
//     "next_id": 4,
//     "nodes": [
//       {"id": 1, "type": "Input", "name": "input", "position": [0.0, 0.0], "params": {...}},
//       ...
//     ],
//     "edges": [{"from": [1, "x"], "to": [2, "in"]}, ...],
//     "training": {...}                                   (optional)
//   }
//
// Writing is deterministic (save -> load -> save gives identical bytes). Reading never throws
// and never returns a half-built graph: on any problem it returns an error that names the
// file, the line and column (syntax) or the JSON path (content), and what was expected.

#include "graph.h"
#include "core/status.h"

#include <string>
#include <string_view>

namespace nc::graph {

using nc::core::Result;
using nc::core::Status;

inline constexpr int kGraphFormatVersion = 1;
inline constexpr std::size_t kMaxGraphFileBytes = std::size_t(64) << 20;

std::string graphToJson(const Graph& graph);
// `source` names the text in messages (a file path, "clipboard", ...).
Result<Graph> graphFromJson(std::string_view text, const std::string& source);

Result<Graph> loadGraphFile(const std::string& path);
Status saveGraphFile(const Graph& graph, const std::string& path);

} // namespace nc::graph
