#pragma once
// A thin writer over ONNX's GraphProto for the exporter: nodes with attributes, float and
// int64 initializers, typed inputs and outputs with a symbolic batch dimension, and unique
// names for the tensors between the nodes one layer becomes. Internal to engine/export.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace nc::engine::onnxexport {

inline constexpr const char* kBatchDim = "batch";

struct Attr {
    std::string name;
    std::variant<std::int64_t, float, std::string, std::vector<std::int64_t>, std::vector<float>,
                 std::vector<std::string>>
        value;
};

class OnnxGraph {
public:
    explicit OnnxGraph(onnx::GraphProto& graph) : m_graph(graph) {}

    void node(const std::string& op, const std::vector<std::string>& inputs,
              const std::vector<std::string>& outputs, const std::vector<Attr>& attrs = {});
    // A float initializer; `name` must be new.
    void initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                     const float* data);
    // A new int64 / float initializer named after `base`; returns its name.
    std::string constantInts(const std::string& base, const std::vector<std::int64_t>& values);
    std::string constantFloats(const std::string& base, const std::vector<float>& values);
    // Graph inputs and outputs: float, [batch, perSample...].
    void input(const std::string& name, const std::vector<std::int64_t>& perSample);
    void output(const std::string& name, const std::vector<std::int64_t>& perSample);
    // A tensor name not used yet, derived from `base`.
    std::string fresh(const std::string& base);
    void reserve(const std::string& name) { m_names.insert(name); }

private:
    onnx::GraphProto& m_graph;
    std::set<std::string> m_names;
};

} // namespace nc::engine::onnxexport
