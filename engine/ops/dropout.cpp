// Dropout: the drop rate; masks are drawn in training mode only (identity in evaluation).
#include "lowerings.h"

namespace nc::engine {

Status lowerDropout(LoweringContext& c) {
    c.step().attrs.rate = float(c.number("rate"));
    return Status::ok();
}

} // namespace nc::engine
