#include "optimizer.h"

#include <cmath>
#include <limits>

namespace nc::engine {

Result<OptimizerRule::Kind> optimizerKind(const std::string& name) {
    if (name == "sgd")
        return OptimizerRule::Kind::Sgd;
    if (name == "momentum")
        return OptimizerRule::Kind::Momentum;
    if (name == "nesterov")
        return OptimizerRule::Kind::Nesterov;
    if (name == "adam")
        return OptimizerRule::Kind::Adam;
    return Status::error("unknown optimizer \"" + name + "\" (sgd, momentum, nesterov or adam)");
}

Result<Optimizer> Optimizer::create(const OptimizerConfig& config, const ParameterStore& params) {
    if (auto kind = optimizerKind(config.kind); !kind)
        return kind.status();
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

OptimizerRule Optimizer::nextRule(float lr) const {
    const std::int64_t next =
        m_steps < std::numeric_limits<std::int64_t>::max() ? m_steps + 1 : m_steps;
    OptimizerRule rule;
    rule.kind = optimizerKind(m_config.kind).value(); // checked by create()
    rule.lr = lr;
    rule.momentum = float(m_config.momentum);
    rule.weightDecay = float(m_config.weightDecay);
    rule.clipNorm = float(m_config.clipGradNorm);
    rule.bias1 = 1.0 - std::pow(0.9, double(next));
    rule.bias2 = 1.0 - std::pow(0.999, double(next));
    return rule;
}

void Optimizer::countStep() {
    if (m_steps < std::numeric_limits<std::int64_t>::max()) // a resumed count can be anything
        ++m_steps;
}

Status Optimizer::step(ParameterStore& params, float lr, Backend& backend) {
    if (Status s = update(params, nextRule(lr), backend); !s)
        return s;
    countStep();
    return Status::ok();
}

Status Optimizer::update(ParameterStore& params, const OptimizerRule& rule, Backend& backend) {
    m_slots.clear();
    for (std::size_t i = 0; i < params.size(); ++i) {
        Parameter& p = params.at(int(i));
        if (!p.trainable)
            continue;
        for (Tensor* state : {&m_first[i], &m_second[i]})
            if (Status s = moveTo(backend, *state); !s)
                return s;
        m_slots.push_back({&p.value, &p.grad, m_first[i].size() > 0 ? &m_first[i] : nullptr,
                           m_second[i].size() > 0 ? &m_second[i] : nullptr});
    }
    return backend.optimizerStep(rule, m_slots);
}

std::vector<Tensor*> Optimizer::state() {
    std::vector<Tensor*> tensors;
    for (std::size_t i = 0; i < m_names.size(); ++i)
        for (Tensor* t : {&m_first[i], &m_second[i]})
            if (t->size() > 0)
                tensors.push_back(t);
    return tensors;
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
