#pragma once
// The lowering of every op, one per op file in this folder; opregistry.cpp lists them.

#include "lowering.h"

namespace nc::engine {

Status lowerInput(LoweringContext& c);
Status lowerConv2D(LoweringContext& c);
Status lowerDeconv2D(LoweringContext& c);
Status lowerPool2D(LoweringContext& c); // MaxPool2D, AvgPool2D
Status lowerGlobalAvgPool2D(LoweringContext& c);
Status lowerUpscale2D(LoweringContext& c);
Status lowerDense(LoweringContext& c);
Status lowerActivation(LoweringContext& c);
Status lowerDropout(LoweringContext& c);
Status lowerBatchNorm(LoweringContext& c);
Status lowerRecurrent(LoweringContext& c); // SimpleRNN, LSTM, GRU
Status lowerEmbedding(LoweringContext& c);
Status lowerReshape(LoweringContext& c);   // Flatten, Reshape
Status lowerConcat(LoweringContext& c);
Status lowerAdd(LoweringContext& c);
Status lowerLoss(LoweringContext& c); // SoftmaxCrossEntropy, MSE, BinaryCrossEntropy

} // namespace nc::engine
