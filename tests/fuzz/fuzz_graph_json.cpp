// Fuzzes the graph loader: any bytes must give a graph or an error, never a crash, and a graph
// that loads must save, load again and infer its shapes.

#include "graph_model/graphjson.h"
#include "graph_model/shapeinference.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto graph = nc::graph::graphFromJson(text, "fuzz");
    if (!graph.isOk())
        return 0;
    nc::graph::inferShapes(graph.value());
    std::string saved = nc::graph::graphToJson(graph.value());
    auto again = nc::graph::graphFromJson(saved, "resaved");
    if (!again.isOk() || nc::graph::graphToJson(again.value()) != saved)
        std::abort(); // a saved graph must load back to the same bytes
    return 0;
}
