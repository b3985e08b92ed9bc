// Input: no settings; the executor binds the batch (x) and its labels or targets (y).
#include "lowerings.h"

namespace nc::engine {

Status lowerInput(LoweringContext&) {
    return Status::ok();
}

} // namespace nc::engine
