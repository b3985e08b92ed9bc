// The ONNX importer's arithmetic on values known at import time: Shape, Constant,
// ConstantOfShape, and Gather, Unsqueeze, Squeeze, Concat, Cast and Identity of shape values
// (PyTorch's x.view(x.size(0), -1) chains), folded away; Gather of a constant table indexed
// by a layer's output is an Embedding.

#include "onnximporter.h"

namespace nc::engine::onnximport {

namespace {

const OpRule kRules[] = {
    {"Shape",
     &Importer::shape,
     1,
     1,
     1,
     {{"start", AttrKind::Int, -64, 64}, {"end", AttrKind::Int, -64, 64}}},
    {"Constant",
     &Importer::constantNode,
     0,
     0,
     1,
     {{"value", AttrKind::Tensor},
      {"value_float", AttrKind::Float},
      {"value_floats", AttrKind::Floats},
      {"value_int", AttrKind::Int},
      {"value_ints", AttrKind::Ints}}},
    {"ConstantOfShape", &Importer::constantOfShape, 1, 1, 1, {{"value", AttrKind::Tensor}}},
    {"Gather", &Importer::gather, 2, 2, 1, {{"axis", AttrKind::Int, -64, 64}}},
    {"Unsqueeze", &Importer::unsqueeze, 1, 2, 1, {{"axes", AttrKind::Ints, -64, 64}}},
};

} // namespace

std::span<const OpRule> shapeRules() {
    return kRules;
}

Status Importer::shape(const onnx::NodeProto& n) {
    const Dims d = dims(n.input(0));
    if (d.empty())
        return Status::error("the shape of \"" + n.input(0) + "\" is not a layer output's");
    std::vector<std::int64_t> full{kBatch};
    full.insert(full.end(), d.begin(), d.end());
    const std::int64_t rank = std::int64_t(full.size());
    auto clamp = [&](std::int64_t v) {
        v = v < 0 ? v + rank : v;
        return std::clamp<std::int64_t>(v, 0, rank);
    };
    const std::int64_t start = clamp(attrInt(n, "start", 0)), end = clamp(attrInt(n, "end", rank));
    Ints out;
    if (start < end)
        out.values.assign(full.begin() + start, full.begin() + end);
    bind(n.output(0), out);
    return Status::ok();
}

Status Importer::constantNode(const onnx::NodeProto& n) {
    if (n.attribute_size() != 1)
        return Status::error("a Constant needs exactly one value attribute");
    const onnx::AttributeProto& a = n.attribute(0);
    if (a.name() == "value_int") {
        bind(n.output(0), Ints{{a.i()}, true});
    } else if (a.name() == "value_ints") {
        bind(n.output(0), Ints{{a.ints().begin(), a.ints().end()}, false});
    } else if (a.name() == "value_float") {
        Tensor t({1});
        t[0] = a.f();
        bind(n.output(0), t);
    } else if (a.name() == "value_floats") {
        Tensor t({std::int64_t(a.floats_size())});
        std::copy(a.floats().begin(), a.floats().end(), t.data());
        bind(n.output(0), t);
    } else if (a.t().data_type() == onnx::TensorProto::INT64 ||
               a.t().data_type() == onnx::TensorProto::INT32) {
        auto v = intsOf(a.t());
        if (!v)
            return v.status();
        bind(n.output(0), Ints{v.value(), a.t().dims_size() == 0});
    } else {
        auto t = tensorOf(a.t());
        if (!t)
            return t.status();
        bind(n.output(0), t.value());
    }
    return Status::ok();
}

Status Importer::constantOfShape(const onnx::NodeProto& n) {
    // Zeros shaped at run time: PyTorch's initial states of a recurrent layer.
    for (const auto& a : n.attribute()) {
        auto t = tensorOf(a.t());
        if (!t)
            return t.status();
        if (t.value().size() != 1)
            return Status::error("its value holds " + std::to_string(t.value().size()) +
                                 " elements; ONNX's ConstantOfShape takes one");
        if (t.value()[0] != 0.0f)
            return Status::error("a ConstantOfShape other than zeros");
    }
    bind(n.output(0), Zeros{});
    return Status::ok();
}

Status Importer::gather(const onnx::NodeProto& n) {
    if (ints(n.input(0)))
        return shapeArithmetic(n);
    if (isView(n.input(0)))
        return recurrentView(n, std::get<RecurrentView>(*known(n.input(0))));
    if (const Tensor* table = constant(n.input(0)))
        return embedding(n, *table);
    if (const Known* value = known(n.input(0)); value && std::holds_alternative<Ref>(*value))
        return lastStep(n, std::get<Ref>(*value));
    return Status::error("a Gather other than an embedding lookup (a constant table indexed by "
                         "a layer's output) or of shape values");
}

// out[:, -1, :] of a one-direction recurrent layer read by nothing else: its final state,
// NetCanvas's output without return_sequences.
Status Importer::lastStep(const onnx::NodeProto& n, Ref in) {
    const nc::graph::Node* node = m_result.graph.node(in.node);
    const bool recurrent =
        node && (node->type == "LSTM" || node->type == "GRU" || node->type == "SimpleRNN");
    const Ints* index = ints(n.input(1));
    const Dims x = dimsOf(in);
    if (!recurrent || !index || !index->scalar || index->values.size() != 1 || x.size() != 2 ||
        normalizedAxis(attrInt(n, "axis", 0), 3) != 1 ||
        normalizedAxis(index->values[0], x[0]) != x[0] - 1)
        return Status::error("a Gather of a layer's output other than the last step of a "
                             "recurrent layer's sequence");
    const auto* bidirectional = std::get_if<bool>(&*node->params.find("bidirectional"));
    if ((bidirectional && *bidirectional) || readers(n.input(0)) != 1 ||
        !m_result.graph.edgesOutOf(in.node).empty() || m_sequenceNames[in.node] != 1)
        return Status::error("the last step of a sequence that is also read otherwise, or of two "
                             "directions (NetCanvas's final state is each direction's own)");
    m_returnSequences[in.node] = false;
    if (Status s = set(in.node, "return_sequences", false); !s)
        return s;
    bind(n.output(0), in);
    return Status::ok();
}

Status Importer::embedding(const onnx::NodeProto& n, const Tensor& table) {
    auto indices = ref(n.input(1));
    if (!indices || table.rank() != 2 || attrInt(n, "axis", 0) != 0)
        return Status::error("a Gather other than an embedding lookup (a constant table indexed "
                             "by a layer's output)");
    const Tensor copy = table; // add() may rehash the values that hold it
    auto id = add("Embedding", n, n.input(0));
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "vocabulary", copy.dim(0)); !s)
        return s;
    if (Status s = set(id.value(), "units", copy.dim(1)); !s)
        return s;
    if (Status s = wire(indices.value(), id.value()); !s)
        return s;
    weight(id.value(), "weight", copy);
    bind(n.output(0), Ref{id.value(), 0});
    return Status::ok();
}

