#pragma once
// Stable identifiers. Node ids are positive and never reused within a document; an edge is a
// plain value naming both of its ends, so it can be stored, compared and hashed freely.

#include <cstddef>
#include <cstdint>
#include <functional>

namespace nc::graph {

using NodeId = std::int64_t;
using PortIndex = int;

inline constexpr NodeId kNoNode = 0;

struct Edge {
    NodeId outNode = kNoNode;
    PortIndex outPort = 0;
    NodeId inNode = kNoNode;
    PortIndex inPort = 0;

    friend bool operator==(const Edge&, const Edge&) = default;
    friend auto operator<=>(const Edge&, const Edge&) = default;
};

struct EdgeHash {
    std::size_t operator()(const Edge& e) const noexcept {
        std::size_t h = std::hash<NodeId>{}(e.outNode);
        auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
        mix(std::hash<int>{}(e.outPort));
        mix(std::hash<NodeId>{}(e.inNode));
        mix(std::hash<int>{}(e.inPort));
        return h;
    }
};

} // namespace nc::graph
