#pragma once
// The ONNX importer's working state, shared by its files: what every ONNX tensor name stands
// for while the nodes are read in order. Each operator's handler is listed in the table of
// onnxoprules.h with what it reads; the node has been checked against that rule before the
// handler runs. Internal to engine/export.

#include "onnximport.h"
#include "onnxoprules.h"

#include "graph_model/shapeinference.h"

#include <onnx/onnx_pb.h>

#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
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
// An initializer not yet read: converted on first use, so a file of many initializers costs
// no more than the parsed file until a layer needs them.
struct Pending {
    const onnx::TensorProto* proto = nullptr;
};
// An output of a recurrent node in ONNX's layout, axes named T (time), D (direction), N
// (batch), H (units), K (D*H merged), until a transpose/squeeze/reshape makes it one of
// NetCanvas's two outputs: [N, T, D*H] (sequences) or [N, D*H] (last step), or the
// time-major input of the next recurrent node of a stack.
// `states` has one node, or for h_n of a stack (Concat on D) each layer's node in order;
// `direction` is the one direction a Gather on D picked from a two-direction layer.
struct RecurrentView {
    std::vector<NodeId> states;
    std::string axes;
    std::int64_t directions = 1;
    std::int64_t direction = -1;
};
// Zeros shaped at run time (ConstantOfShape of 0, and slices of it): initial states.
struct Zeros {};
using Known = std::variant<Ref, Ints, Tensor, RecurrentView, Pending, Zeros>;

class Importer {
public:
    Importer(onnx::ModelProto& model, const std::string& source);
    Result<OnnxImport> run();

    // The handlers of the operator table (onnxoprules.h), by family.
    // onnximportspatial.cpp
    Status convolution(const onnx::NodeProto& n);
    Status pool(const onnx::NodeProto& n);
    Status globalAveragePool(const onnx::NodeProto& n);
    Status resize(const onnx::NodeProto& n);
    // onnximportdense.cpp
    Status gemm(const onnx::NodeProto& n);
    Status matMul(const onnx::NodeProto& n);
    // onnximportlayers.cpp
    Status activation(const onnx::NodeProto& n);
    Status reshape(const onnx::NodeProto& n);
    Status batchNorm(const onnx::NodeProto& n);
    Status dropout(const onnx::NodeProto& n);
    Status addition(const onnx::NodeProto& n); // Add, Sum
    Status concat(const onnx::NodeProto& n);
    Status passThrough(const onnx::NodeProto& n); // Identity, Cast
    Status pad(const onnx::NodeProto& n);
    // onnximportrecurrent.cpp
    Status recurrent(const onnx::NodeProto& n);
    Status transpose(const onnx::NodeProto& n);
    Status squeeze(const onnx::NodeProto& n);
    Status slice(const onnx::NodeProto& n);
    // onnximportshape.cpp
    Status shape(const onnx::NodeProto& n);
    Status constantNode(const onnx::NodeProto& n);
    Status constantOfShape(const onnx::NodeProto& n);
    Status gather(const onnx::NodeProto& n);
    Status unsqueeze(const onnx::NodeProto& n);

private:
    Status build();
    Status prepare(); // initializers and the checks of every node
    Status addInput();

    // Values.
    const Known* known(const std::string& name);
    Result<Ref> ref(const std::string& name);
    const Tensor* constant(const std::string& name);
    const Ints* ints(const std::string& name);
    bool isView(const std::string& name);
    bool isZeros(const std::string& name);
    // A layer output's shape per sample, from the graph's own inference (ONNX's shape
    // inference is never run: it crashes on malformed files); empty for other values.
    Dims dims(const std::string& name);
    Dims dimsOf(Ref r);
    void bind(const std::string& name, Known value) { m_values[name] = std::move(value); }
    int readers(const std::string& name) const;
    void alias(const std::string& name, const std::string& of);
    // The element type of a value (onnx::TensorProto::DataType): the graph input's declared
    // type, integers for shape values, float for every layer's output and constant.
    int elementType(const std::string& name);

