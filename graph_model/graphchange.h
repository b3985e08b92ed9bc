#pragma once
// What an edit changed, as sent to graph listeners. `what` is a bitmask of ChangeFlag.

#include "ids.h"

#include <string>

namespace nc::graph {

enum ChangeFlag : unsigned {
    NodeAdded = 1u << 0,
    NodeRemoved = 1u << 1,
    EdgeAdded = 1u << 2,
    EdgeRemoved = 1u << 3,
    ParamChanged = 1u << 4,
    NodeRenamed = 1u << 5,
    NodeMoved = 1u << 6,
    GraphReset = 1u << 7,      // everything may have changed (a new document was loaded)
    SettingsChanged = 1u << 8, // training settings
};
using ChangeMask = unsigned;

struct GraphChange {
    ChangeMask what = 0;
    NodeId node = kNoNode; // the node concerned (for edges: the consuming node)
    Edge edge{};           // EdgeAdded, EdgeRemoved
    std::string param;     // ParamChanged
};

inline GraphChange makeChange(ChangeMask what, NodeId node = kNoNode, Edge edge = {},
                              std::string param = {}) {
    return GraphChange{what, node, edge, std::move(param)};
}

} // namespace nc::graph
