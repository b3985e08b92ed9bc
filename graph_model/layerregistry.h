#pragma once
// Every layer type NetCanvas knows, built once from the explicit list in layerregistry.cpp.
//
//   const LayerSpec* conv = LayerRegistry::instance().find("Conv2D");
//   for (const LayerSpec& spec : LayerRegistry::instance().specs()) palette.add(spec);

#include "layerspec.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nc::graph {

class LayerRegistry {
public:
    static const LayerRegistry& instance();

    const LayerSpec* find(std::string_view type) const;
    const std::vector<LayerSpec>& specs() const { return m_specs; }
    // Palette categories in display order.
    std::vector<std::string> categories() const;

private:
    LayerRegistry();
    std::vector<LayerSpec> m_specs;
    std::unordered_map<std::string, std::size_t> m_index;
};

} // namespace nc::graph
