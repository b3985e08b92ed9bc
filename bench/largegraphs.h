#pragma once
// Large graphs for bench_editor: a chain of Activation layers after one Input, either with
// every card at [0, 0] (as a script that writes no positions leaves them) or on a grid of 50
// columns, and what opening one in the editor's window costs: time, peak memory, an edit and
// Auto Layout. tst_largegraphs opens the same chains.

#include "graph_model/graph.h"

#include <string>

namespace nc::bench {

enum class Placement { Stacked, Grid };

nc::graph::Graph activationChain(int nodes, Placement placement);

struct LargeGraphFigures {
    double openMs = 0;       // File > Open: the file read, the scene and every dock filled
    double firstFrameMs = 0; // the events that follow, and the whole window painted
    double moveMs = 0;       // move a card (undo command) and repaint, median
    double paramMs = 0;      // change a parameter (undo command) and repaint, median
    double layoutMs = 0;     // Auto Layout, and the fitted view drawn
    double peakMiB = 0;      // peak resident memory from the load to the last edit
    std::size_t items = 0;
};

// Saves the graph to `path` first (not timed).
LargeGraphFigures measureLargeGraph(const nc::graph::Graph& graph, const std::string& path);

std::string describe(Placement placement);

} // namespace nc::bench
