// Flatten and Reshape: the same values under a new per-sample shape (from inference).
#include "lowerings.h"

namespace nc::engine {

Status lowerReshape(LoweringContext&) {
    return Status::ok();
}

} // namespace nc::engine
