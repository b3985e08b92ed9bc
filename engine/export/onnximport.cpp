#include "onnximport.h"

#include "onnximporter.h"

#include "core/inputfile.h"
#include "engine/io/protowire.h"

#include <algorithm>
#include <cstring>

namespace nc::engine {

using nc::core::Status;

namespace onnximport {

namespace {

// Far beyond any graph a canvas shows; the cap keeps the parsed file's memory near its size.
constexpr std::int64_t kMaxNodes = 100000, kMaxInitializers = 100000;
constexpr std::int64_t kNewestOpset = 21;

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

// Counts the graph's nodes and initializers on the wire, before the file is parsed.
Status checkCounts(std::string_view bytes) {
    ProtoReader model(bytes);
    ProtoField field;
    std::int64_t nodes = 0, initializers = 0;
    while (model.next(field)) {
        if (field.number != 7 || field.type != WireType::Bytes) // ModelProto.graph
            continue;
        ProtoReader graph(field.bytes);
        ProtoField g;
        while (graph.next(g)) {
            nodes += g.number == 1;        // GraphProto.node
            initializers += g.number == 5; // GraphProto.initializer
        }
    }
    if (nodes > kMaxNodes)
        return Status::error("it has " + std::to_string(nodes) +
                             " nodes; NetCanvas imports at most " + std::to_string(kMaxNodes));
    if (initializers > kMaxInitializers)
        return Status::error("it has " + std::to_string(initializers) +
                             " initializers; NetCanvas imports at most " +
                             std::to_string(kMaxInitializers));
    return Status::ok();
}

} // namespace

// --- attributes and tensors

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

std::vector<float> attrFloats(const onnx::NodeProto& n, const std::string& name) {
    const auto* a = findAttr(n, name);
    return a ? std::vector<float>(a->floats().begin(), a->floats().end()) : std::vector<float>{};
}

std::vector<std::string> attrStrings(const onnx::NodeProto& n, const std::string& name) {
    const auto* a = findAttr(n, name);
    return a ? std::vector<std::string>(a->strings().begin(), a->strings().end())
             : std::vector<std::string>{};
}

bool hasAttr(const onnx::NodeProto& n, const std::string& name) {
    return findAttr(n, name) != nullptr;
}

Tensor transposed(const Tensor& m) {
    Tensor t({m.dim(1), m.dim(0)});
    for (std::int64_t i = 0; i < m.dim(0); ++i)
        for (std::int64_t j = 0; j < m.dim(1); ++j)
            t[j * m.dim(0) + i] = m[i * m.dim(1) + j];
    return t;
}

std::optional<std::int64_t> normalizedAxis(std::int64_t axis, std::int64_t rank) {
    if (axis < -rank || axis >= rank)
        return std::nullopt;
    return axis < 0 ? axis + rank : axis;
}

Result<Tensor> tensorOf(const onnx::TensorProto& t) {
    if (Status s = checkTensor(t); !s)
        return s;
    const Dims dims(t.dims().begin(), t.dims().end());
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
    default: {
        auto d = intsOf(t);
        if (!d)
            return d.status();
        values.assign(d.value().begin(), d.value().end());
    }
    }
    Tensor out(dims.empty() ? Dims{1} : dims);
    std::copy(values.begin(), values.end(), out.data());
    return out;
}

Result<std::vector<std::int64_t>> intsOf(const onnx::TensorProto& t) {
    if (Status s = checkTensor(t); !s)
        return s;
    if (t.data_type() == onnx::TensorProto::INT64) {
        auto values = t.has_raw_data()
                          ? rawValues<std::int64_t>(t.raw_data())
                          : std::vector<std::int64_t>(t.int64_data().begin(), t.int64_data().end());
        // -2^63 stands for the batch among shape values; no shape or index holds it.
        if (std::find(values.begin(), values.end(), kBatch) != values.end())
            return Status::error("tensor \"" + t.name() + "\" holds -2^63");
        return values;
    }
    if (t.data_type() == onnx::TensorProto::INT32) {
        auto d = t.has_raw_data()
                     ? rawValues<std::int32_t>(t.raw_data())
                     : std::vector<std::int32_t>(t.int32_data().begin(), t.int32_data().end());
        return std::vector<std::int64_t>(d.begin(), d.end());
    }
    return Status::error("tensor \"" + t.name() + "\" is not an integer tensor");
}

// --- the importer

Importer::Importer(onnx::ModelProto& model, const std::string& source)
    : m_model(model), m_source(source) {}

const Known* Importer::known(const std::string& name) {
    auto found = m_values.find(name);
    if (found == m_values.end())
        return nullptr;
    if (const Pending* p = std::get_if<Pending>(&found->second)) {
        // Checked by prepare(): the conversion reads within the stored values.
        const onnx::TensorProto& t = *p->proto;
        if (t.data_type() == onnx::TensorProto::INT64 || t.data_type() == onnx::TensorProto::INT32)
            found->second = Ints{intsOf(t).value(), t.dims_size() == 0};
        else
            found->second = tensorOf(t).value();
    }
    return &found->second;
}

Result<Ref> Importer::ref(const std::string& name) {
    const Known* value = known(name);
    if (!value)
        return Status::error("its input \"" + name + "\" comes from nothing NetCanvas imported");
    if (const Ref* r = std::get_if<Ref>(value))
        return *r;
    if (std::holds_alternative<RecurrentView>(*value))
        return Status::error("it reads a recurrent layer's output in a layout NetCanvas does "
                             "not have (\"" +
                             name + "\")");
    return Status::error("its input \"" + name +
                         "\" is a constant where NetCanvas needs a layer's output");
}

const Tensor* Importer::constant(const std::string& name) {
    const Known* value = known(name);
    return value ? std::get_if<Tensor>(value) : nullptr;
}

const Ints* Importer::ints(const std::string& name) {
    const Known* value = known(name);
    return value ? std::get_if<Ints>(value) : nullptr;
}

bool Importer::isView(const std::string& name) {
    const Known* value = known(name);
    return value && std::holds_alternative<RecurrentView>(*value);
}

bool Importer::isZeros(const std::string& name) {
    const Known* value = known(name);
    return value && std::holds_alternative<Zeros>(*value);
}

int Importer::elementType(const std::string& name) {
    const Known* value = known(name);
    if (!value)
        return 0;
    if (std::holds_alternative<Ints>(*value))
        return onnx::TensorProto::INT64;
    if (const Ref* r = std::get_if<Ref>(value); r && r->node == m_input)
        return m_inputType;
    return onnx::TensorProto::FLOAT;
}

Dims Importer::dims(const std::string& name) {
    const Known* value = known(name);
    const Ref* r = value ? std::get_if<Ref>(value) : nullptr;
    return r ? dimsOf(*r) : Dims{};
}

Dims Importer::dimsOf(Ref r) {
    const nc::graph::InferenceResult& shapes = m_live.update(m_result.graph);
    const auto* node = shapes.node(r.node);
    if (node && std::size_t(r.port) < node->outputs.size() && node->outputs[r.port])
        return Dims(node->outputs[r.port]->begin(), node->outputs[r.port]->end());
    return {};
}

std::string Importer::nameOf(NodeId id) const {
    const nc::graph::Node* n = m_result.graph.node(id);
    return n ? n->name : std::string();
}

std::string Importer::uniqueName(const std::string& base) {
    if (m_names.insert(base).second)
        return base;
    int& next = m_nextSuffix[base];
    std::string name;
    do
        name = base + "_" + std::to_string(++next);
    while (!m_names.insert(name).second);
    return name;
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
    return m_result.graph.addNode(type, {}, uniqueName(base));
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
    if (Status s = m_result.graph.setParam(id, param, std::move(value)); !s)
        return Status::error(nameOf(id) + "." + param + ": " + s.message());
    return Status::ok();
}

Status Importer::wire(Ref from, NodeId to, nc::graph::PortIndex port) {
    m_depth[to] = std::max(m_depth[to], m_depth[from.node] + 1);
    return m_result.graph.connect({from.node, from.port, to, port});
}

void Importer::weight(NodeId id, const std::string& suffix, Tensor value) {
    m_result.weights.emplace_back(nameOf(id) + "." + suffix, std::move(value));
}

int Importer::readers(const std::string& name) const {
    std::string root = name;
    for (auto a = m_aliasOf.find(root); a != m_aliasOf.end(); a = m_aliasOf.find(root))
        root = a->second;
    auto found = m_readers.find(root);
    return found == m_readers.end() ? 0 : found->second;
}

void Importer::alias(const std::string& name, const std::string& of) {
    std::string root = of;
    for (auto a = m_aliasOf.find(root); a != m_aliasOf.end(); a = m_aliasOf.find(root))
        root = a->second;
    // The alias node was one reader of the value; the alias's own readers now read it.
    m_readers[root] += m_readers[name] - 1;
    m_aliasOf[name] = root;
}

Tensor Importer::release(const std::string& name, const Tensor& value) {
    auto found = m_values.find(name);
    if (readers(name) == 1 && found != m_values.end() && &std::get<Tensor>(found->second) == &value)
        return std::move(std::get<Tensor>(found->second));
    return value;
}

Status Importer::prepare() {
    onnx::GraphProto& g = *m_model.mutable_graph();
    for (const onnx::TensorProto& t : g.initializer()) {
        if (Status s = checkTensor(t); !s)
            return s.prefixed("initializer: ");
        if (t.data_type() == onnx::TensorProto::INT64)
            if (auto v = intsOf(t); !v)
                return v.status().prefixed("initializer: ");
        bind(t.name(), Pending{&t});
    }
    // Every node against its rule, before ONNX's shape inference reads any attribute.
    for (int i = 0; i < g.node_size(); ++i) {
        const onnx::NodeProto& n = g.node(i);
        const std::string where = "node \"" + nodeLabel(n, i) + "\" (" + n.op_type() + "): ";
        if (!n.domain().empty() && n.domain() != "ai.onnx")
            return Status::error(where + "its operator is of the domain \"" + n.domain() +
                                 "\"; NetCanvas has no layer for it");
        const OpRule* rule = findOpRule(n.op_type());
        if (!rule)
            return Status::error(where + "NetCanvas has no layer for this operator");
        if (Status s = checkNode(n, *rule); !s)
            return s.prefixed(where);
        for (int k = 0; k < n.input_size(); ++k) {
            ++m_readers[n.input(k)];
            m_consumers[n.input(k)].emplace_back(&n, k);
        }
    }
    for (const auto& out : g.output()) // a graph output reads its value too
        ++m_readers[out.name()];
    for (const auto& opset : m_model.opset_import())
        if (opset.domain().empty() || opset.domain() == "ai.onnx")
            m_opset = opset.version();
    return Status::ok();
}

Status Importer::addInput() {
    // The one real input (initializers listed as inputs too, IR < 4, are not).
    std::vector<const onnx::ValueInfoProto*> inputs;
    for (const auto& v : m_model.graph().input())
        if (!m_values.count(v.name()))
            inputs.push_back(&v);
    if (inputs.size() != 1)
        return Status::error("it has " + std::to_string(inputs.size()) +
                             " inputs; NetCanvas graphs have one");
    const std::string& name = inputs[0]->name();
    const auto& declared = inputs[0]->type().tensor_type();
    m_inputType = declared.elem_type();
    if (m_inputType != onnx::TensorProto::FLOAT && m_inputType != onnx::TensorProto::INT64 &&
        m_inputType != onnx::TensorProto::INT32)
        return Status::error("its input \"" + name + "\" holds " + elementTypeName(m_inputType) +
                             " values; NetCanvas reads float (or integer token ids)");
    // The declared shape: a batch (any first dimension), then fixed sizes.
    Dims inputDims;
    for (int i = 1; i < declared.shape().dim_size(); ++i)
        inputDims.push_back(
            declared.shape().dim(i).has_dim_value() ? declared.shape().dim(i).dim_value() : -1);
    if (inputDims.empty())
        return Status::error("its input \"" + name + "\" has no per-sample shape");
    std::int64_t count = 1;
    for (std::int64_t d : inputDims) {
        if (d <= 0)
            return Status::error("its input \"" + name +
                                 "\" has a dimension that is not fixed besides the batch");
        if (d > kMaxElements / count)
            return Status::error("its input \"" + name + "\" has more than 2^31 elements");
        count *= d;
    }
    auto input = m_result.graph.addNode("Input", {}, uniqueName("input"));
    if (!input)
        return input.status();
    if (Status s = set(input.value(), "shape", nc::graph::IntList(inputDims)); !s)
        return s;
    bind(name, Ref{input.value(), 0});
    m_input = input.value();
    return Status::ok();
}

Result<OnnxImport> Importer::run() {
    m_listener = m_result.graph.addListener(
        [this](const nc::graph::GraphChange& change) { m_live.noteChange(change); });
    const Status built = build();
    m_result.graph.removeListener(m_listener);
    if (!built)
        return built;
    return std::move(m_result);
}

Status Importer::build() {
    if (Status s = prepare(); !s)
        return s;
    if (Status s = addInput(); !s)
        return s;
    const onnx::GraphProto& g = m_model.graph();
    for (int i = 0; i < g.node_size(); ++i) {
        const onnx::NodeProto& n = g.node(i);
        const OpRule* rule = findOpRule(n.op_type()); // found by prepare()
        if (Status s = (this->*(rule->handler))(n); !s)
            return Status::error("node \"" + nodeLabel(n, i) + "\" (" + n.op_type() +
                                 "): " + s.message());
    }
    for (const auto& out : g.output()) {
        auto r = ref(out.name());
        if (!r)
            return Status::error("its output \"" + out.name() + "\": " + r.message());
    }
    if (g.output_size() > 0) {
        const nc::graph::IntList target(dims(g.output(0).name()));
        if (Status s = set(m_input, "target_shape", target); !s)
            m_result.notes.push_back("the Input's target shape is left as it was: " + s.message());
        else
            m_result.notes.push_back("the Input's target shape is the output's shape (" +
                                     nc::graph::formatParamValue(target) +
                                     "); for class labels (SoftmaxCrossEntropy) set it to 1");
    }
    // Columns by depth, rows in reading order.
    for (const auto& [id, depth] : m_depth) {
        const int row = m_perDepth[depth]++;
        (void)m_result.graph.move(id, {double(depth) * 286.0, double(row) * 236.0});
    }
    m_result.notes.push_back("the graph has no loss: add one (e.g. SoftmaxCrossEntropy on the "
                             "logits) to train it");
    return Status::ok();
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
    if (bytes.size() > std::size_t(INT32_MAX))
        return Status::error(source + ": larger than an ONNX model can be (2 GiB)");
    if (Status s = onnximport::checkCounts(bytes); !s)
        return Status::error(source + ": " + s.message());
    onnx::ModelProto model;
    if (!model.ParseFromArray(bytes.data(), int(bytes.size())))
        return Status::error(source + ": not an ONNX model (the protobuf does not parse)");
    if (!model.has_graph())
        return Status::error(source + ": an ONNX model without a graph");
    bool onnxDomain = false;
    for (const auto& opset : model.opset_import()) {
        if (!opset.domain().empty() && opset.domain() != "ai.onnx")
            continue;
        onnxDomain = true;
        if (opset.version() < 7)
            return Status::error(source + ": opset " + std::to_string(opset.version()) +
                                 " is older than NetCanvas reads (7)");
        if (opset.version() > onnximport::kNewestOpset)
            return Status::error(source + ": opset " + std::to_string(opset.version()) +
                                 " is newer than NetCanvas reads (" +
                                 std::to_string(onnximport::kNewestOpset) + ")");
    }
    if (!onnxDomain)
        return Status::error(source + ": it names no opset of ONNX's own operators");
    onnximport::Importer importer(model, source);
    auto result = importer.run();
    if (!result)
        return Status::error(source + ": " + result.message());
    return result;
}

} // namespace nc::engine
