#pragma once
// The CPU kernels, one pair per op family (one file each, named like the op). Every function
// reads an OpCall (opcall.h) and returns a Status.

#include "../backend.h"

namespace nc::engine::cpu {

Status conv2dForward(const OpCall& call);
Status conv2dBackward(const OpCall& call);
Status deconv2dForward(const OpCall& call);
Status deconv2dBackward(const OpCall& call);
Status pool2dForward(const OpCall& call); // MaxPool2D, AvgPool2D
Status pool2dBackward(const OpCall& call);
Status globalAvgPool2dForward(const OpCall& call);
Status globalAvgPool2dBackward(const OpCall& call);
Status upscale2dForward(const OpCall& call);
Status upscale2dBackward(const OpCall& call);
Status denseForward(const OpCall& call);
Status denseBackward(const OpCall& call);
Status activationForward(const OpCall& call);
Status activationBackward(const OpCall& call);
Status dropoutForward(const OpCall& call);
Status dropoutBackward(const OpCall& call);
Status batchNormForward(const OpCall& call);
Status batchNormBackward(const OpCall& call);
Status recurrentForward(const OpCall& call); // SimpleRNN, LSTM, GRU
Status recurrentBackward(const OpCall& call);
// For inspection: one sample's forward-direction history from the state a recurrent forward
// kept (n samples, t steps, h units): each row [T, H] in time order, named "h", then "c" for
// LSTM, then the gates after their nonlinearities ("i", "f", "g", "o" / "r", "z", "n").
std::vector<std::pair<std::string, Tensor>> recurrentHistory(OpKind kind, const Tensor& state,
                                                             std::int64_t n, std::int64_t t,
                                                             std::int64_t h, std::int64_t sample);
Status embeddingForward(const OpCall& call);
Status embeddingBackward(const OpCall& call);
Status reshapeForward(const OpCall& call);
Status reshapeBackward(const OpCall& call);
Status concatForward(const OpCall& call);
Status concatBackward(const OpCall& call);
Status addForward(const OpCall& call);
Status addBackward(const OpCall& call);
Status lossForward(const OpCall& call); // SoftmaxCrossEntropy, MSE, BinaryCrossEntropy
Status lossBackward(const OpCall& call);
Status optimizerStep(const OptimizerRule& rule, std::span<const ParameterSlot> slots);

} // namespace nc::engine::cpu
