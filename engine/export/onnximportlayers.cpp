// The ONNX importer's element-wise and structural operators: activations (folded into the
// layer before them where nothing else reads it), Flatten and Reshape, BatchNormalization,
// Dropout, Add and Sum, Concat, Pad, Identity and Cast.

#include "onnximporter.h"

#include "engine/activations.h"

#include <algorithm>
#include <cmath>

namespace nc::engine::onnximport {

namespace {

using nc::graph::IntList;

const AttrRule kAlpha{"alpha", AttrKind::Float, 0, 0, {}, {}, -1e6, 1e6};

const OpRule kRules[] = {
    {"Flatten", &Importer::reshape, 1, 1, 1, {{"axis", AttrKind::Int, -64, 64}}},
    {"Reshape", &Importer::reshape, 2, 2, 1, {{"allowzero", AttrKind::Int, 0, 1}}},
    {"BatchNormalization",
     &Importer::batchNorm,
     5,
     5,
     5,
     {{"epsilon", AttrKind::Float, 0, 0, {}, {}, 0.0, 1.0},
      {"momentum", AttrKind::Float, 0, 0, {}, {}, 0.0, 1.0},
      {"training_mode", AttrKind::Int, 0, 1},
      {"spatial", AttrKind::Int, 0, 1}}},
    {"Dropout",
     &Importer::dropout,
     1,
     3,
     2,
     {{"ratio", AttrKind::Float, 0, 0, {}, {}, 0.0, 0.999}, {"seed", AttrKind::Int}}},
    {"Add",
     &Importer::addition,
     2,
     2,
     1,
     {{"broadcast", AttrKind::Int, 0, 1}, {"axis", AttrKind::Int}}},
    {"Sum", &Importer::addition, 1, 64},
    {"Concat", &Importer::concat, 1, 64, 1, {{"axis", AttrKind::Int, -64, 64}}},
    {"Identity", &Importer::passThrough},
    {"Cast",
     &Importer::passThrough,
     1,
     1,
     1,
     {{"to", AttrKind::Int, 0, 64}, {"saturate", AttrKind::Int, 0, 1}}},
    {"Pad",
     &Importer::pad,
     1,
     4,
     1,
     {{"mode", AttrKind::String, 0, 0, {}, {"constant", "reflect", "edge", "wrap"}},
      {"pads", AttrKind::Ints, -kMaxWindow, kMaxWindow},
      {"value", AttrKind::Float}}},
};

} // namespace

std::span<const OpRule> layerRules() {
    // The activations' operators come from the one activation table.
    static const std::vector<OpRule> rules = [] {
        std::vector<OpRule> all;
        for (const ActivationFacts& facts : activationTable()) {
            if (facts.kind == ActivationKind::Linear)
                continue;
            OpRule rule{facts.onnxOp, &Importer::activation};
            if (facts.takesAlpha)
                rule.attrs.push_back(kAlpha);
            if (facts.kind == ActivationKind::Softmax)
                rule.attrs.push_back({"axis", AttrKind::Int, -64, 64});
            all.push_back(rule);
        }
        all.insert(all.end(), std::begin(kRules), std::end(kRules));
        return all;
    }();
    return rules;
}

Status Importer::activation(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const ActivationFacts* facts = findOnnxActivation(n.op_type()); // the rule's operators
    const std::string function(facts->name);
    // ONNX's default alpha is the one a fused activation uses.
    const double alpha = attrFloat(n, "alpha", facts->fusedAlpha);
    if (function == "softmax") {
        const std::int64_t rank = std::int64_t(dims(n.input(0)).size()) + 1;
        const auto axis = normalizedAxis(attrInt(n, "axis", -1), rank);
        if (axis != 1 || rank != 2)
            return Status::error("a softmax over an axis other than the features of a vector");
    }
    // Folded into the convolution or Dense layer before it when nothing else reads that.
    const nc::graph::Node* producer = m_result.graph.node(in.value().node);
    const auto current = producer ? producer->params.find("activation") : nullptr;
    const bool linear = current && std::holds_alternative<std::string>(*current) &&
                        std::get<std::string>(*current) == "linear";
    const bool fusable = producer && linear && readers(n.input(0)) == 1 && function != "softmax" &&
                         (producer->type == "Conv2D" || producer->type == "Deconv2D" ||
                          (producer->type == "Dense" && !m_biasless.count(producer->id))) &&
                         (!facts->takesAlpha || std::abs(alpha - facts->fusedAlpha) < 1e-7);
    if (fusable) {
        if (Status s = set(in.value().node, "activation", function); !s)
            return s;
        bind(n.output(0), in.value());
        return Status::ok();
    }
    auto id = layer("Activation", n, in.value());
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "function", function); !s)
        return s;
    if (facts->takesAlpha)
        if (Status s = set(id.value(), "alpha", alpha); !s)
            return s;
    return Status::ok();
}