Status Importer::unsqueeze(const onnx::NodeProto& n) {
    if (ints(n.input(0)))
        return shapeArithmetic(n);
    return Status::error("an Unsqueeze of a layer's output has no NetCanvas form");
}

Status Importer::shapeArithmetic(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    const Ints a = *ints(n.input(0)); // a copy: bind() below may rehash the values
    auto knownInts = [&](int i) { return i < n.input_size() ? ints(n.input(i)) : nullptr; };
    if (op == "Gather") {
        const Ints* index = knownInts(1);
        if (!index)
            return Status::error("a Gather of shape values with computed indices");
        if (attrInt(n, "axis", 0) != 0)
            return Status::error("a Gather of shape values along an axis other than 0");
        Ints result{{}, index->scalar};
        for (std::int64_t i : index->values) {
            const auto at = normalizedAxis(i, std::int64_t(a.values.size()));
            if (!at)
                return Status::error("a Gather index " + std::to_string(i) + " out of range of " +
                                     std::to_string(a.values.size()) + " values");
            result.values.push_back(a.values[std::size_t(*at)]);
        }
        bind(n.output(0), result);
        return Status::ok();
    }
    if (op == "Unsqueeze" || op == "Squeeze") {
        if (a.values.size() > 1 && op == "Squeeze")
            return Status::error("a Squeeze of " + std::to_string(a.values.size()) +
                                 " shape values");
        bind(n.output(0), Ints{a.values, op == "Squeeze"});
        return Status::ok();
    }
    if (op == "Concat") {
        Ints result;
        for (int i = 0; i < n.input_size(); ++i) {
            const Ints* part = knownInts(i);
            if (!part)
                return Status::error("a Concat of shape values with a computed part");
            result.values.insert(result.values.end(), part->values.begin(), part->values.end());
        }
        bind(n.output(0), result);
        return Status::ok();
    }
    return Status::error("no import for this operator on shape values");
}

} // namespace nc::engine::onnximport
