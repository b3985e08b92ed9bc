#pragma once
// Node references: a parameter of kind NodeRef names another node by id (a tied
// deconvolution names the convolution whose weight it reuses). Its ParamSpec declares which
// layer types it may name (refTypes), what the link means (refMeaning) and which of the
// holder's own parameters follow the target (refFollows). Every module follows references through
// these queries, never through a layer type or parameter name:
//
//   for (const NodeReference& r : nodeReferences(node))        // what `node` names
//       dependsOn(r.target);
//   for (const NodeReference& r : referencesTo(graph, conv))   // who names `conv`
//       redraw(r.holder, r.param);
//   if (const Node* target = referencedNode(graph, node, param)) ...   // resolve one

#include "graph.h"
#include "paramspec.h"

#include <string>
#include <vector>

namespace nc::graph {

struct NodeReference {
    NodeId holder = kNoNode; // the node whose parameter holds the reference
    std::string param;       // the name of that NodeRef parameter
    NodeId target = kNoNode; // the node it names; it may be gone (a dangling reference)

    friend bool operator==(const NodeReference&, const NodeReference&) = default;
};

// The references `node` holds: one per NodeRef parameter that is set (not "none"), in schema
// order. Targets are as stored: one may name a node that no longer exists or, in a loaded
// file, a node of a type the parameter does not allow (inference reports both). A node of an
// unknown type holds none.
std::vector<NodeReference> nodeReferences(const Node& node);

// The id that parameter `param` of `node` holds, or kNoNode when it is unset or not a NodeRef.
NodeId referencedId(const Node& node, const std::string& param);

// The node that parameter `param` of `node` names, or nullptr when it is unset, not a NodeRef,
// or names a node that is gone.
const Node* referencedNode(const Graph& graph, const Node& node, const std::string& param);

// Every reference any node of `graph` holds to `target`: the reverse of nodeReferences(), by
// ascending holder id, then schema order.
std::vector<NodeReference> referencesTo(const Graph& graph, NodeId target);

// Whether the NodeRef parameter `spec` may name a node of layer type `type`.
bool refAllows(const ParamSpec& spec, const std::string& type);

// The allowed types for messages: "Conv2D", "Conv2D or Dense".
std::string describeRefTypes(const ParamSpec& spec);

} // namespace nc::graph