Status Importer::reshape(const onnx::NodeProto& n) {
    if (isView(n.input(0)))
        return recurrentView(n, std::get<RecurrentView>(*known(n.input(0))));
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Dims x = dims(n.input(0));
    std::int64_t size = 1;
    for (std::int64_t d : x)
        size *= d; // bounded: per-sample shapes the graph accepted
    if (x.empty() || size <= 0)
        return Status::error("the shape of its input is not known");
    Dims target;
    if (n.op_type() == "Flatten") {
        if (normalizedAxis(attrInt(n, "axis", 1), std::int64_t(x.size()) + 1) != 1)
            return Status::error("a Flatten at an axis other than 1");
        target = {size};
    } else {
        const Ints* shape = ints(n.input(1));
        if (!shape || shape->values.empty())
            return Status::error("its target shape is computed at run time");
        const bool allowZero = attrInt(n, "allowzero", 0) != 0;
        const std::int64_t first = shape->values[0];
        if (first != kBatch && !(first == 0 && !allowZero) && first != -1)
            return Status::error("it changes the batch dimension");
        std::int64_t known = 1, unknown = -1;
        for (std::size_t i = 1; i < shape->values.size(); ++i) {
            std::int64_t v = shape->values[i];
            if (v == 0 && !allowZero && i - 1 < x.size())
                v = x[i - 1];
            if (v == -1 || v == kBatch) {
                if (unknown >= 0 || first == -1)
                    return Status::error("its target shape has two unknown dimensions");
                unknown = std::int64_t(target.size());
                v = -1;
            } else if (v < 1 || v > size || known > size / v) {
                return Status::error("its target shape has a dimension of " + std::to_string(v) +
                                     " for " + std::to_string(size) + " values");
            } else {
                known *= v;
            }
            target.push_back(v);
        }
        if (unknown >= 0) {
            if (size % known != 0)
                return Status::error("its target shape does not divide " + std::to_string(size) +
                                     " values");
            target[std::size_t(unknown)] = size / known;
        } else if (known != size) {
            return Status::error("its target shape holds " + std::to_string(known) +
                                 " values; its input has " + std::to_string(size));
        }
    }
    auto id = layer(target.size() == 1 ? "Flatten" : "Reshape", n, in.value());
    if (!id)
        return id.status();
    if (target.size() != 1)
        if (Status s = set(id.value(), "shape", IntList(target)); !s)
            return s;
    return Status::ok();
}

Status Importer::batchNorm(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    if (attrInt(n, "training_mode", 0) != 0)
        return Status::error("training_mode=1 (NetCanvas imports the inference form)");
    for (int i = 1; i < n.output_size(); ++i)
        if (!n.output(i).empty() && readers(n.output(i)) > 0)
            return Status::error("its running statistics outputs are read");
    const Dims x = dims(n.input(0));
    if (x.empty())
        return Status::error("the shape of its input is not known");
    const Tensor* parts[4] = {constant(n.input(1)), constant(n.input(2)), constant(n.input(3)),
                              constant(n.input(4))};
    for (const Tensor* t : parts)
        if (!t || t->rank() != 1 || t->size() != x[0])
            return Status::error("its scale, bias, mean and variance must be constants of " +
                                 std::to_string(x[0]) + " values");
    auto id = layer("BatchNorm", n, in.value(), n.input(1));
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "epsilon", double(attrFloat(n, "epsilon", 1e-5f))); !s)
        return s;
    if (Status s = set(id.value(), "momentum", double(attrFloat(n, "momentum", 0.9f))); !s)
        return s;
    const char* names[4] = {"weight", "bias", "running_mean", "running_var"};
    for (int i = 0; i < 4; ++i)
        weight(id.value(), names[i], release(n.input(i + 1), *parts[i]));
    return Status::ok();
}

