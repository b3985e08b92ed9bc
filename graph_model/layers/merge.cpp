#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

namespace {

std::string spatial(const Shape& s) {
    return formatShape(Shape(s.begin() + 1, s.end()));
}

// Concat along `axis`: every other axis must match input 1.
void concatShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const std::vector<Shape>& in = context.inputs();
    std::size_t axis = std::size_t(context.integer("axis"));
    const Shape& first = in[0];
    if (axis >= first.size()) {
        outcome.error("axis " + std::to_string(axis) + " does not exist in input 1 (" +
                          formatShape(first) + ")",
                      0);
        return;
    }
    Shape out = first;
    for (std::size_t i = 1; i < in.size(); ++i) {
        const Shape& s = in[i];
        std::string which = "input " + std::to_string(i + 1);
        bool sameRank = s.size() == first.size();
        bool mapsDiffer =
            sameRank && first.size() == 3 && axis == 0 && (s[1] != first[1] || s[2] != first[2]);
        if (mapsDiffer) {
            outcome.error(which + " has " + spatial(s) + " maps, input 1 has " + spatial(first),
                          PortIndex(i));
            return;
        }
        bool match = sameRank;
        for (std::size_t a = 0; match && a < s.size(); ++a)
            match = a == axis || s[a] == first[a];
        if (!match) {
            outcome.error(which + " is " + formatShape(s) + ", input 1 is " + formatShape(first) +
                              "; they must agree on every axis but axis " + std::to_string(axis),
                          PortIndex(i));
            return;
        }
        out[axis] += s[axis];
    }
    outcome.outputs[0] = out;
}

void addShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const std::vector<Shape>& in = context.inputs();
    for (std::size_t i = 1; i < in.size(); ++i) {
        if (in[i] != in[0]) {
            outcome.error("input " + std::to_string(i + 1) + " is " + formatShape(in[i]) +
                              ", input 1 is " + formatShape(in[0]) + "; Add needs equal shapes",
                          PortIndex(i));
            return;
        }
    }
    outcome.outputs[0] = in[0];
}

ParamSpec inputsParam() {
    return intParam("inputs", 2, 2, 32, "Number of input ports.");
}

} // namespace

LayerSpec makeConcatSpec() {
    LayerSpec spec;
    spec.type = "Concat";
    spec.category = "Merge";
    spec.help = "Joins its inputs along one axis (0 is the channel axis of the per-sample shape).";
    spec.params = {intParam("axis", 0, 0, 2, "Axis of the per-sample shape to join along."),
                   inputsParam()};
    spec.inputs = {tensorPort("in")};
    spec.variadicInputs = true;
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"inputs"};
    spec.shapeRule = concatShapes;
    return spec;
}

LayerSpec makeAddSpec() {
    LayerSpec spec;
    spec.type = "Add";
    spec.category = "Merge";
    spec.help = "Element-wise sum of inputs of one shape (residual connections).";
    spec.params = {inputsParam()};
    spec.inputs = {tensorPort("in")};
    spec.variadicInputs = true;
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"inputs"};
    spec.shapeRule = addShapes;
    return spec;
}

} // namespace nc::graph::layers
