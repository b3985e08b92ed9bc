// The losses: SoftmaxCrossEntropy, MSE and BinaryCrossEntropy, each with a weight in the
// graph's total loss.
#include "lowerings.h"

namespace nc::engine {

Status lowerLoss(LoweringContext& c) {
    c.step().lossWeight = float(c.number("weight"));
    return Status::ok();
}

} // namespace nc::engine