Status Importer::dropout(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    if (n.output_size() > 1 && !n.output(1).empty() && readers(n.output(1)) > 0)
        return Status::error("its mask output is read");
    if (n.input_size() > 2 && !n.input(2).empty()) {
        const Known* mode = known(n.input(2));
        const Tensor* t = mode ? std::get_if<Tensor>(mode) : nullptr;
        const Ints* i = mode ? std::get_if<Ints>(mode) : nullptr;
        const bool off = (t && t->size() == 1 && (*t)[0] == 0.0f) ||
                         (i && i->values.size() == 1 && i->values[0] == 0);
        if (!off)
            return Status::error("its training_mode is not a constant false (NetCanvas imports "
                                 "the inference form)");
    }
    double rate = attrFloat(n, "ratio", 0.5f);
    if (n.input_size() > 1 && !n.input(1).empty()) {
        const Tensor* r = constant(n.input(1));
        if (!r || r->size() != 1)
            return Status::error("its ratio is not a constant of one value");
        rate = (*r)[0];
        if (!(rate >= 0.0 && rate < 1.0))
            return Status::error("its ratio " + std::to_string(rate) + " is outside [0, 1)");
    }
    auto id = layer("Dropout", n, in.value());
    if (!id)
        return id.status();
    return set(id.value(), "rate", rate);
}

Status Importer::addition(const onnx::NodeProto& n) {
    if (n.op_type() == "Add") {
        const Tensor* bias = constant(n.input(1));
        const int data = bias ? 0 : 1;
        if (!bias)
            bias = constant(n.input(0));
        if (bias)
            return denseBias(n, *bias, data);
    }
    auto id = add("Add", n);
    if (!id)
        return id.status();
    return wireInputs(n, id.value());
}

Status Importer::concat(const onnx::NodeProto& n) {
    for (const std::string& in : n.input())
        if (isView(in))
            return recurrentConcat(n);
    bool allInts = true;
    for (const std::string& in : n.input())
        allInts = allInts && ints(in);
    if (allInts)
        return shapeArithmetic(n);
    auto id = add("Concat", n);
    if (!id)
        return id.status();
    const auto axis =
        normalizedAxis(attrInt(n, "axis", 1), std::int64_t(dims(n.input(0)).size()) + 1);
    if (!axis)
        return Status::error("its axis is out of range");
    if (*axis < 1)
        return Status::error("a Concat along the batch");
    if (Status s = set(id.value(), "axis", *axis - 1); !s)
        return s;
    return wireInputs(n, id.value());
}

Status Importer::wireInputs(const onnx::NodeProto& n, NodeId id) {
    for (int i = 0; i < n.input_size(); ++i) {
        auto in = ref(n.input(i));
        if (!in)
            return in.status();
        if (Status s = wire(in.value(), id, nc::graph::PortIndex(i)); !s)
            return s;
    }
    bind(n.output(0), Ref{id, 0});
    return Status::ok();
}

Status Importer::passThrough(const onnx::NodeProto& n) {
    if (n.op_type() == "Cast") {
        // Shape values may change integer type; a layer's output stays float (NetCanvas
        // computes in float), and integer ids stay integers.
        const int to = int(attrInt(n, "to", onnx::TensorProto::FLOAT)),
                  from = elementType(n.input(0));
        const auto integer = [](int t) {
            return t == onnx::TensorProto::INT64 || t == onnx::TensorProto::INT32;
        };
        if (to == onnx::TensorProto::STRING || from == onnx::TensorProto::STRING)
            return Status::error(std::string("a Cast ") +
                                 (to == onnx::TensorProto::STRING ? "to" : "from") + " strings");
        const bool shapeValues = ints(n.input(0)) != nullptr;
        // Float token ids made integers for an embedding's Gather: whole numbers either way.
        const auto& readers = m_consumers[n.output(0)];
        const bool indices = integer(to) && !readers.empty() &&
                             std::all_of(readers.begin(), readers.end(), [](const auto& r) {
                                 return r.first->op_type() == "Gather" && r.second == 1;
                             });
        if (!shapeValues && !indices && !(to == from || (integer(to) && integer(from))))
            return Status::error("a Cast from " + elementTypeName(from) + " to " +
                                 elementTypeName(to) +
                                 " of a layer's values (NetCanvas computes "
                                 "in float)");
    }
    const Known* value = known(n.input(0));
    if (!value)
        return Status::error("its input \"" + n.input(0) + "\" is unknown");
    bind(n.output(0), *value);
    alias(n.output(0), n.input(0));
    return Status::ok();
}

Status Importer::pad(const onnx::NodeProto& n) {
    std::vector<std::int64_t> pads = attrInts(n, "pads");
    if (n.input_size() > 1 && !n.input(1).empty()) {
        const Ints* given = ints(n.input(1));
        if (!given)
            return Status::error("its pads are computed at run time");
        pads = given->values;
    }
    if (std::any_of(pads.begin(), pads.end(), [](std::int64_t v) { return v != 0; }))
        return Status::error("a Pad other than an empty one (padding belongs to the "
                             "convolution or pool)");
    return passThrough(n);
}

} // namespace nc::engine::onnximport
