// The ONNX importer's recurrent operators: LSTM, GRU and RNN with their gates put back in
// PyTorch's order, and the Transpose/Squeeze/Gather/Reshape nodes that PyTorch puts around
// them, followed until an output is one of NetCanvas's two: [N, T, D*H] or [N, D*H].

#include "onnximporter.h"

namespace nc::engine::onnximport {

namespace {

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

} // namespace

Status Importer::recurrent(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    auto source = m_timeMajor.find(n.input(0));
    if (source == m_timeMajor.end())
        return Status::error("its input is not a batch-first sequence transposed to time-major");
    const Tensor* w = constant(n.input(1));
    const Tensor* r = constant(n.input(2));
    if (!w || !r || w->rank() != 3)
        return Status::error("its weights are not constants");
    for (int i = 4; i < n.input_size(); ++i)
        if (!n.input(i).empty() && !m_zeros.count(n.input(i)))
            return Status::error("sequence lengths and initial states other than zeros are not "
                                 "imported");
    if (attrInt(n, "layout", 0) != 0 || attrInt(n, "input_forget", 0) != 0)
        return Status::error("layout=1 and input_forget have no NetCanvas form");
    if (op == "GRU" && attrInt(n, "linear_before_reset", 0) != 1)
        return Status::error("a GRU with linear_before_reset=0 (NetCanvas's is PyTorch's, 1)");
    const std::string direction = attrString(n, "direction", "forward");
    if (direction == "reverse")
        return Status::error("a reverse-only recurrent layer");
    const std::int64_t d = w->dim(0), h = attrInt(n, "hidden_size", r->dim(2));
    const std::int64_t f = w->dim(2);
    // For each NetCanvas (PyTorch) gate, the ONNX gate it takes.
    const std::vector<std::int64_t> order = op == "LSTM"  ? std::vector<std::int64_t>{0, 2, 3, 1}
                                            : op == "GRU" ? std::vector<std::int64_t>{1, 0, 2}
                                                          : std::vector<std::int64_t>{0};
    const std::int64_t g = std::int64_t(order.size());
    const Tensor* b = n.input_size() > 3 && !n.input(3).empty() ? constant(n.input(3)) : nullptr;
    auto id = add(op == "RNN" ? "SimpleRNN" : op, n);
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "units", h); !s)
        return s;
    if (Status s = set(id.value(), "bidirectional", d == 2); !s)
        return s;
    if (Status s = wire(source->second, id.value()); !s)
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
    bind(n.output(0), RecurrentView{id.value(), "TDNH", d});
    if (n.output_size() > 1 && !n.output(1).empty())
        bind(n.output(1), RecurrentView{id.value(), "DNH", d});
    return Status::ok();
}

Status Importer::recurrentView(const onnx::NodeProto& n, RecurrentView view) {
    const std::string& op = n.op_type();
    std::string axes = view.axes;
    auto dropAxis = [&](std::int64_t axis) -> Status {
        if (axis < 0)
            axis += std::int64_t(axes.size());
        if (axis < 0 || axis >= std::int64_t(axes.size()))
            return Status::error("an axis out of range");
        axes.erase(std::size_t(axis), 1);
        return Status::ok();
    };
    if (op == "Transpose") {
        const std::vector<std::int64_t> perm = attrInts(n, "perm");
        if (perm.size() != axes.size())
            return Status::error("a Transpose of the wrong rank");
        std::string next;
        for (std::int64_t p : perm) {
            if (p < 0 || p >= std::int64_t(axes.size()))
                return Status::error("a Transpose with an axis out of range");
            next += axes[std::size_t(p)];
        }
        axes = next;
    } else if (op == "Squeeze") {
        std::vector<std::int64_t> which = attrInts(n, "axes");
        if (which.empty() && n.input_size() > 1 && ints(n.input(1)))
            which = ints(n.input(1))->values;
        if (which.size() != 1 ||
            axes[std::size_t(which[0] < 0 ? which[0] + std::int64_t(axes.size()) : which[0])] !=
                'D' ||
            view.directions != 1)
            return Status::error("a Squeeze other than of the single direction axis");
        if (Status s = dropAxis(which[0]); !s)
            return s;
    } else if (op == "Gather") {
        const Ints* index = ints(n.input(1));
        std::int64_t axis = attrInt(n, "axis", 0);
        if (axis < 0)
            axis += std::int64_t(axes.size());
        if (!index || !index->scalar || index->values.size() != 1 ||
            axis >= std::int64_t(axes.size()))
            return Status::error("a Gather of a recurrent output with computed indices");
        const char symbol = axes[std::size_t(axis)];
        const std::int64_t i = index->values[0];
        // One direction's state, or the last time step of a one-direction layer (its final
        // state, h_n).
        const bool final = (symbol == 'D' && view.directions == 1 && (i == 0 || i == -1)) ||
                           (symbol == 'T' && view.directions == 1 && i == -1);
        if (!final)
            return Status::error("a Gather of a recurrent output other than its final state");
        if (Status s = dropAxis(axis); !s)
            return s;
    } else { // Reshape: merging the direction and unit axes
        const std::size_t at = axes.find("DH");
        if (at == std::string::npos || !ints(n.input(1)) ||
            ints(n.input(1))->values.size() != axes.size() - 1)
            return Status::error("a Reshape of a recurrent output other than merging directions");
        axes = axes.substr(0, at) + "K" + axes.substr(at + 2); // GCC 12 misreads replace()
    }
    // One of NetCanvas's outputs yet?
    const bool one = view.directions == 1;
    const bool sequences = axes == "NTK" || (one && axes == "NTH");
    const bool last = axes == "NK" || (one && axes == "NH");
    if (!sequences && !last) {
        bind(n.output(0), RecurrentView{view.node, axes, view.directions});
        return Status::ok();
    }
    auto decided = m_returnSequences.find(view.node);
    if (decided != m_returnSequences.end() && decided->second != sequences)
        return Status::error("both every step and the final state of one recurrent layer are "
                             "read; NetCanvas's layer gives one of them");
    m_returnSequences[view.node] = sequences;
    if (Status s = set(view.node, "return_sequences", sequences); !s)
        return s;
    bind(n.output(0), Ref{view.node, 0});
    return Status::ok();
}

} // namespace nc::engine::onnximport
