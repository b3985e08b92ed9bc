#pragma once
// The parameters of a compiled model: values, gradients and how to initialise them. Names
// follow a PyTorch state_dict ("conv1.weight"); a tied Deconv2D shares its Conv2D's entry, so
// both accumulate into one gradient.

#include "tensor.h"

#include "graph_model/ids.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nc::engine {

struct Parameter {
    std::string name;
    Tensor value;
    Tensor grad;           // empty for buffers
    bool trainable = true; // false: running statistics
    // weight_init choice, "zeros", "ones", "uniform_inverse_sqrt_fan_in" or "standard_normal"
    std::string init;
    std::int64_t fanIn = 1;
    std::int64_t fanOut = 1;
};

class ParameterStore {
public:
    int add(Parameter parameter); // returns its index
    std::optional<int> find(const std::string& name) const;
    Parameter& at(int index) { return m_params[std::size_t(index)]; }
    const Parameter& at(int index) const { return m_params[std::size_t(index)]; }
    std::vector<Parameter>& all() { return m_params; }
    const std::vector<Parameter>& all() const { return m_params; }
    std::size_t size() const { return m_params.size(); }

    void zeroGrads();
    std::int64_t trainableCount() const;

private:
    std::vector<Parameter> m_params;
    std::unordered_map<std::string, int> m_index;
};

// Fills every parameter from its init rule; deterministic in (seed, parameter name).
void initializeParameters(ParameterStore& store, std::uint64_t seed);

} // namespace nc::engine
