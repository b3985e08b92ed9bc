// Activation: one elementwise function (or softmax over each sample), with its own alpha for
// leaky_relu and elu.
#include "lowerings.h"
#include "window.h"

namespace nc::engine {

Status lowerActivation(LoweringContext& c) {
    OpAttrs& a = c.step().attrs;
    a.activation = activationKind(c.text("function"));
    a.alpha = float(c.number("alpha"));
    return Status::ok();
}

} // namespace nc::engine
