#include "layerregistry.h"

#include "layers/layers.h"

#include <algorithm>
#include <cassert>

namespace nc::graph {

const LayerRegistry& LayerRegistry::instance() {
    static const LayerRegistry registry;
    return registry;
}

LayerRegistry::LayerRegistry() {
    using namespace layers;
    // The one list of layer types, in palette order.
    m_specs = {
        makeInputSpec(),
        makeConv2DSpec(),
        makeDeconv2DSpec(),
        makeMaxPool2DSpec(),
        makeAvgPool2DSpec(),
        makeGlobalAvgPool2DSpec(),
        makeUpscale2DSpec(),
        makeDenseSpec(),
        makeActivationSpec(),
        makeDropoutSpec(),
        makeBatchNormSpec(),
        makeFlattenSpec(),
        makeReshapeSpec(),
        makeConcatSpec(),
        makeAddSpec(),
        makeSimpleRNNSpec(),
        makeLSTMSpec(),
        makeGRUSpec(),
        makeEmbeddingSpec(),
        makeSoftmaxCrossEntropySpec(),
        makeMSESpec(),
        makeBinaryCrossEntropySpec(),
    };
    for (std::size_t i = 0; i < m_specs.size(); ++i) {
        [[maybe_unused]] bool inserted = m_index.emplace(m_specs[i].type, i).second;
        assert(inserted && "layer type registered twice");
    }
}

const LayerSpec* LayerRegistry::find(std::string_view type) const {
    auto it = m_index.find(std::string(type));
    return it == m_index.end() ? nullptr : &m_specs[it->second];
}

std::vector<std::string> LayerRegistry::categories() const {
    std::vector<std::string> result;
    for (const LayerSpec& spec : m_specs)
        if (std::find(result.begin(), result.end(), spec.category) == result.end())
            result.push_back(spec.category);
    return result;
}

} // namespace nc::graph
