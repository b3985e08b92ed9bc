#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

// PyTorch's nn.Embedding: weight [vocabulary, units]; a sequence of T token indices becomes
// T x units vectors.
static void embeddingShapes(const ShapeContext& context, ShapeOutcome& outcome) {
    const Shape& in = context.input(0);
    if (in.size() != 1) {
        outcome.error("needs a sequence of token indices (shape T), got " + formatShape(in), 0);
        return;
    }
    const std::int64_t vocabulary = context.integer("vocabulary"), units = context.integer("units");
    outcome.outputs[0] = Shape{in[0], units};
    outcome.params.push_back({"weight", {vocabulary, units}});
}

LayerSpec makeEmbeddingSpec() {
    LayerSpec spec;
    spec.type = "Embedding";
    spec.category = "Recurrent";
    spec.help = "Looks up a learned vector for each token index: T tokens -> T x units.";
    spec.params = {
        intParam("vocabulary", 128, 1, kMaxUnits, "How many tokens there are (indices 0 to N-1)."),
        intParam("units", 64, 1, kMaxUnits, "Length of each token's vector."),
    };
    spec.inputs = {tensorPort("in", "token indices, one per step")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"vocabulary", "units"};
    spec.shapeRule = embeddingShapes;
    return spec;
}

} // namespace nc::graph::layers
