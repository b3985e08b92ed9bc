#pragma once
// What the per-layer ONNX writers share: the graph being written, the model, the names of the
// model's values and parameters in it, and the notes for the user. Internal to engine/export.

#include "onnxgraph.h"

#include "engine/model.h"

#include <map>
#include <string>
#include <vector>

namespace nc::engine::onnxexport {

class Emitter {
public:
    Emitter(OnnxGraph& into, const Model& from) : graph(into), model(from) {}

    // The ONNX name of a model value (a node's name, ":port" after it for ports > 0).
    std::string valueName(int value) const;
    const Dims& dims(int value) const { return model.values()[std::size_t(value)].perSample; }
    // The initializer of parameter `i` of `step`, written the first time it is used (a tied
    // weight is written once and shared).
    std::string param(const PlanStep& step, std::size_t i);
    const Tensor& paramValue(const PlanStep& step, std::size_t i) const {
        return model.params().at(step.params[i]).value;
    }
    // A fused activation: the op writes preActivation(kind, out) (a fresh name, or `out`
    // itself when linear) and activate() adds the activation node after it.
    std::string preActivation(ActivationKind kind, const std::string& out);
    void activate(ActivationKind kind, float alpha, const std::string& pre, const std::string& out,
                  std::int64_t softmaxAxis);
    void note(const PlanStep& step, const std::string& text);

    OnnxGraph& graph;
    const Model& model;
    std::vector<std::string> notes;

private:
    std::map<int, std::string> m_params;
};

// One writer per layer family; each returns an error naming what cannot be exported.
// Conv2D, Deconv2D, the pools and Upscale2D
nc::core::Status emitSpatial(Emitter& e, const PlanStep& step);
nc::core::Status emitRecurrent(Emitter& e, const PlanStep& step); // SimpleRNN, LSTM, GRU

} // namespace nc::engine::onnxexport
