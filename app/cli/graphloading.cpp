#include "graphloading.h"

#include "exitcodes.h"

#include "core/atomicwrite.h"
#include "graph_model/graphjson.h"

#include <iostream>

namespace nc::cli {

void printError(const std::string& command, const std::string& message) {
    std::cerr << "netcanvas-cli " << command << ": " << message << '\n';
}

LoadedGraph loadGraphForCommand(const std::string& command, const std::string& path) {
    auto bytes = nc::core::readWholeFile(path, nc::graph::kMaxGraphFileBytes);
    if (!bytes) {
        printError(command, bytes.message());
        return {std::nullopt, kExitUsage};
    }
    auto graph = nc::graph::graphFromJson(bytes.value(), path);
    if (!graph) {
        printError(command, graph.message());
        return {std::nullopt, kExitInvalid};
    }
    return {std::move(graph).value(), kExitOk};
}

} // namespace nc::cli
