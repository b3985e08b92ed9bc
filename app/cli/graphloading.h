#pragma once
// Loading a graph for a subcommand, with the exit code the failure deserves: an unreadable
// file is an I/O error (2), a file that is not a valid graph is invalid input (1).

#include "graph_model/graph.h"

#include <optional>
#include <string>

namespace nc::cli {

struct LoadedGraph {
    std::optional<nc::graph::Graph> graph;
    int exitCode = 0;
};

// Prints the reason on stderr, prefixed with "netcanvas-cli COMMAND: ".
LoadedGraph loadGraphForCommand(const std::string& command, const std::string& path);

void printError(const std::string& command, const std::string& message);

} // namespace nc::cli
