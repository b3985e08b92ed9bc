#pragma once
// Where a new card goes: at the wanted spot if that is free, else the nearest free spot below
// or to the right, so new, pasted and duplicated cards never land on top of others.

#include "graph_model/graph.h"

#include <vector>

namespace nc::ui {

// A free top-left for a card near `wanted`, avoiding every card of `graph` except `ignore`.
nc::graph::Position freePosition(const nc::graph::Graph& graph, nc::graph::Position wanted,
                                 const std::vector<nc::graph::NodeId>& ignore = {});

// One offset that moves a whole group of cards (a paste) clear of the others, keeping its shape.
nc::graph::Position freeOffset(const nc::graph::Graph& graph,
                               const std::vector<nc::graph::Position>& group,
                               nc::graph::Position wanted);

} // namespace nc::ui
