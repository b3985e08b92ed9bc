// Upscale2D: integer scale factors per axis, nearest or bilinear.
#include "lowerings.h"

namespace nc::engine {

Status lowerUpscale2D(LoweringContext& c) {
    OpAttrs& a = c.step().attrs;
    a.window.sh = int(c.ints("scale")[0]);
    a.window.sw = int(c.ints("scale")[1]);
    a.bilinear = c.text("mode") == "bilinear";
    return Status::ok();
}

} // namespace nc::engine
