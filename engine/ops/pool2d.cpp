// MaxPool2D and AvgPool2D (a window, stride = pool_size unless given, valid or same padding),
// and GlobalAvgPool2D (no settings).
#include "lowerings.h"
#include "window.h"

namespace nc::engine {

Status lowerPool2D(LoweringContext& c) {
    OpAttrs& a = c.step().attrs;
    const nc::graph::IntList& pool = c.ints("pool_size");
    a.window = windowOf(pool, c.isNone("stride") ? pool : c.ints("stride"), {1, 1});
    resolvePadding(c.value("padding"), a.window, c.inputDims(), c.outputDims(), false);
    return Status::ok();
}

Status lowerGlobalAvgPool2D(LoweringContext&) {
    return Status::ok();
}

} // namespace nc::engine
