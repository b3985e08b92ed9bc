#include "reconstruction.h"

namespace nc::engine {

std::optional<EdgeRef> reconstructionEdge(const Model& model) {
    const int input = model.inputStep().outputs[0];
    for (const PlanStep& step : model.steps()) {
        if (step.kind != OpKind::MSE || step.inputs.size() != 2 || step.inputs[1] != input)
            continue;
        const Value& prediction = model.values()[std::size_t(step.inputs[0])];
        if (prediction.perSample != model.values()[std::size_t(input)].perSample)
            continue;
        return EdgeRef{prediction.node, prediction.port};
    }
    return std::nullopt;
}

} // namespace nc::engine
