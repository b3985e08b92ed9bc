#pragma once
// The schema of one layer parameter: its kind, default, range or choices, and help text.
// The inspector builds its editors from these, and every edit is validated against them.

#include "paramvalue.h"
#include "core/status.h"

#include <string>
#include <vector>

namespace nc::graph {

using nc::core::Result;
using nc::core::Status;

enum class ParamKind {
    Bool,
    Int,         // min..max
    Float,       // min..max
    Choice,      // one of choices
    IntTuple,    // exactly `length` integers, each in min..max (kernel_size, stride, ...)
    TensorShape, // 1..3 positive integers; one -1 allowed when allowInferred (Reshape)
    Padding,     // one of choices ("valid", "same", ...) or [ph, pw] with each >= 0
    NodeRef,     // the id of another node; see the ref* fields and noderefs.h
};

struct ParamSpec {
    std::string name;
    ParamKind kind = ParamKind::Int;
    ParamValue defaultValue;
    double min = 0;
    double max = 0;
    int length = 0;                   // IntTuple
    std::vector<std::string> choices; // Choice, Padding
    bool allowInferred = false;       // Shape: one dimension may be -1
    bool nullable = false;            // "none" (std::monostate) is allowed
    std::string nullMeaning;          // what "none" means, for help and display
    std::string help;

    // NodeRef only. Every NodeRef parameter declares these (a registry test checks it); the
    // graph, inference, canvas, inspector and clipboard follow any reference through them.
    std::vector<std::string> refTypes;   // the layer types the named node may have
    std::string refMeaning;              // "<holder> <meaning> <target>": "ties weights to"
    std::string refAction;               // refusals: "so <action> would make a loop"
    std::vector<std::string> refFollows; // own parameters taken from the target while set
};

// Checks that value fits the schema. The message names the parameter and what was expected:
// "kernel_size: expected 2 integers, got 3".
Status validateParam(const ParamSpec& spec, const ParamValue& value);

// Human name of the kind, for messages and docs: "integer", "2 integers", "shape", ...
std::string describeParamKind(const ParamSpec& spec);

} // namespace nc::graph
