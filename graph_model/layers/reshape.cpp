#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

static void flattenShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    outcome.outputs[0] = Shape{elementCount(context.input(0)).value_or(0)};
}

LayerSpec makeFlattenSpec() {
    LayerSpec spec;
    spec.type = "Flatten";
    spec.category = "Structure";
    spec.help = "Turns each sample into a vector: CxHxW -> C*H*W.";
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.shapeRule = flattenShapes;
    return spec;
}

static void reshapeShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    std::int64_t count = elementCount(context.input(0)).value_or(0);
    Shape target = context.ints("shape");
    std::int64_t known = 1;
    std::size_t inferred = target.size();
    for (std::size_t i = 0; i < target.size(); ++i) {
        if (target[i] == -1)
            inferred = i;
        else
            known *= target[i];
    }
    if (inferred < target.size()) {
        if (count % known != 0) {
            outcome.error("cannot reshape " + formatCount(count) + " values into " +
                              formatShape(target) + ": " + formatCount(count) +
                              " is not a multiple of " + formatCount(known),
                          0);
            return;
        }
        target[inferred] = count / known;
    } else if (known != count) {
        outcome.error("cannot reshape " + formatCount(count) + " values (" +
                          formatShape(context.input(0)) + ") into " + formatShape(target) + " (" +
                          formatCount(known) + " values)",
                      0);
        return;
    }
    outcome.outputs[0] = target;
}

LayerSpec makeReshapeSpec() {
    LayerSpec spec;
    spec.type = "Reshape";
    spec.category = "Structure";
    spec.help = "Gives each sample a new shape with the same number of values.";
    spec.params = {shapeParam("shape", {-1}, true,
                              "Per-sample target shape; one dimension may be -1 (inferred).")};
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"shape"};
    spec.shapeRule = reshapeShapes;
    return spec;
}

} // namespace nc::graph::layers
