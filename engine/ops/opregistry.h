#pragma once
// The one explicit list of what the engine does with each layer type of the graph model: the
// op it becomes and its lowering, and for every backend and exporter either support or a
// stated reason why not. A completeness test walks the layer registry against this list, so
// a new layer type cannot slip through as something else.
//
//   const OpEntry* entry = findOpEntry("LSTM");
//   if (!entry->runnable()) refuse(entry->notRunnable);

#include "lowering.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nc::engine {

struct OpEntry {
    std::string_view layerType;
    OpKind kind = OpKind::Input;
    LowerFunction lower = nullptr;  // null: the engine cannot run this layer yet
    std::string_view notRunnable;   // why not, when lower is null
    std::string_view cudaMissing;   // why the CUDA backend has no kernel; empty when it has one
    std::string_view exportMissing; // why no exporter handles it; empty when one does

    bool runnable() const { return lower != nullptr; }
};

std::span<const OpEntry> opEntries();
const OpEntry* findOpEntry(std::string_view layerType);

// One line per node the engine cannot run, naming the node and the reason, e.g.
// `LSTM "lstm_1": the engine cannot run recurrent layers yet (...)`. Empty when all can run.
std::vector<std::string> unrunnableNodes(const nc::graph::Graph& graph);

} // namespace nc::engine
