#include "onnximport.h"

#include "onnximporter.h"

#include "core/inputfile.h"

#include <onnx/shape_inference/implementation.h>

#include <cstring>

namespace nc::engine {

using nc::core::Status;

namespace onnximport {

// --- attributes and tensors

namespace {

const onnx::AttributeProto* findAttr(const onnx::NodeProto& n, const std::string& name) {
    for (const auto& a : n.attribute())
        if (a.name() == name)
            return &a;
    return nullptr;
}

template <typename T> std::vector<T> rawValues(const std::string& raw) {
    std::vector<T> out(raw.size() / sizeof(T));
    std::memcpy(out.data(), raw.data(), out.size() * sizeof(T));
    return out;
}

Dims dimsOf(const onnx::TensorProto& t) {
    return Dims(t.dims().begin(), t.dims().end());
}

std::int64_t countOf(const Dims& d) {
    std::int64_t n = 1;
    for (std::int64_t v : d)
        n *= v;
    return n;
}

} // namespace

std::int64_t attrInt(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
    const auto* a = findAttr(n, name);
    return a ? a->i() : fallback;
}

float attrFloat(const onnx::NodeProto& n, const std::string& name, float fallback) {
    const auto* a = findAttr(n, name);
    return a ? a->f() : fallback;
}

std::string attrString(const onnx::NodeProto& n, const std::string& name,
                       const std::string& fallback) {
    const auto* a = findAttr(n, name);
    return a ? a->s() : fallback;
}

std::vector<std::int64_t> attrInts(const onnx::NodeProto& n, const std::string& name) {
    const auto* a = findAttr(n, name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end())
             : std::vector<std::int64_t>{};
}

Result<Tensor> tensorOf(const onnx::TensorProto& t) {
    if (t.data_location() == onnx::TensorProto::EXTERNAL)
        return Status::error("tensor \"" + t.name() + "\" is stored in an external file");
    const Dims dims = dimsOf(t);
    for (std::int64_t d : dims)
        if (d < 0 || d > (std::int64_t(1) << 31))
            return Status::error("tensor \"" + t.name() + "\" has a dimension of " +
                                 std::to_string(d));
    std::vector<float> values;
    const bool raw = t.has_raw_data();
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
        values = raw ? rawValues<float>(t.raw_data())
                     : std::vector<float>(t.float_data().begin(), t.float_data().end());
        break;
    case onnx::TensorProto::DOUBLE: {
        auto d = raw ? rawValues<double>(t.raw_data())
                     : std::vector<double>(t.double_data().begin(), t.double_data().end());
        values.assign(d.begin(), d.end());
        break;
    }
    case onnx::TensorProto::INT64: {
        auto d = raw ? rawValues<std::int64_t>(t.raw_data())
                     : std::vector<std::int64_t>(t.int64_data().begin(), t.int64_data().end());
        values.assign(d.begin(), d.end());
        break;
    }
    case onnx::TensorProto::INT32: {
        auto d = raw ? rawValues<std::int32_t>(t.raw_data())
                     : std::vector<std::int32_t>(t.int32_data().begin(), t.int32_data().end());
        values.assign(d.begin(), d.end());
        break;
    }
    default:
        return Status::error("tensor \"" + t.name() +
                             "\" has a data type NetCanvas does not read (" +
                             std::to_string(t.data_type()) + ")");
    }
    if (std::int64_t(values.size()) != countOf(dims))
        return Status::error("tensor \"" + t.name() + "\" holds " + std::to_string(values.size()) +
                             " values for its shape " + formatDims(dims));
    Tensor out(dims.empty() ? Dims{1} : dims);
    std::copy(values.begin(), values.end(), out.data());
    return out;
}

Result<std::vector<std::int64_t>> intsOf(const onnx::TensorProto& t) {
    if (t.data_type() == onnx::TensorProto::INT64)
        return t.has_raw_data()
                   ? rawValues<std::int64_t>(t.raw_data())
                   : std::vector<std::int64_t>(t.int64_data().begin(), t.int64_data().end());
    if (t.data_type() == onnx::TensorProto::INT32) {
        auto d = t.has_raw_data()
                     ? rawValues<std::int32_t>(t.raw_data())
                     : std::vector<std::int32_t>(t.int32_data().begin(), t.int32_data().end());
        return std::vector<std::int64_t>(d.begin(), d.end());
    }
    return Status::error("tensor \"" + t.name() + "\" is not an integer tensor");
}

// --- the importer

Importer::Importer(const onnx::ModelProto& model, const std::string& source)
    : m_model(model), m_source(source) {}

Result<Ref> Importer::ref(const std::string& name) const {
    auto found = m_values.find(name);
    if (found == m_values.end())
        return Status::error("its input \"" + name + "\" comes from nothing NetCanvas imported");
    if (const Ref* r = std::get_if<Ref>(&found->second))
        return *r;
    if (std::holds_alternative<RecurrentView>(found->second))
        return Status::error("it reads a recurrent layer's output in a layout NetCanvas does "
                             "not have (\"" +
                             name + "\")");
    return Status::error("its input \"" + name +
                         "\" is a constant where NetCanvas needs a "
                         "layer's output");
}

const Tensor* Importer::constant(const std::string& name) const {
    auto found = m_values.find(name);
    return found == m_values.end() ? nullptr : std::get_if<Tensor>(&found->second);
}

const Ints* Importer::ints(const std::string& name) const {
    auto found = m_values.find(name);
    return found == m_values.end() ? nullptr : std::get_if<Ints>(&found->second);
}

Dims Importer::dims(const std::string& name) const {
    // A layer's output: the graph's own shape inference knows it even where ONNX's does not
    // (a Reshape to a shape computed from Shape and Gather).
    if (auto bound = m_values.find(name); bound != m_values.end())
        if (const Ref* r = std::get_if<Ref>(&bound->second)) {
            if (!m_inferred)
                m_inferred = nc::graph::inferShapes(m_result.graph);
            const auto* node = m_inferred->node(r->node);
            if (node && std::size_t(r->port) < node->outputs.size() && node->outputs[r->port])
                return Dims(node->outputs[r->port]->begin(), node->outputs[r->port]->end());
        }
    auto found = m_shapes.find(name);
    if (found == m_shapes.end() || found->second.empty())
        return {};
    return Dims(found->second.begin() + 1, found->second.end());
}

std::string Importer::nameOf(NodeId id) const {
    const nc::graph::Node* n = m_result.graph.node(id);
    return n ? n->name : std::string();
}

Result<NodeId> Importer::add(const std::string& type, const onnx::NodeProto& n,
                             const std::string& weightName) {
    // "conv1.weight" -> conv1; "/features/conv1/Conv" -> features_conv1; else the type.
    std::string base;
    if (!weightName.empty() && weightName.find('.') != std::string::npos)
        base = weightName.substr(0, weightName.rfind('.'));
    if (base.empty() && !n.name().empty()) {
        std::string path = n.name();
        if (path.front() == '/')
            path = path.substr(1);
        if (const auto slash = path.rfind('/'); slash != std::string::npos)
            path = path.substr(0, slash); // "/conv1/Conv" -> conv1
        else
            for (char& c : path) // "/MaxPool" -> maxpool
                c = char(std::tolower(static_cast<unsigned char>(c)));
        for (char& c : path)
            if (c == '/' || c == '.')
                c = '_';
        base = path;
    }
    if (base.empty()) {
        base = type;
        for (char& c : base)
            c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string name = base;
    for (int i = 1; m_names.count(name); ++i)
        name = base + "_" + std::to_string(i);
    m_names.insert(name);
    m_inferred.reset();
    return m_result.graph.addNode(type, {}, name);
}

Result<NodeId> Importer::layer(const std::string& type, const onnx::NodeProto& n, Ref in,
                               const std::string& weightName) {
    auto id = add(type, n, weightName);
    if (!id)
        return id;
    if (Status s = wire(in, id.value()); !s)
        return s;
    bind(n.output(0), Ref{id.value(), 0});
    return id;
}

Status Importer::set(NodeId id, const std::string& param, nc::graph::ParamValue value) {
    m_inferred.reset();
    if (Status s = m_result.graph.setParam(id, param, std::move(value)); !s)
        return Status::error(nameOf(id) + "." + param + ": " + s.message());
    return Status::ok();
}

Status Importer::wire(Ref from, NodeId to, nc::graph::PortIndex port) {
    m_inferred.reset();
    m_depth[to] = std::max(m_depth[to], m_depth[from.node] + 1);
    return m_result.graph.connect({from.node, from.port, to, port});
}

void Importer::weight(NodeId id, const std::string& suffix, Tensor value) {
    m_result.weights.emplace_back(nameOf(id) + "." + suffix, std::move(value));
}

Status Importer::shapeArithmetic(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    const std::string out = n.output(0);
    if (op == "Shape") {
        const Dims d = dims(n.input(0));
        if (d.empty() && !m_shapes.count(n.input(0)))
            return Status::error("the shape of \"" + n.input(0) + "\" is not known");
        Ints shape{{kBatch}, false};
        shape.values.insert(shape.values.end(), d.begin(), d.end());
        bind(out, shape);
        return Status::ok();
    }
    if (op == "Constant") {
        for (const auto& a : n.attribute()) {
            if (a.name() == "value" && (a.t().data_type() == onnx::TensorProto::INT64 ||
                                        a.t().data_type() == onnx::TensorProto::INT32)) {
                auto v = intsOf(a.t());
                if (!v)
                    return v.status();
                bind(out, Ints{v.value(), a.t().dims_size() == 0});
                return Status::ok();
            }
            if (a.name() == "value") {
                auto t = tensorOf(a.t());
                if (!t)
                    return t.status();
                bind(out, t.value());
                return Status::ok();
            }
        }
        return Status::error("a Constant without a tensor value");
    }
    auto known = [&](int i) { return i < n.input_size() ? ints(n.input(i)) : nullptr; };
    const Ints* a = known(0);
    if (!a)
        return Status::error("it computes with values known only at run time");
    if (op == "Gather") {
        const Ints* index = known(1);
        if (!index)
            return Status::error("a Gather of shape values with computed indices");
        Ints result{{}, index->scalar};
        for (std::int64_t i : index->values) {
            const std::int64_t at = i < 0 ? i + std::int64_t(a->values.size()) : i;
            if (at < 0 || at >= std::int64_t(a->values.size()))
                return Status::error("a Gather index out of range");
            result.values.push_back(a->values[std::size_t(at)]);
        }
        bind(out, result);
        return Status::ok();
    }
    if (op == "Unsqueeze" || op == "Squeeze" || op == "Cast" || op == "Identity") {
        bind(out, Ints{a->values, op == "Squeeze"});
        return Status::ok();
    }
    if (op == "Concat") {
        Ints result;
        for (int i = 0; i < n.input_size(); ++i) {
            const Ints* part = known(i);
            if (!part)
                return Status::error("a Concat of shape values with a computed part");
            result.values.insert(result.values.end(), part->values.begin(), part->values.end());
        }
        bind(out, result);
        return Status::ok();
    }
    return Status::error("no import for this operator on shape values");
}

Result<OnnxImport> Importer::run() {
    const onnx::GraphProto& g = m_model.graph();
    std::set<std::string> initializers;
    for (const onnx::TensorProto& t : g.initializer()) {
        initializers.insert(t.name());
        if (t.data_type() == onnx::TensorProto::INT64 ||
            t.data_type() == onnx::TensorProto::INT32) {
            auto v = intsOf(t);
            if (!v)
                return v.status();
            bind(t.name(), Ints{v.value(), t.dims_size() == 0});
        } else {
            auto v = tensorOf(t);
            if (!v)
                return v.status();
            bind(t.name(), v.value());
        }
    }
    // Shapes of every tensor from ONNX's own inference.
    onnx::ModelProto inferred = m_model;
    try {
        onnx::shape_inference::InferShapes(inferred);
    } catch (const std::exception& e) {
        return Status::error(std::string("ONNX's shape inference fails on it: ") + e.what());
    }
    auto record = [&](const onnx::ValueInfoProto& v) {
        std::vector<std::int64_t> shape;
        for (const auto& d : v.type().tensor_type().shape().dim())
            shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
        m_shapes[v.name()] = shape;
    };
    for (const auto& v : inferred.graph().input())
        record(v);
    for (const auto& v : inferred.graph().value_info())
        record(v);
    for (const auto& v : inferred.graph().output())
        record(v);
    for (const onnx::NodeProto& n : g.node())
        for (const std::string& in : n.input())
            ++m_readers[in];

    // The one real input (initializers listed as inputs too, IR < 4, are not).
    std::vector<const onnx::ValueInfoProto*> inputs;
    for (const auto& v : g.input())
        if (!initializers.count(v.name()))
            inputs.push_back(&v);
    if (inputs.size() != 1)
        return Status::error("it has " + std::to_string(inputs.size()) +
                             " inputs; NetCanvas graphs have one");
    const Dims inputDims = dims(inputs[0]->name());
    if (inputDims.empty())
        return Status::error("its input \"" + inputs[0]->name() + "\" has no per-sample shape");
    for (std::int64_t d : inputDims)
        if (d <= 0)
            return Status::error("its input \"" + inputs[0]->name() +
                                 "\" has a dimension that is not fixed besides the batch");
    auto input = m_result.graph.addNode("Input", {}, "input");
    if (!input)
        return input.status();
    m_names.insert("input");
    if (Status s = set(input.value(), "shape", nc::graph::IntList(inputDims)); !s)
        return s;
    bind(inputs[0]->name(), Ref{input.value(), 0});

    for (const onnx::NodeProto& n : g.node())
        if (Status s = node(n); !s)
            return Status::error("node \"" + (n.name().empty() ? n.output(0) : n.name()) + "\" (" +
                                 n.op_type() + "): " + s.message());
    for (const auto& out : g.output()) {
        auto r = ref(out.name());
        if (!r)
            return Status::error("its output \"" + out.name() + "\": " + r.message());
    }
    if (g.output_size() > 0)
        if (Status s =
                set(input.value(), "target_shape", nc::graph::IntList(dims(g.output(0).name())));
            !s)
            m_result.notes.push_back("the Input's target shape is left as it was: " + s.message());
    // Columns by depth, rows in reading order.
    for (const auto& [id, depth] : m_depth) {
        const int row = m_perDepth[depth]++;
        (void)m_result.graph.move(id, {double(depth) * 286.0, double(row) * 236.0});
    }
    m_result.notes.push_back("the graph has no loss: add one (e.g. SoftmaxCrossEntropy on the "
                             "logits) to train it");
    return std::move(m_result);
}

} // namespace onnximport

nc::core::Result<std::string> readOnnxFile(const std::string& path) {
    constexpr std::uint64_t kMaxFile = std::uint64_t(2) << 30, kMaxStream = std::uint64_t(64) << 20;
    auto file = nc::core::InputFile::open(path);
    if (!file)
        return file.status();
    const std::uint64_t limit = file.value().size() ? kMaxFile : kMaxStream;
    if (file.value().size() && *file.value().size() > limit)
        return Status::error(path + " is larger than an ONNX model can be (2 GiB)");
    std::string bytes;
    auto got = file.value().read(std::size_t(limit) + 1, bytes);
    if (!got)
        return got.status();
    if (bytes.size() > limit)
        return Status::error(path + ": a pipe or device giving more than 64 MiB; save the model "
                                    "to a file first");
    return bytes;
}

nc::core::Result<OnnxImport> importOnnx(std::string_view bytes, const std::string& source) {
    onnx::ModelProto model;
    if (bytes.size() > std::size_t(INT32_MAX) ||
        !model.ParseFromArray(bytes.data(), int(bytes.size())))
        return Status::error(source + ": not an ONNX model (the protobuf does not parse)");
    if (!model.has_graph())
        return Status::error(source + ": an ONNX model without a graph");
    for (const auto& opset : model.opset_import())
        if ((opset.domain().empty() || opset.domain() == "ai.onnx") && opset.version() < 7)
            return Status::error(source + ": opset " + std::to_string(opset.version()) +
                                 " is older than NetCanvas reads (7)");
    onnximport::Importer importer(model, source);
    auto result = importer.run();
    if (!result)
        return Status::error(source + ": " + result.message());
    return result;
}

} // namespace nc::engine
