#pragma once
// The ONNX importer's operator table: for each operator NetCanvas imports, the handler that
// reads it and everything that handler may read (how many inputs and outputs, and each
// attribute with its type, its allowed values and lengths). Every node is checked against its
// rule before ONNX's shape inference or any handler sees it, so a handler reads only values
// that are in range, and an operator or attribute with no rule is refused by name.
// Internal to engine/export.
//
//   const OpRule* rule = findOpRule(node.op_type());
//   if (!rule) return refuse(...);
//   if (Status s = checkNode(node, *rule); !s) return s;

#include "core/status.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace nc::engine::onnximport {

class Importer;
using Handler = nc::core::Status (Importer::*)(const onnx::NodeProto&);

enum class AttrKind { Int, Ints, Float, Floats, String, Strings, Tensor };

// An attribute a handler may read. Integers (and each element of a list) lie in [min, max];
// floats are finite and lie in [low, high]; lists have one of `lengths` (any when empty);
// strings are one of `choices` (any when empty).
struct AttrRule {
    std::string_view name;
    AttrKind kind = AttrKind::Int;
    std::int64_t min = std::numeric_limits<std::int64_t>::min() / 4;
    std::int64_t max = std::numeric_limits<std::int64_t>::max() / 4;
    std::vector<int> lengths = {};
    std::vector<std::string_view> choices = {};
    double low = -std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::max();
};

struct OpRule {
    std::string_view op;
    Handler handler = nullptr;
    int minInputs = 1;
    int maxInputs = 1;
    int maxOutputs = 1;
    std::vector<AttrRule> attrs = {};
};

// Sizes no NetCanvas layer comes near: a window, stride, dilation or padding of at most 2^16
// cells, and at most 2^31 elements in a tensor. Bounds keep every product in range.
inline constexpr std::int64_t kMaxWindow = std::int64_t(1) << 16;
inline constexpr std::int64_t kMaxElements = std::int64_t(1) << 31;

// The rules of each layer family, kept beside its handlers.
std::span<const OpRule> spatialRules();   // onnximportspatial.cpp
std::span<const OpRule> denseRules();     // onnximportdense.cpp
std::span<const OpRule> layerRules();     // onnximportlayers.cpp
std::span<const OpRule> recurrentRules(); // onnximportrecurrent.cpp
std::span<const OpRule> shapeRules();     // onnximportshape.cpp

const OpRule* findOpRule(std::string_view op);

// The node's inputs, outputs and attributes against its rule; the message names what is wrong.
nc::core::Status checkNode(const onnx::NodeProto& n, const OpRule& rule);
// An initializer or Constant value: a type NetCanvas reads, dimensions in range, and as many
// stored values as its dimensions say (so nothing is read past its end).
nc::core::Status checkTensor(const onnx::TensorProto& t);

// "float", "int64", "bfloat16"... for messages.
std::string elementTypeName(int dataType);

// How a node is named in messages: its name, else its first output, else its position.
std::string nodeLabel(const onnx::NodeProto& n, int index);

} // namespace nc::engine::onnximport
