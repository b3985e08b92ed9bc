#pragma once
// One layer node as the model stores it: everything that is saved, undone and copied.

#include "ids.h"
#include "paramvalue.h"

#include <string>

namespace nc::graph {

struct Position {
    double x = 0;
    double y = 0;
    friend bool operator==(const Position&, const Position&) = default;
};

struct Node {
    NodeId id = kNoNode;
    std::string type; // a LayerSpec type string, e.g. "Conv2D"
    std::string name; // unique within the graph
    Position position;
    ParamMap params; // every parameter of the spec, in schema order

    friend bool operator==(const Node&, const Node&) = default;
};

} // namespace nc::graph
