// Dense: weight [out, in] (PyTorch's layout) over the flattened input, an optional bias and a
// fused activation.
#include "lowerings.h"
#include "window.h"

namespace nc::engine {

Status lowerDense(LoweringContext& c) {
    OpAttrs& a = c.step().attrs;
    a.activation = activationKind(c.text("activation"));
    a.alpha = fusedAlpha(a.activation);
    a.useBias = c.flag("use_bias");
    const auto& params = c.inference().params;
    if (Status s = c.addParameter(params.at(0), c.text("weight_init"), params[0].shape[1],
                                  params[0].shape[0]);
        !s)
        return s;
    if (a.useBias)
        return c.addParameter(params.at(1), "zeros", 1, 1);
    return Status::ok();
}

} // namespace nc::engine
