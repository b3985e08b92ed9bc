// Concat (along a per-sample axis) and Add (elementwise, any number of inputs).
#include "lowerings.h"

namespace nc::engine {

Status lowerConcat(LoweringContext& c) {
    c.step().attrs.axis = int(c.integer("axis"));
    return Status::ok();
}

Status lowerAdd(LoweringContext&) {
    return Status::ok();
}

} // namespace nc::engine
