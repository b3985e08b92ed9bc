#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

LayerSpec makeDropoutSpec() {
    LayerSpec spec;
    spec.type = "Dropout";
    spec.category = "Regularization";
    spec.help = "Zeroes a random fraction of values while training (scaling the rest); "
                "the identity in evaluation.";
    spec.params = {floatParam("rate", 0.5, 0.0, 0.99, "Fraction of values dropped in training.")};
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.modeDependent = true;
    spec.summaryParams = {"rate"};
    spec.shapeRule = identityShapes;
    return spec;
}

} // namespace nc::graph::layers
