// The ONNX importer's recurrent operators: LSTM, GRU and RNN with their gates put back in
// PyTorch's order, one or two directions, stacked as torch.onnx.export writes a multi-layer
// module (each layer's sequence, transposed and reshaped, the next one's input), and the
// Transpose/Squeeze/Gather/Reshape/Concat nodes around them followed until an output is one of
// NetCanvas's two: [N, T, D*H] or [N, D*H].

#include "onnximporter.h"

namespace nc::engine::onnximport {

namespace {

const std::vector<AttrRule> kRecurrentAttrs{
    {"hidden_size", AttrKind::Int, 1, 1 << 16},
    {"direction", AttrKind::String, 0, 0, {}, {"forward", "reverse", "bidirectional"}},
    {"activations", AttrKind::Strings},
    {"activation_alpha", AttrKind::Floats},
    {"activation_beta", AttrKind::Floats},
    {"clip", AttrKind::Float},
    {"input_forget", AttrKind::Int, 0, 1},
    {"layout", AttrKind::Int, 0, 1},
    {"linear_before_reset", AttrKind::Int, 0, 1},
};
const AttrRule kPerm{"perm", AttrKind::Ints, 0, 8};
const AttrRule kAxes{"axes", AttrKind::Ints, -8, 8};

const OpRule kRules[] = {
    {"LSTM", &Importer::recurrent, 3, 8, 3, kRecurrentAttrs},
    {"GRU", &Importer::recurrent, 3, 6, 2, kRecurrentAttrs},
    {"RNN", &Importer::recurrent, 3, 6, 2, kRecurrentAttrs},
    {"Transpose", &Importer::transpose, 1, 1, 1, {kPerm}},
    {"Squeeze", &Importer::squeeze, 1, 2, 1, {kAxes}},
    {"Slice",
     &Importer::slice,
     1,
     5,
     1,
     {{"starts", AttrKind::Ints}, {"ends", AttrKind::Ints}, kAxes}},
};

// Rows [from, from + count) of a [rows, columns] block of `t` starting at `offset`.
void appendRows(std::vector<float>& out, const Tensor& t, std::int64_t offset, std::int64_t from,
                std::int64_t count, std::int64_t columns) {
    const float* base = t.data() + offset + from * columns;
    out.insert(out.end(), base, base + count * columns);
}

Tensor tensorFrom(const std::vector<float>& values, Dims dims) {
    Tensor t(std::move(dims));
    std::copy(values.begin(), values.end(), t.data());
    return t;
}

// The activations NetCanvas's cells use, per direction: ONNX's defaults.
std::vector<std::string> defaultActivations(const std::string& op, std::int64_t directions) {
    const std::vector<std::string> one = op == "LSTM"
                                             ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
                                         : op == "GRU" ? std::vector<std::string>{"Sigmoid", "Tanh"}
                                                       : std::vector<std::string>{"Tanh"};
    std::vector<std::string> all;
    for (std::int64_t d = 0; d < directions; ++d)
        all.insert(all.end(), one.begin(), one.end());
    return all;
}

} // namespace

std::span<const OpRule> recurrentRules() {
    return kRules;
}

// A recurrent node's input: a batch-first sequence transposed to time-major, or the sequence
// of the layer below in a stack ([T, N, D*H] after PyTorch's transpose and reshape).
Status Importer::stackedInput(const std::string& name, Ref& source) {
    if (auto found = m_timeMajor.find(name); found != m_timeMajor.end()) {
        source = found->second;
        return Status::ok();
    }
    if (isView(name)) {
        const RecurrentView below = std::get<RecurrentView>(*known(name));
        const bool sequence =
            below.states.size() == 1 &&
            (below.axes == "TNK" || (below.directions == 1 && below.axes == "TNH"));
        if (!sequence)
            return Status::error("its input is a recurrent output in a layout NetCanvas does not "
                                 "have");
        const NodeId node = below.states.front();
        auto decided = m_returnSequences.find(node);
        if (decided != m_returnSequences.end() && !decided->second)
            return Status::error("both every step and the final state of one recurrent layer are "
                                 "read; NetCanvas's layer gives one of them");
        m_returnSequences[node] = true;
        ++m_sequenceNames[node];
        if (Status s = set(node, "return_sequences", true); !s)
            return s;
        source = Ref{node, 0};
        return Status::ok();
    }
    return Status::error("its input is not a batch-first sequence transposed to time-major");
}

Status Importer::recurrent(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    Ref source;
    if (Status s = stackedInput(n.input(0), source); !s)
        return s;
    const Tensor* w = constant(n.input(1));
    const Tensor* r = constant(n.input(2));
    if (!w || !r || w->rank() != 3 || r->rank() != 3)
        return Status::error("its weights W and R are not constant 3-D tensors");
    if (n.input_size() > 4 && !n.input(4).empty())
        return Status::error("sequence lengths are not imported");
    for (int i = 5; i < n.input_size(); ++i)
        if (!n.input(i).empty() && !(i < 7 && isZeros(n.input(i))))
            return Status::error(i == 7 ? "peephole weights have no NetCanvas form"
                                        : "initial states other than zeros are not imported");
    if (attrInt(n, "layout", 0) != 0 || attrInt(n, "input_forget", 0) != 0)
        return Status::error("layout=1 and input_forget have no NetCanvas form");
    if (hasAttr(n, "clip") || hasAttr(n, "activation_alpha") || hasAttr(n, "activation_beta"))
        return Status::error("clip and activation parameters have no NetCanvas form");
    if (op == "GRU" && attrInt(n, "linear_before_reset", 0) != 1)
        return Status::error("a GRU with linear_before_reset=0 (NetCanvas's is PyTorch's, 1)");
    const std::string direction = attrString(n, "direction", "forward");
    if (direction == "reverse")
        return Status::error("a reverse-only recurrent layer");
    const std::int64_t d = direction == "bidirectional" ? 2 : 1;
    if (hasAttr(n, "activations") && attrStrings(n, "activations") != defaultActivations(op, d))
        return Status::error("activations other than ONNX's defaults have no NetCanvas form");
    // For each NetCanvas (PyTorch) gate, the ONNX gate it takes.
    const std::vector<std::int64_t> order = op == "LSTM"  ? std::vector<std::int64_t>{0, 2, 3, 1}
                                            : op == "GRU" ? std::vector<std::int64_t>{1, 0, 2}
                                                          : std::vector<std::int64_t>{0};
    const std::int64_t g = std::int64_t(order.size());
    const std::int64_t h = r->dim(2), f = w->dim(2);
    if (hasAttr(n, "hidden_size") && attrInt(n, "hidden_size", 0) != h)
        return Status::error("hidden_size " + std::to_string(attrInt(n, "hidden_size", 0)) +
                             " disagrees with R " + formatDims(r->dims()));
    if (w->dims() != Dims{d, g * h, f} || r->dims() != Dims{d, g * h, h})
        return Status::error("W " + formatDims(w->dims()) + " and R " + formatDims(r->dims()) +
                             " are not [" + std::to_string(d) + ", " + std::to_string(g) +
                             " x hidden, features] and [" + std::to_string(d) + ", " +
                             std::to_string(g) + " x hidden, hidden]");
    const Dims x = dimsOf(source); // [T, features] per sample
    if (x.size() != 2 || x[1] != f)
        return Status::error("W " + formatDims(w->dims()) + " takes " + std::to_string(f) +
                             " features per step; its input is not [batch, " + std::to_string(f) +
                             "] per step");
    const Tensor* b = n.input_size() > 3 && !n.input(3).empty() ? constant(n.input(3)) : nullptr;
    if (n.input_size() > 3 && !n.input(3).empty() && (!b || b->dims() != Dims{d, 2 * g * h}))
        return Status::error("its bias B is not a constant [" + std::to_string(d) + ", " +
                             std::to_string(2 * g * h) + "]");
    auto id = add(op == "RNN" ? "SimpleRNN" : op, n);
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "units", h); !s)
        return s;
    if (Status s = set(id.value(), "bidirectional", d == 2); !s)
        return s;
    if (Status s = wire(source, id.value()); !s)
        return s;
    for (std::int64_t dir = 0; dir < d; ++dir) {
        const std::string suffix = dir ? "_l0_reverse" : "_l0";
        std::vector<float> wi, wh, bi, bh;
        for (std::int64_t gate : order) {
            appendRows(wi, *w, dir * g * h * f, gate * h, h, f);
            appendRows(wh, *r, dir * g * h * h, gate * h, h, h);
            if (b) {
                appendRows(bi, *b, dir * 2 * g * h, gate * h, h, 1);
                appendRows(bh, *b, dir * 2 * g * h + g * h, gate * h, h, 1);
            }
        }
        if (!b)
            bi.assign(std::size_t(g * h), 0.0f), bh.assign(std::size_t(g * h), 0.0f);
        weight(id.value(), "weight_ih" + suffix, tensorFrom(wi, {g * h, f}));
        weight(id.value(), "weight_hh" + suffix, tensorFrom(wh, {g * h, h}));
        weight(id.value(), "bias_ih" + suffix, tensorFrom(bi, {g * h}));
        weight(id.value(), "bias_hh" + suffix, tensorFrom(bh, {g * h}));
    }
    bind(n.output(0), RecurrentView{{id.value()}, "TDNH", d});
    if (n.output_size() > 1 && !n.output(1).empty())
        bind(n.output(1), RecurrentView{{id.value()}, "DNH", d});
    if (n.output_size() > 2 && !n.output(2).empty() && readers(n.output(2)) > 0)
        return Status::error("its cell state output Y_c is read; NetCanvas's layer does not give "
                             "it");
    return Status::ok();
}

