#pragma once
// A problem found by shape inference, tied to the node (and input port) it concerns.

#include "ids.h"

#include <optional>
#include <string>

namespace nc::graph {

enum class Severity { Error, Warning };

struct Diagnostic {
    Severity severity = Severity::Error;
    NodeId node = kNoNode;           // kNoNode for graph-wide problems
    std::optional<PortIndex> inPort; // the input port concerned, if any
    std::string message;             // complete sentence, names the node: Conv2D "conv3": ...

    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

inline const char* severityName(Severity s) {
    return s == Severity::Error ? "error" : "warning";
}

} // namespace nc::graph
