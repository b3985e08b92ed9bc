#include "graphloading.h"

#include "exitcodes.h"

#include "core/atomicwrite.h"
#include "graph_model/graphjson.h"

#include <iostream>

namespace nc::cli {

void printError(const std::string& command, const std::string& message) {
    std::cerr << "netcanvas-cli " << command << ": " << message << '\n';
}

int reportFailure(const std::string& command, const nc::core::Status& status) {
    printError(command, status.message());
    return status.isIoError() ? kExitUsage : kExitInvalid;
}

LoadedGraph loadGraphForCommand(const std::string& command, const std::string& path) {
    auto bytes = nc::core::readWholeFile(path, nc::graph::kMaxGraphFileBytes);
    if (!bytes) // missing, unreadable or a folder (2); larger than any graph file (1)
        return {std::nullopt, reportFailure(command, bytes.status())};
    auto graph = nc::graph::graphFromJson(bytes.value(), path);
    if (!graph) {
        printError(command, graph.message());
        return {std::nullopt, kExitInvalid};
    }
    return {std::move(graph).value(), kExitOk};
}

} // namespace nc::cli
