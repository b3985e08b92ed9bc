#include "optimizer.h"

#include <cmath>
#include <limits>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

Result<Optimizer> Optimizer::create(const OptimizerConfig& config, const ParameterStore& params) {
    if (config.kind != "sgd" && config.kind != "momentum" && config.kind != "nesterov" &&
        config.kind != "adam")
        return Status::error("unknown optimizer \"" + config.kind +
                             "\" (sgd, momentum, nesterov or adam)");
    Optimizer o;
    o.m_config = config;
    for (const Parameter& p : params.all()) {
        o.m_names.push_back(p.name);
        bool used = p.trainable && config.kind != "sgd";
        o.m_first.emplace_back(used ? p.value.dims() : Dims{0});
        o.m_second.emplace_back(p.trainable && config.kind == "adam" ? p.value.dims() : Dims{0});
    }
    return o;
}

void Optimizer::step(ParameterStore& params, float lr) {
    if (m_steps < std::numeric_limits<std::int64_t>::max()) // a resumed count can be anything
        ++m_steps;
    const float mu = float(m_config.momentum), wd = float(m_config.weightDecay);
    const std::string& kind = m_config.kind;
    const double bias1 = 1.0 - std::pow(0.9, double(m_steps));
    const double bias2 = 1.0 - std::pow(0.999, double(m_steps));
    for (std::size_t i = 0; i < params.size(); ++i) {
        Parameter& p = params.at(int(i));
        if (!p.trainable)
            continue;
        float* w = p.value.data();
        const float* g = p.grad.data();
        float* m = m_first[i].data();
        float* v = m_second[i].data();
        const std::int64_t n = p.value.size();
#pragma omp parallel for simd schedule(static)
        for (std::int64_t j = 0; j < n; ++j) {
            const float grad = g[j] + wd * w[j];
            if (kind == "sgd") {
                w[j] -= lr * grad;
            } else if (kind == "adam") {
                m[j] = 0.9f * m[j] + 0.1f * grad;
                v[j] = 0.999f * v[j] + 0.001f * grad * grad;
                const float mHat = float(m[j] / bias1), vHat = float(v[j] / bias2);
                w[j] -= lr * mHat / (std::sqrt(vHat) + 1e-8f);
            } else {
                m[j] = mu * m[j] + grad;
                w[j] -= lr * (kind == "nesterov" ? grad + mu * m[j] : m[j]);
            }
        }
    }
}

std::vector<std::pair<std::string, Tensor*>> Optimizer::stateTensors() {
    std::vector<std::pair<std::string, Tensor*>> state;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        if (m_first[i].size() > 0)
            state.emplace_back("optimizer." + m_names[i] +
                                   (m_config.kind == "adam" ? ".m" : ".momentum"),
                               &m_first[i]);
        if (m_second[i].size() > 0)
            state.emplace_back("optimizer." + m_names[i] + ".v", &m_second[i]);
    }
    return state;
}

} // namespace nc::engine
