#pragma once
// The ONNX importer's working state, shared by its files: what every ONNX tensor name stands
// for while the nodes are read in order. Internal to engine/export.

#include "onnximport.h"

#include "graph_model/shapeinference.h"

#include <onnx/onnx_pb.h>

#include <map>
#include <optional>
#include <set>
#include <variant>

namespace nc::engine::onnximport {

using nc::core::Result;
using nc::core::Status;
using nc::graph::NodeId;

// A value of the graph being built: a node's output, shaped per sample.
struct Ref {
    NodeId node = nc::graph::kNoNode;
    nc::graph::PortIndex port = 0;
};
// Integers known at import time (shapes, indices); kBatch stands for the batch size.
inline constexpr std::int64_t kBatch = INT64_MIN;
struct Ints {
    std::vector<std::int64_t> values;
    bool scalar = false;
};
// An output of a recurrent node in ONNX's layout, axes named T (time), D (direction), N
// (batch), H (units), K (D*H merged), until a transpose/squeeze/reshape makes it one of
// NetCanvas's two outputs: [N, T, D*H] (sequences) or [N, D*H] (last step).
struct RecurrentView {
    NodeId node = nc::graph::kNoNode;
    std::string axes;
    std::int64_t directions = 1;
};
using Known = std::variant<Ref, Ints, Tensor, RecurrentView>;

class Importer {
public:
    Importer(const onnx::ModelProto& model, const std::string& source);
    Result<OnnxImport> run();

    // onnximportlayers.cpp: one handler per operator family.
    Status node(const onnx::NodeProto& n);

private:
    // Values.
    Result<Ref> ref(const std::string& name) const;
    const Tensor* constant(const std::string& name) const;
    const Ints* ints(const std::string& name) const;
    Dims dims(const std::string& name) const; // per sample, from ONNX's shape inference
    void bind(const std::string& name, Known value) { m_values[name] = std::move(value); }

    // Building.
    Result<NodeId> add(const std::string& type, const onnx::NodeProto& n,
                       const std::string& weightName = {});
    // A node fed by `in` on its first port, standing for the ONNX node's first output.
    Result<NodeId> layer(const std::string& type, const onnx::NodeProto& n, Ref in,
                         const std::string& weightName = {});
    Status set(NodeId id, const std::string& param, nc::graph::ParamValue value);
    Status wire(Ref from, NodeId to, nc::graph::PortIndex port = 0);
    void weight(NodeId id, const std::string& suffix, Tensor value);
    std::string nameOf(NodeId id) const;

    // onnximportlayers.cpp
    Status convolution(const onnx::NodeProto& n, bool transposed);
    Status pool(const onnx::NodeProto& n);
    Status dense(const onnx::NodeProto& n);
    Status activation(const onnx::NodeProto& n, const std::string& function, double alpha);
    Status reshape(const onnx::NodeProto& n);
    Status recurrent(const onnx::NodeProto& n);
    Status recurrentView(const onnx::NodeProto& n, RecurrentView view);
    Status resize(const onnx::NodeProto& n);
    Status batchNorm(const onnx::NodeProto& n);
    Status shapeArithmetic(const onnx::NodeProto& n); // Shape, Gather, Unsqueeze, Concat...

    const onnx::ModelProto& m_model;
    std::string m_source;
    OnnxImport m_result;
    std::map<std::string, Known> m_values;
    std::map<std::string, std::vector<std::int64_t>> m_shapes; // full ONNX shapes, -1 unknown
    std::map<std::string, int> m_readers;                      // consumers per tensor name
    std::set<std::string> m_names;
    // The graph's shapes, inferred once per edit (add, set and wire drop them).
    mutable std::optional<nc::graph::InferenceResult> m_inferred;
    std::map<NodeId, int> m_depth;
    std::map<std::string, Ref> m_timeMajor;       // Transpose [1,0,2] of a sequence
    std::map<NodeId, bool> m_returnSequences;     // decided by how outputs are read
    std::set<NodeId> m_biasless;                  // Dense from MatMul, bias still to come
    std::set<std::string> m_zeros;                // ConstantOfShape(…, 0): zero states
    std::map<std::string, NodeId> m_convOfWeight; // initializer -> the Conv2D using it
    std::map<int, int> m_perDepth;
};

// Attributes.
std::int64_t attrInt(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback);
float attrFloat(const onnx::NodeProto& n, const std::string& name, float fallback);
std::string attrString(const onnx::NodeProto& n, const std::string& name,
                       const std::string& fallback);
std::vector<std::int64_t> attrInts(const onnx::NodeProto& n, const std::string& name);
// An initializer or Constant value as floats (float, double or int types).
Result<Tensor> tensorOf(const onnx::TensorProto& t);
Result<std::vector<std::int64_t>> intsOf(const onnx::TensorProto& t);

} // namespace nc::engine::onnximport
