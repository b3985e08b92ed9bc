// BatchNorm: gamma and beta (trainable), running mean and variance (buffers), PyTorch's names.
#include "lowerings.h"

namespace nc::engine {

Status lowerBatchNorm(LoweringContext& c) {
    OpAttrs& a = c.step().attrs;
    a.momentum = float(c.number("momentum"));
    a.epsilon = float(c.number("epsilon"));
    const auto& params = c.inference().params;
    const char* inits[] = {"ones", "zeros", "zeros", "ones"};
    for (std::size_t i = 0; i < 4; ++i)
        if (Status s = c.addParameter(params.at(i), inits[i], 1, 1); !s)
            return s;
    return Status::ok();
}

} // namespace nc::engine
