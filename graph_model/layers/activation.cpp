#include "layers.h"
#include "paramhelpers.h"

namespace nc::graph::layers {

LayerSpec makeActivationSpec() {
    LayerSpec spec;
    spec.type = "Activation";
    spec.category = "Activation";
    spec.help = "An element-wise function (softmax: over the first axis).";
    ParamSpec function = activationParam();
    function.name = "function";
    function.defaultValue = std::string("relu");
    function.help = "The function to apply.";
    spec.params = {
        function,
        floatParam("alpha", 0.01, 0.0, 100.0,
                   "Slope below zero for leaky_relu; scale of the negative part for elu."),
    };
    spec.inputs = {tensorPort("in")};
    spec.outputs = {tensorPort("out")};
    spec.summaryParams = {"function"};
    spec.shapeRule = identityShapes;
    return spec;
}

} // namespace nc::graph::layers
