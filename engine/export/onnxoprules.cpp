#include "onnxoprules.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

namespace nc::engine::onnximport {

using nc::core::Status;

namespace {

// Each kind's protobuf type and its name in messages.
struct KindFacts {
    AttrKind kind;
    onnx::AttributeProto::AttributeType proto;
    const char* name;
};
constexpr KindFacts kKinds[] = {
    {AttrKind::Int, onnx::AttributeProto::INT, "an integer"},
    {AttrKind::Ints, onnx::AttributeProto::INTS, "a list of integers"},
    {AttrKind::Float, onnx::AttributeProto::FLOAT, "a float"},
    {AttrKind::Floats, onnx::AttributeProto::FLOATS, "a list of floats"},
    {AttrKind::String, onnx::AttributeProto::STRING, "a string"},
    {AttrKind::Strings, onnx::AttributeProto::STRINGS, "a list of strings"},
    {AttrKind::Tensor, onnx::AttributeProto::TENSOR, "a tensor"},
};

const KindFacts& factsOf(AttrKind kind) {
    for (const KindFacts& facts : kKinds)
        if (facts.kind == kind)
            return facts;
    return kKinds[0];
}

Status checkLength(const AttrRule& rule, int length) {
    if (rule.lengths.empty())
        return Status::ok();
    for (int allowed : rule.lengths)
        if (length == allowed)
            return Status::ok();
    std::string allowed;
    for (int l : rule.lengths)
        allowed += (allowed.empty() ? "" : " or ") + std::to_string(l);
    return Status::error("attribute " + std::string(rule.name) + " has " + std::to_string(length) +
                         " values; it takes " + allowed);
}

Status checkInt(const AttrRule& rule, std::int64_t v) {
    if (v < rule.min || v > rule.max)
        return Status::error("attribute " + std::string(rule.name) + " is " + std::to_string(v) +
                             "; it must lie in [" + std::to_string(rule.min) + ", " +
                             std::to_string(rule.max) + "]");
    return Status::ok();
}

Status checkFloat(const AttrRule& rule, float v) {
    if (!std::isfinite(v) || v < rule.low || v > rule.high)
        return Status::error("attribute " + std::string(rule.name) + " is " + std::to_string(v) +
                             ", out of its range");
    return Status::ok();
}

Status checkString(const AttrRule& rule, const std::string& v) {
    if (rule.choices.empty())
        return Status::ok();
    std::string allowed;
    for (std::string_view c : rule.choices) {
        if (v == c)
            return Status::ok();
        allowed += (allowed.empty() ? "" : ", ") + std::string(c);
    }
    return Status::error("attribute " + std::string(rule.name) + " is \"" + v +
                         "\"; NetCanvas reads " + allowed);
}

Status checkAttribute(const onnx::AttributeProto& a, const AttrRule& rule) {
    if (a.type() != factsOf(rule.kind).proto)
        return Status::error("attribute " + a.name() + " is not " + factsOf(rule.kind).name);
    switch (rule.kind) {
    case AttrKind::Int:
        return checkInt(rule, a.i());
    case AttrKind::Ints:
        if (Status s = checkLength(rule, a.ints_size()); !s)
            return s;
        for (std::int64_t v : a.ints())
            if (Status s = checkInt(rule, v); !s)
                return s;
        return Status::ok();
    case AttrKind::Float:
        return checkFloat(rule, a.f());
    case AttrKind::Floats:
        if (Status s = checkLength(rule, a.floats_size()); !s)
            return s;
        for (float v : a.floats())
            if (Status s = checkFloat(rule, v); !s)
                return s;
        return Status::ok();
    case AttrKind::String:
        return checkString(rule, a.s());
    case AttrKind::Strings:
        if (Status s = checkLength(rule, a.strings_size()); !s)
            return s;
        for (const std::string& v : a.strings())
            if (Status s = checkString(rule, v); !s)
                return s;
        return Status::ok();
    case AttrKind::Tensor:
        return checkTensor(a.t()).prefixed("attribute " + a.name() + ": ");
    }
    return Status::ok();
}

// Bytes per element of the raw form, and how many values the typed fields hold.
struct Storage {
    int elementSize = 0; // 0: a type NetCanvas does not read
    int typedCount = 0;
};

Storage storageOf(const onnx::TensorProto& t) {
    using T = onnx::TensorProto;
    switch (t.data_type()) {
    case T::FLOAT:
        return {4, t.float_data_size()};
    case T::DOUBLE:
        return {8, t.double_data_size()};
    case T::INT64:
        return {8, t.int64_data_size()};
    case T::INT32:
        return {4, t.int32_data_size()};
    default:
        return {};
    }
}

} // namespace

std::string elementTypeName(int dataType) {
    if (!onnx::TensorProto::DataType_IsValid(dataType) || dataType == 0)
        return "unknown";
    std::string name = onnx::TensorProto::DataType_Name(onnx::TensorProto::DataType(dataType));
    for (char& c : name)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

std::string nodeLabel(const onnx::NodeProto& n, int index) {
    if (!n.name().empty())
        return n.name();
    for (const std::string& output : n.output())
        if (!output.empty())
            return output;
    return "#" + std::to_string(index);
}

const OpRule* findOpRule(std::string_view op) {
    static const std::map<std::string_view, const OpRule*> table = [] {
        std::map<std::string_view, const OpRule*> all;
        for (std::span<const OpRule> family :
             {spatialRules(), denseRules(), layerRules(), recurrentRules(), shapeRules()})
            for (const OpRule& rule : family)
                all.emplace(rule.op, &rule);
        return all;
    }();
    auto found = table.find(op);
    return found == table.end() ? nullptr : found->second;
}

Status checkTensor(const onnx::TensorProto& t) {
    const std::string what = "tensor \"" + t.name() + "\"";
    if (t.data_location() == onnx::TensorProto::EXTERNAL)
        return Status::error(what + " is stored in an external file");
    if (t.has_segment())
        return Status::error(what + " is stored in segments");
    std::int64_t count = 1;
    for (std::int64_t d : t.dims()) {
        if (d < 0 || d > kMaxElements)
            return Status::error(what + " has a dimension of " + std::to_string(d));
        count = count > kMaxElements / std::max<std::int64_t>(d, 1) ? kMaxElements + 1 : count * d;
    }
    if (count > kMaxElements)
        return Status::error(what + " has more than 2^31 elements");
    const Storage storage = storageOf(t);
    if (!storage.elementSize)
        return Status::error(what + " has data type " + std::to_string(t.data_type()) +
                             ", which NetCanvas does not read (it reads float, double, int32 "
                             "and int64)");
    const bool raw = t.has_raw_data();
    if (raw && storage.typedCount)
        return Status::error(what + " stores its values twice (raw and typed)");
    const std::int64_t stored = raw ? std::int64_t(t.raw_data().size())
                                    : std::int64_t(storage.typedCount) * storage.elementSize;
    if (stored != count * storage.elementSize)
        return Status::error(what + " holds " + std::to_string(stored / storage.elementSize) +
                             " values for " + std::to_string(count) + " elements");
    return Status::ok();
}

Status checkNode(const onnx::NodeProto& n, const OpRule& rule) {
    const std::string op(rule.op);
    if (n.input_size() < rule.minInputs || n.input_size() > rule.maxInputs)
        return Status::error("it has " + std::to_string(n.input_size()) + " inputs; " + op +
                             " takes " + std::to_string(rule.minInputs) +
                             (rule.maxInputs > rule.minInputs
                                  ? " to " + std::to_string(rule.maxInputs)
                                  : std::string()));
    for (int i = 0; i < rule.minInputs; ++i)
        if (n.input(i).empty())
            return Status::error("its input " + std::to_string(i) + " is missing");
    if (std::all_of(n.output().begin(), n.output().end(),
                    [](const std::string& o) { return o.empty(); }))
        return Status::error("it has no output");
    if (n.output_size() > rule.maxOutputs)
        return Status::error("it has " + std::to_string(n.output_size()) + " outputs; " + op +
                             " has at most " + std::to_string(rule.maxOutputs));
    std::set<std::string> seen;
    for (const onnx::AttributeProto& a : n.attribute()) {
        if (!seen.insert(a.name()).second)
            return Status::error("attribute " + a.name() + " is given twice");
        const AttrRule* found = nullptr;
        for (const AttrRule& r : rule.attrs)
            if (r.name == a.name())
                found = &r;
        if (!found)
            return Status::error("attribute " + a.name() + " is not one NetCanvas reads for " + op);
        if (Status s = checkAttribute(a, *found); !s)
            return s;
    }
    return Status::ok();
}

} // namespace nc::engine::onnximport
