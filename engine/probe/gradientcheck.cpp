#include "gradientcheck.h"

#include "../cpu/cpubackend.h"
#include "../executor.h"
#include "../random.h"

#include <algorithm>
#include <cmath>

namespace nc::engine {

double GradientCheck::worstError() const {
    double worst = 0;
    for (const TensorCheck& t : tensors)
        worst = std::max(worst, t.worstError);
    return worst;
}

Result<GradientCheck> checkGradients(Model& model, const Tensor& x, const Tensor& y, Mode mode,
                                     const std::vector<std::string>& only,
                                     GradientCheckOptions options) {
    CpuBackend backend;
    if (Status s = moveParametersTo(backend, model.params()); !s)
        return s;
    Executor run(model, backend);
    run.setInputGradientWanted(options.input);
    const RunContext context{42, 7, true, true};
    model.params().zeroGrads();
    if (Status s = run.forward(x, y, mode, context); !s)
        return s;
    if (Status s = run.backward(); !s)
        return s;
    std::vector<Tensor> analytic;
    for (const Parameter& p : model.params().all())
        analytic.push_back(p.grad);
    const Tensor inputGradient = options.input ? run.inputGradient() : Tensor();

    Tensor probe = x;
    auto lossAt = [&](float* slot, float value) -> Result<float> {
        const float saved = *slot;
        *slot = value;
        const Status s = run.forward(probe, y, mode, context);
        *slot = saved;
        if (!s)
            return s;
        return run.totalLoss();
    };
    SplitMix pick(options.seed);
    auto sample = [&](std::int64_t size) {
        std::vector<std::int64_t> indices;
        const int n = options.samplesPerTensor;
        for (int i = 0; i < n && i < size; ++i)
            indices.push_back(size <= n ? i : std::int64_t(pick.below(std::uint64_t(size))));
        return indices;
    };
    auto check = [&](const std::string& name, float* values, const Tensor& grad,
                     std::int64_t size) -> Result<TensorCheck> {
        TensorCheck t;
        t.name = name;
        for (std::int64_t i : sample(size)) {
            const float original = values[i];
            Result<float> plus = lossAt(values + i, original + options.epsilon);
            Result<float> minus = lossAt(values + i, original - options.epsilon);
            if (!plus || !minus)
                return plus ? minus.status() : plus.status();
            const double numeric =
                (double(plus.value()) - double(minus.value())) / (2.0 * options.epsilon);
            const double g = grad[i];
            const double error =
                std::abs(numeric - g) / std::max(1e-2, std::abs(numeric) + std::abs(g));
            ++t.checked;
            t.agreeing += error < 1e-2;
            if (error >= t.worstError) {
                t.worstError = error;
                t.worstAt = name + "[" + std::to_string(i) + "]: analytic " + std::to_string(g) +
                            ", numeric " + std::to_string(numeric);
            }
        }
        return t;
    };
    GradientCheck report;
    for (std::size_t p = 0; p < model.params().size(); ++p) {
        Parameter& param = model.params().at(int(p));
        if (!param.trainable ||
            (!only.empty() && std::find(only.begin(), only.end(), param.name) == only.end()))
            continue;
        auto t = check(param.name, param.value.data(), analytic[p], param.value.size());
        if (!t)
            return t.status();
        report.tensors.push_back(std::move(t).value());
    }
    if (options.input) {
        auto t = check("input", probe.data(), inputGradient, probe.size());
        if (!t)
            return t.status();
        report.tensors.push_back(std::move(t).value());
    }
    return report;
}

} // namespace nc::engine
