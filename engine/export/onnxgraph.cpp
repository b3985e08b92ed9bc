#include "onnxgraph.h"

namespace nc::engine::onnxexport {

namespace {

void setAttribute(onnx::AttributeProto& a, const Attr& attr) {
    a.set_name(attr.name);
    if (auto* i = std::get_if<std::int64_t>(&attr.value)) {
        a.set_type(onnx::AttributeProto::INT);
        a.set_i(*i);
    } else if (auto* f = std::get_if<float>(&attr.value)) {
        a.set_type(onnx::AttributeProto::FLOAT);
        a.set_f(*f);
    } else if (auto* s = std::get_if<std::string>(&attr.value)) {
        a.set_type(onnx::AttributeProto::STRING);
        a.set_s(*s);
    } else if (auto* is = std::get_if<std::vector<std::int64_t>>(&attr.value)) {
        a.set_type(onnx::AttributeProto::INTS);
        for (std::int64_t v : *is)
            a.add_ints(v);
    } else if (auto* fs = std::get_if<std::vector<float>>(&attr.value)) {
        a.set_type(onnx::AttributeProto::FLOATS);
        for (float v : *fs)
            a.add_floats(v);
    } else {
        a.set_type(onnx::AttributeProto::STRINGS);
        for (const std::string& v : std::get<std::vector<std::string>>(attr.value))
            a.add_strings(v);
    }
}

void setType(onnx::ValueInfoProto& info, const std::string& name,
             const std::vector<std::int64_t>& perSample) {
    info.set_name(name);
    auto* tensor = info.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tensor->mutable_shape();
    shape->add_dim()->set_dim_param(kBatchDim);
    for (std::int64_t d : perSample)
        shape->add_dim()->set_dim_value(d);
}

} // namespace

void OnnxGraph::node(const std::string& op, const std::vector<std::string>& inputs,
                     const std::vector<std::string>& outputs, const std::vector<Attr>& attrs) {
    onnx::NodeProto* n = m_graph.add_node();
    n->set_op_type(op);
    n->set_name(outputs.empty() ? op : outputs[0] + "/" + op);
    for (const std::string& in : inputs)
        n->add_input(in);
    for (const std::string& out : outputs) {
        n->add_output(out);
        m_names.insert(out);
    }
    for (const Attr& attr : attrs)
        setAttribute(*n->add_attribute(), attr);
}

void OnnxGraph::initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                            const float* data) {
    onnx::TensorProto* t = m_graph.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t count = 1;
    for (std::int64_t d : dims) {
        t->add_dims(d);
        count *= d;
    }
    t->set_raw_data(
        std::string(reinterpret_cast<const char*>(data), std::size_t(count) * sizeof(float)));
    m_names.insert(name);
}

std::string OnnxGraph::constantInts(const std::string& base,
                                    const std::vector<std::int64_t>& values) {
    const std::string name = fresh(base);
    onnx::TensorProto* t = m_graph.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(std::int64_t(values.size()));
    for (std::int64_t v : values)
        t->add_int64_data(v);
    return name;
}

std::string OnnxGraph::constantFloats(const std::string& base, const std::vector<float>& values) {
    const std::string name = fresh(base);
    initializer(name, {std::int64_t(values.size())}, values.data());
    return name;
}

void OnnxGraph::input(const std::string& name, const std::vector<std::int64_t>& perSample) {
    setType(*m_graph.add_input(), name, perSample);
    m_names.insert(name);
}

void OnnxGraph::output(const std::string& name, const std::vector<std::int64_t>& perSample) {
    setType(*m_graph.add_output(), name, perSample);
}

std::string OnnxGraph::fresh(const std::string& base) {
    std::string name = base;
    for (int i = 2; m_names.count(name); ++i)
        name = base + "_" + std::to_string(i);
    m_names.insert(name);
    return name;
}

} // namespace nc::engine::onnxexport