Status Importer::transpose(const onnx::NodeProto& n) {
    if (isView(n.input(0)))
        return recurrentView(n, std::get<RecurrentView>(*known(n.input(0))));
    if (const Tensor* c = constant(n.input(0)); c && c->rank() == 2) {
        const std::vector<std::int64_t> perm = attrInts(n, "perm");
        if (!perm.empty() && perm != std::vector<std::int64_t>{1, 0})
            return Status::error("a Transpose of a matrix with perm other than [1, 0]");
        bind(n.output(0), transposed(*c)); // a weight, folded
        return Status::ok();
    }
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    if (attrInts(n, "perm") != std::vector<std::int64_t>{1, 0, 2} || dims(n.input(0)).size() != 2)
        return Status::error("a Transpose other than the one before a recurrent layer");
    m_timeMajor[n.output(0)] = in.value();
    return Status::ok();
}

Status Importer::squeeze(const onnx::NodeProto& n) {
    if (ints(n.input(0)))
        return shapeArithmetic(n);
    if (isView(n.input(0)))
        return recurrentView(n, std::get<RecurrentView>(*known(n.input(0))));
    return Status::error("a Squeeze of a layer's output (NetCanvas reads it as a Reshape only "
                         "around recurrent layers)");
}

Status Importer::slice(const onnx::NodeProto& n) {
    // Slices of zeros are zeros: PyTorch's initial states, one layer's rows at a time.
    if (isZeros(n.input(0))) {
        bind(n.output(0), Zeros{});
        return Status::ok();
    }
    return Status::error("a Slice other than of zero initial states");
}