    // Building.
    Result<NodeId> add(const std::string& type, const onnx::NodeProto& n,
                       const std::string& weightName = {});
    // A node fed by `in` on its first port, standing for the ONNX node's first output.
    Result<NodeId> layer(const std::string& type, const onnx::NodeProto& n, Ref in,
                         const std::string& weightName = {});
    Status set(NodeId id, const std::string& param, nc::graph::ParamValue value);
    Status wire(Ref from, NodeId to, nc::graph::PortIndex port = 0);
    void weight(NodeId id, const std::string& suffix, Tensor value);
    // The constant `name` as a weight: moved out when this node is its only reader (a file's
    // weights are then held once, not twice), else copied.
    Tensor release(const std::string& name, const Tensor& value);
    std::string nameOf(NodeId id) const;
    std::string uniqueName(const std::string& base);

    // Handlers' parts.
    Status embedding(const onnx::NodeProto& n, const Tensor& table);
    Status lastStep(const onnx::NodeProto& n, Ref in);
    Status shapeArithmetic(const onnx::NodeProto& n);
    Status recurrentView(const onnx::NodeProto& n, RecurrentView view);
    Status recurrentConcat(const onnx::NodeProto& n);
    Status stackedInput(const std::string& name, Ref& source);
    Status denseBias(const onnx::NodeProto& n, const Tensor& bias, int data);
    // Wires every input of `n` to the ports of `id` in order; `id` stands for n's output.
    Status wireInputs(const onnx::NodeProto& n, NodeId id);

    onnx::ModelProto& m_model;
    std::string m_source;
    OnnxImport m_result;
    std::unordered_map<std::string, Known> m_values;
    int m_inputType = 0;
    std::int64_t m_opset = 0; // of ONNX's own operators
    // Readers per value: a tensor name's consumers (graph outputs included), summed over the
    // names an Identity, Cast or empty Pad gave the same value (readers() follows them).
    std::unordered_map<std::string, int> m_readers;
    std::unordered_map<std::string, std::string> m_aliasOf; // alias -> the name it repeats
    // Per tensor name, the nodes reading it and at which input.
    std::unordered_map<std::string, std::vector<std::pair<const onnx::NodeProto*, int>>>
        m_consumers;
    std::unordered_set<std::string> m_names;
    std::unordered_map<std::string, int> m_nextSuffix; // per base name: linear naming
    // The graph's shapes, brought up to date after each edit with only what it touched, so a
    // long chain imports in linear time.
    nc::graph::IncrementalInference m_live;
    nc::graph::Graph::ListenerId m_listener = 0;
    std::map<NodeId, int> m_depth;
    std::map<std::string, Ref> m_timeMajor;       // Transpose [1,0,2] of a sequence
    std::map<NodeId, bool> m_returnSequences;     // decided by how outputs are read
    std::map<NodeId, int> m_sequenceNames;        // names bound to a recurrent node's sequence
    std::set<NodeId> m_biasless;                  // Dense from MatMul, bias still to come
    std::map<std::string, NodeId> m_convOfWeight; // initializer -> the Conv2D using it
    std::map<int, int> m_perDepth;
    NodeId m_input = nc::graph::kNoNode;
};

// Attributes, read after checkNode: present ones have the rule's type and range.
std::int64_t attrInt(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback);
float attrFloat(const onnx::NodeProto& n, const std::string& name, float fallback);
std::string attrString(const onnx::NodeProto& n, const std::string& name,
                       const std::string& fallback);
std::vector<std::int64_t> attrInts(const onnx::NodeProto& n, const std::string& name);
std::vector<float> attrFloats(const onnx::NodeProto& n, const std::string& name);
std::vector<std::string> attrStrings(const onnx::NodeProto& n, const std::string& name);
bool hasAttr(const onnx::NodeProto& n, const std::string& name);
// An initializer or Constant value checked by checkTensor, as floats or as integers.
Result<Tensor> tensorOf(const onnx::TensorProto& t);
Result<std::vector<std::int64_t>> intsOf(const onnx::TensorProto& t);
// A matrix transposed (weights stored the other way round).
Tensor transposed(const Tensor& m);
// An axis of a tensor of `rank` axes, negative counting from the end; nullopt when outside.
std::optional<std::int64_t> normalizedAxis(std::int64_t axis, std::int64_t rank);

} // namespace nc::engine::onnximport
