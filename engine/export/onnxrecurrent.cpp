// SimpleRNN, LSTM and GRU as ONNX's RNN, LSTM and GRU (time-major, layout 0). NetCanvas keeps
// PyTorch's tensors: [N, T, F] in, [N, T, D*H] or [N, D*H] out, gates LSTM i,f,g,o and GRU
// r,z,n with separate biases. ONNX wants gates LSTM i,o,f,c and GRU z,r,h, so the weights are
// written reordered (W [D, G*H, F], R [D, G*H, H], B [D, 2*G*H]), and transposes and reshapes
// move between the two layouts around the node.

#include "onnxemitter.h"

#include <array>

namespace nc::engine::onnxexport {

namespace {

using nc::core::Status;

// For each ONNX gate, the NetCanvas (PyTorch) gate it takes.
std::vector<std::int64_t> gateOrder(OpKind kind) {
    if (kind == OpKind::LSTM)
        return {0, 3, 1, 2}; // i, o, f, c <- i, f, g, o
    if (kind == OpKind::GRU)
        return {1, 0, 2}; // z, r, h <- r, z, n
    return {0};
}

// Stacks every direction's `which` parameter (0 weight_ih, 1 weight_hh) with its gates
// reordered: [D, G*H, columns].
std::vector<float> stackedWeights(const Emitter& e, const PlanStep& step, std::size_t which,
                                  std::int64_t directions, std::int64_t h) {
    const std::vector<std::int64_t> order = gateOrder(step.kind);
    std::vector<float> out;
    for (std::int64_t d = 0; d < directions; ++d) {
        const Tensor& w = e.paramValue(step, std::size_t(4 * d) + which);
        const std::int64_t block = h * w.dim(1);
        for (std::int64_t gate : order)
            out.insert(out.end(), w.data() + gate * block, w.data() + (gate + 1) * block);
    }
    return out;
}

// [D, 2*G*H]: each direction's input biases, then its hidden biases, gates reordered.
std::vector<float> stackedBiases(const Emitter& e, const PlanStep& step, std::int64_t directions,
                                 std::int64_t h) {
    const std::vector<std::int64_t> order = gateOrder(step.kind);
    std::vector<float> out;
    for (std::int64_t d = 0; d < directions; ++d)
        for (std::size_t which : {std::size_t(2), std::size_t(3)}) {
            const Tensor& b = e.paramValue(step, std::size_t(4 * d) + which);
            for (std::int64_t gate : order)
                out.insert(out.end(), b.data() + gate * h, b.data() + (gate + 1) * h);
        }
    return out;
}

// [N, D*H] (an initial state as NetCanvas takes it) -> [D, N, H].
std::string directionMajor(Emitter& e, const std::string& state, std::int64_t d, std::int64_t h) {
    const std::string split = e.graph.fresh(state + "/split");
    e.graph.node("Reshape", {state, e.graph.constantInts(split + "/shape", {-1, d, h})}, {split});
    const std::string out = e.graph.fresh(state + "/DNH");
    e.graph.node("Transpose", {split}, {out}, {{"perm", std::vector<std::int64_t>{1, 0, 2}}});
    return out;
}

} // namespace

Status emitRecurrent(Emitter& e, const PlanStep& step) {
    const std::string& name = step.name;
    const Dims& in = e.dims(step.inputs[0]);
    const std::int64_t t = in[0], f = in[1], h = step.attrs.units;
    const std::int64_t d = step.attrs.bidirectional ? 2 : 1;
    const std::int64_t g = std::int64_t(gateOrder(step.kind).size());
    const std::vector<float> w = stackedWeights(e, step, 0, d, h);
    const std::vector<float> r = stackedWeights(e, step, 1, d, h);
    const std::vector<float> b = stackedBiases(e, step, d, h);
    const std::string wName = e.graph.fresh(name + ".W"), rName = e.graph.fresh(name + ".R"),
                      bName = e.graph.fresh(name + ".B");
    e.graph.initializer(wName, {d, g * h, f}, w.data());
    e.graph.initializer(rName, {d, g * h, h}, r.data());
    e.graph.initializer(bName, {d, 2 * g * h}, b.data());

    const std::string x = e.graph.fresh(name + "/time_major");
    e.graph.node("Transpose", {e.valueName(step.inputs[0])}, {x},
                 {{"perm", std::vector<std::int64_t>{1, 0, 2}}});
    // X, W, R, B, sequence_lens (none), initial_h, initial_c: trailing empty ones dropped.
    std::vector<std::string> inputs{x, wName, rName, bName, "", "", ""};
    for (std::size_t port : {std::size_t(1), std::size_t(2)})
        if (port < step.inputs.size() && step.inputs[port] != kNoValue)
            inputs[4 + port] = directionMajor(e, e.valueName(step.inputs[port]), d, h);
    while (inputs.back().empty())
        inputs.pop_back();
    const std::string out = e.valueName(step.outputs[0]);
    const bool sequences = step.attrs.returnSequences;
    const std::string y = e.graph.fresh(out + (sequences ? "/Y" : "/Y_h"));
    std::vector<Attr> attrs{{"hidden_size", h},
                            {"direction", std::string(d == 2 ? "bidirectional" : "forward")}};
    if (step.kind == OpKind::GRU)
        attrs.push_back({"linear_before_reset", std::int64_t(1)});
    const char* op = step.kind == OpKind::LSTM ? "LSTM" : step.kind == OpKind::GRU ? "GRU" : "RNN";
    if (sequences)
        e.graph.node(op, inputs, {y}, attrs);
    else
        e.graph.node(op, inputs, {"", y}, attrs);

    // Y [T, D, N, H] -> [N, T, D*H];  Y_h [D, N, H] -> [N, D*H]
    const std::string batchMajor = e.graph.fresh(out + "/batch_major");
    e.graph.node("Transpose", {y}, {batchMajor},
                 {{"perm", sequences ? std::vector<std::int64_t>{2, 0, 1, 3}
                                     : std::vector<std::int64_t>{1, 0, 2}}});
    const std::vector<std::int64_t> shape =
        sequences ? std::vector<std::int64_t>{-1, t, d * h} : std::vector<std::int64_t>{-1, d * h};
    e.graph.node("Reshape", {batchMajor, e.graph.constantInts(out + "/shape", shape)}, {out});
    return Status::ok();
}

} // namespace nc::engine::onnxexport
