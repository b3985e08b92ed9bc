#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

namespace {

// An initial state port takes each direction's state per sample: `units` values, or for a
// bidirectional layer 2 x units (forward direction first, PyTorch's h0 with the batch moved
// first). A flat 2*units vector is accepted too, so a Dense can feed it directly.
void checkInitialState(const ShapeContext& context, int port, std::int64_t units,
                       bool bidirectional, ShapeOutcome& outcome) {
    if (!context.connected(port))
        return;
    const Shape& state = context.input(port);
    const std::int64_t directions = bidirectional ? 2 : 1;
    const bool flat = state == Shape{directions * units};
    const bool perDirection = state == Shape{directions, units};
    if (flat || perDirection)
        return;
    const std::string name = port == 1 ? "h0" : "c0";
    outcome.error("the initial state " + name + " needs " +
                      (bidirectional ? "2x" + std::to_string(units) + " (one row per direction)"
                                     : std::to_string(units)) +
                      " values per sample, got " + formatShape(state),
                  port);
}

// Gates per cell, as in PyTorch: weight_ih_l0 is [gates * units, features]. The names are those
// of a one-layer nn.RNN/nn.LSTM/nn.GRU's state dict, "_reverse" for the backward direction.
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
    const std::int64_t units = context.integer("units");
    const bool bidirectional = context.flag("bidirectional");
    for (int port = 1; port < int(context.inputs().size()); ++port)
        checkInitialState(context, port, units, bidirectional, outcome);
    const std::int64_t features = bidirectional ? 2 * units : units;
    outcome.outputs[0] =
        context.flag("return_sequences") ? Shape{in[0], features} : Shape{features};
    const std::int64_t rows = Gates * units;
    for (const char* suffix : {"_l0", "_l0_reverse"}) {
        outcome.params.push_back({std::string("weight_ih") + suffix, {rows, in[1]}});
        outcome.params.push_back({std::string("weight_hh") + suffix, {rows, units}});
        outcome.params.push_back({std::string("bias_ih") + suffix, {rows}});
        outcome.params.push_back({std::string("bias_hh") + suffix, {rows}});
        if (!bidirectional)
            break;
    }
}

LayerSpec makeRecurrentSpec(std::string type, std::string help, ShapeRule rule,
                            bool hasCell = false) {
    LayerSpec spec;
    spec.type = std::move(type);
    spec.category = "Recurrent";
    spec.help = std::move(help);
    spec.params = {
        intParam("units", 128, 1, kMaxUnits, "Size of the hidden state."),
        boolParam("return_sequences", false,
                  "Output every time step (TxUnits) instead of the final state."),
        boolParam("bidirectional", false,
                  "Also run the sequence backwards and concatenate both directions' states "
                  "(2 x units features). Without return_sequences the output is each "
                  "direction's final state, like PyTorch's h_n."),
    };
    spec.inputs = {tensorPort("in", "The sequence, TxF (time steps x features)."),
                   optionalPort("h0", "Optional initial hidden state, units values per sample "
                                      "(2 x units when bidirectional); zero when unconnected.")};
    if (hasCell)
        spec.inputs.push_back(optionalPort(
            "c0", "Optional initial cell state, shaped like h0; zero when unconnected."));
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"units", "return_sequences", "bidirectional"};
    spec.shapeRule = rule;
    return spec;
}

} // namespace

LayerSpec makeSimpleRNNSpec() {
    return makeRecurrentSpec("SimpleRNN", "Elman recurrent layer with tanh.", recurrentShapes<1>);
}

LayerSpec makeLSTMSpec() {
    return makeRecurrentSpec("LSTM", "Long short-term memory layer.", recurrentShapes<4>, true);
}

LayerSpec makeGRUSpec() {
    return makeRecurrentSpec("GRU", "Gated recurrent unit layer.", recurrentShapes<3>);
}

} // namespace nc::graph::layers
