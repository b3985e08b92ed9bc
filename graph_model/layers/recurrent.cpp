#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

namespace {

// Gates per cell, as in PyTorch: weight_ih is [gates * units, features].
template <int Gates> void recurrentShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const Shape& in = context.input(0);
    if (in.size() != 2) {
        std::string hint = in.size() == 3 ? " (add a Reshape to " + std::to_string(in[1]) + "x" +
                                                std::to_string(in[0] * in[2]) + ")"
                                          : "";
        outcome.error("needs a sequence TxF (time steps x features), got " + formatShape(in) + hint,
                      0);
        return;
    }
    std::int64_t units = context.integer("units");
    outcome.outputs[0] = context.flag("return_sequences") ? Shape{in[0], units} : Shape{units};
    std::int64_t rows = Gates * units;
    outcome.params.push_back({"weight_ih", {rows, in[1]}});
    outcome.params.push_back({"weight_hh", {rows, units}});
    outcome.params.push_back({"bias_ih", {rows}});
    outcome.params.push_back({"bias_hh", {rows}});
}

LayerSpec makeRecurrentSpec(std::string type, std::string help, ShapeRule rule) {
    LayerSpec spec;
    spec.type = std::move(type);
    spec.category = "Recurrent";
    spec.help = std::move(help);
    spec.params = {
        intParam("units", 128, 1, kMaxUnits, "Size of the hidden state."),
        boolParam("return_sequences", false,
                  "Output every time step (TxUnits) instead of the last one."),
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"units"};
    spec.shapeRule = rule;
    return spec;
}

} // namespace

LayerSpec makeSimpleRNNSpec() {
    return makeRecurrentSpec("SimpleRNN", "Elman recurrent layer with tanh.", recurrentShapes<1>);
}

LayerSpec makeLSTMSpec() {
    return makeRecurrentSpec("LSTM", "Long short-term memory layer.", recurrentShapes<4>);
}

LayerSpec makeGRUSpec() {
    return makeRecurrentSpec("GRU", "Gated recurrent unit layer.", recurrentShapes<3>);
}

} // namespace nc::graph::layers
