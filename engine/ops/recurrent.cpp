// SimpleRNN, LSTM and GRU: PyTorch's one-layer nn.RNN / nn.LSTM / nn.GRU, with its parameter
// names (weight_ih_l0, ..., "_reverse" for the backward direction), layouts and default
// initialisation: every weight and bias uniform in +-1/sqrt(units).
#include "lowerings.h"

namespace nc::engine {

Status lowerRecurrent(LoweringContext& c) {
    OpAttrs& a = c.step().attrs;
    a.units = c.integer("units");
    a.returnSequences = c.flag("return_sequences");
    a.bidirectional = c.flag("bidirectional");
    for (const nc::graph::ParamTensor& t : c.inference().params)
        if (Status s = c.addParameter(t, "uniform_inverse_sqrt_fan_in", a.units, a.units); !s)
            return s;
    return Status::ok();
}

} // namespace nc::engine
