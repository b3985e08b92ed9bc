#pragma once
// Loading a graph for a subcommand, with the exit code the failure deserves: a missing or
// unreadable file or a folder is an I/O error (2), a file that is not a valid graph (or is
// too large to be one) is invalid input (1).

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
// kExitUsage for an I/O error (Status::isIoError), else kExitInvalid; prints the message.
int reportFailure(const std::string& command, const nc::core::Status& status);

} // namespace nc::cli
