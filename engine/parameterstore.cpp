#include "parameterstore.h"

#include "random.h"

#include <cmath>
#include <functional>

namespace nc::engine {

int ParameterStore::add(Parameter parameter) {
    int index = int(m_params.size());
    m_index.emplace(parameter.name, index);
    if (parameter.trainable)
        parameter.grad = Tensor(parameter.value.dims());
    m_params.push_back(std::move(parameter));
    return index;
}

std::optional<int> ParameterStore::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? std::nullopt : std::optional<int>(it->second);
}

void ParameterStore::zeroGrads() {
    for (Parameter& p : m_params)
        p.grad.zero();
}

std::int64_t ParameterStore::trainableCount() const {
    std::int64_t n = 0;
    for (const Parameter& p : m_params)
        if (p.trainable)
            n += p.value.size();
    return n;
}

void initializeParameters(ParameterStore& store, std::uint64_t seed) {
    for (Parameter& p : store.all()) {
        SplitMix random(hashKey(seed, std::hash<std::string>{}(p.name), 0));
        const double fanIn = double(p.fanIn), fanOut = double(p.fanOut);
        std::function<float()> draw;
        if (p.init == "glorot_uniform") {
            double limit = std::sqrt(6.0 / (fanIn + fanOut));
            draw = [&random, limit] { return float((2.0 * random.uniform() - 1.0) * limit); };
        } else if (p.init == "glorot_normal") {
            double stddev = std::sqrt(2.0 / (fanIn + fanOut));
            draw = [&random, stddev] { return float(random.normal() * stddev); };
        } else if (p.init == "he_uniform") {
            double limit = std::sqrt(6.0 / fanIn);
            draw = [&random, limit] { return float((2.0 * random.uniform() - 1.0) * limit); };
        } else if (p.init == "he_normal") {
            double stddev = std::sqrt(2.0 / fanIn);
            draw = [&random, stddev] { return float(random.normal() * stddev); };
        } else if (p.init == "uniform_inverse_sqrt_fan_in") { // PyTorch's recurrent layers
            double limit = 1.0 / std::sqrt(fanIn);
            draw = [&random, limit] { return float((2.0 * random.uniform() - 1.0) * limit); };
        } else if (p.init == "standard_normal") { // PyTorch's nn.Embedding
            draw = [&random] { return float(random.normal()); };
        } else if (p.init == "ones") {
            draw = [] { return 1.0f; };
        } else {
            draw = [] { return 0.0f; };
        }
        for (std::int64_t i = 0; i < p.value.size(); ++i)
            p.value[i] = draw();
    }
}

} // namespace nc::engine