Status Importer::recurrentView(const onnx::NodeProto& n, RecurrentView view) {
    const std::string& op = n.op_type();
    std::string axes = view.axes;
    const std::int64_t rank = std::int64_t(axes.size());
    if (op == "Transpose") {
        const std::vector<std::int64_t> perm = attrInts(n, "perm");
        if (std::int64_t(perm.size()) != rank)
            return Status::error("a Transpose of the wrong rank");
        std::string next;
        for (std::int64_t p : perm) {
            if (p < 0 || p >= rank || next.find(axes[std::size_t(p)]) != std::string::npos)
                return Status::error("a Transpose whose perm is not a permutation");
            next += axes[std::size_t(p)];
        }
        axes = next;
    } else if (op == "Squeeze") {
        std::vector<std::int64_t> which = attrInts(n, "axes");
        if (which.empty() && n.input_size() > 1 && ints(n.input(1)))
            which = ints(n.input(1))->values;
        const auto axis = which.size() == 1 ? normalizedAxis(which[0], rank) : std::nullopt;
        if (!axis || axes[std::size_t(*axis)] != 'D' || view.directions != 1 ||
            view.states.size() != 1)
            return Status::error("a Squeeze other than of the single direction axis");
        axes.erase(std::size_t(*axis), 1);
    } else if (op == "Gather") {
        const Ints* index = ints(n.input(1));
        const auto axis = normalizedAxis(attrInt(n, "axis", 0), rank);
        if (!index || !index->scalar || index->values.size() != 1 || !axis)
            return Status::error("a Gather of a recurrent output with computed indices");
        const char symbol = axes[std::size_t(*axis)];
        if (symbol == 'D') {
            // One row of h_n: the final state of one direction of one layer of the stack.
            const std::int64_t rows = std::int64_t(view.states.size()) * view.directions;
            const auto row = normalizedAxis(index->values[0], rows);
            if (!row)
                return Status::error("a Gather index out of range of h_n's " +
                                     std::to_string(rows) + " rows");
            view.states = {view.states[std::size_t(*row / view.directions)]};
            view.direction = view.directions == 1 ? -1 : *row % view.directions;
            axes.erase(std::size_t(*axis), 1);
        } else if (symbol == 'T' && view.directions == 1 && index->values[0] == -1 &&
                   view.states.size() == 1) {
            axes.erase(std::size_t(*axis), 1); // the last step of one direction: its final state
        } else {
            return Status::error("a Gather of a recurrent output other than its final state");
        }
    } else if (op == "Concat") {
        return Status::error("a Concat of recurrent outputs in a layout NetCanvas does not have");
    } else { // Reshape: merging the direction and unit axes
        const std::size_t at = axes.find("DH");
        const Ints* target = ints(n.input(1));
        if (at == std::string::npos || !target || std::int64_t(target->values.size()) != rank - 1 ||
            view.states.size() != 1 || attrInt(n, "allowzero", 0) != 0)
            return Status::error("a Reshape of a recurrent output other than merging directions");
        axes = axes.substr(0, at) + "K" + axes.substr(at + 2); // GCC 12 misreads replace()
        // Each axis kept (0, or the time steps themselves), the merged one D * H, and one of
        // them inferred (-1): PyTorch's [0, 0, -1], NetCanvas's own [-1, T, D * H].
        const NodeId layerNode = view.states.front();
        const std::int64_t units =
            std::get<std::int64_t>(*m_result.graph.node(layerNode)->params.find("units"));
        std::int64_t steps = -1;
        if (const auto in = m_result.graph.edgeInto(layerNode, 0))
            if (const Dims source = dimsOf(Ref{in->outNode, in->outPort}); source.size() == 2)
                steps = source[0];
        int inferred = 0;
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const std::int64_t v = target->values[i];
            inferred += v == -1;
            const bool fits =
                v == -1 || (axes[i] == 'K' ? v == view.directions * units
                                           : v == 0 || (axes[i] == 'T' && v == steps));
            if (!fits || inferred > 1)
                return Status::error("a Reshape of a recurrent output to a target other than "
                                     "the merged directions ([0, 0, -1])");
        }
    }
    view.axes = axes;
    // One of NetCanvas's outputs yet?
    const bool one = view.directions == 1;
    const bool sequences = axes == "NTK" || (one && axes == "NTH");
    const bool last = (axes == "NK" || (one && axes == "NH")) && view.direction < 0;
    if ((!sequences && !last) || view.states.size() != 1) {
        bind(n.output(0), view);
        return Status::ok();
    }
    const NodeId node = view.states.front();
    auto decided = m_returnSequences.find(node);
    if (decided != m_returnSequences.end() && decided->second != sequences)
        return Status::error("both every step and the final state of one recurrent layer are "
                             "read; NetCanvas's layer gives one of them");
    m_returnSequences[node] = sequences;
    m_sequenceNames[node] += sequences;
    if (Status s = set(node, "return_sequences", sequences); !s)
        return s;
    bind(n.output(0), Ref{node, 0});
    return Status::ok();
}

// h_n of several layers stacked (Concat on the direction axis), or both directions' final
// states side by side (Concat on the unit axis): NetCanvas's last-step output.
Status Importer::recurrentConcat(const onnx::NodeProto& n) {
    std::vector<RecurrentView> parts;
    for (const std::string& in : n.input()) {
        if (!isView(in))
            return Status::error("a Concat of a recurrent output with another value");
        parts.push_back(std::get<RecurrentView>(*known(in)));
    }
    const RecurrentView& first = parts.front();
    const auto axis = normalizedAxis(attrInt(n, "axis", 0), std::int64_t(first.axes.size()));
    if (!axis)
        return Status::error("its axis is out of range");
    if (first.axes == "DNH" && *axis == 0) {
        RecurrentView stack{{}, "DNH", first.directions};
        for (const RecurrentView& p : parts) {
            if (p.axes != "DNH" || p.directions != first.directions || p.direction >= 0)
                return Status::error("a Concat of final states of different layouts");
            stack.states.insert(stack.states.end(), p.states.begin(), p.states.end());
        }
        bind(n.output(0), stack);
        return Status::ok();
    }
    // [h_n[-2], h_n[-1]] along the units: forward then backward of one layer.
    const bool bothDirections = parts.size() == 2 && first.axes == "NH" && *axis == 1 &&
                                first.directions == 2 && parts[1].axes == "NH" &&
                                parts[1].states == first.states && first.direction == 0 &&
                                parts[1].direction == 1;
    if (!bothDirections)
        return Status::error("a Concat of recurrent states other than both directions' final "
                             "states, forward first");
    const NodeId node = first.states.front();
    auto decided = m_returnSequences.find(node);
    if (decided != m_returnSequences.end() && decided->second)
        return Status::error("both every step and the final state of one recurrent layer are "
                             "read; NetCanvas's layer gives one of them");
    m_returnSequences[node] = false;
    if (Status s = set(node, "return_sequences", false); !s)
        return s;
    bind(n.output(0), Ref{node, 0});
    return Status::ok();
}

} // namespace nc::engine::onnximport
