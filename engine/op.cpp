#include "op.h"

namespace nc::engine {

const char* opName(OpKind kind) {
    switch (kind) {
    case OpKind::Input:
        return "Input";
    case OpKind::Conv2D:
        return "Conv2D";
    case OpKind::Deconv2D:
        return "Deconv2D";
    case OpKind::MaxPool2D:
        return "MaxPool2D";
    case OpKind::AvgPool2D:
        return "AvgPool2D";
    case OpKind::GlobalAvgPool2D:
        return "GlobalAvgPool2D";
    case OpKind::Upscale2D:
        return "Upscale2D";
    case OpKind::Dense:
        return "Dense";
    case OpKind::Activation:
        return "Activation";
    case OpKind::Dropout:
        return "Dropout";
    case OpKind::BatchNorm:
        return "BatchNorm";
    case OpKind::SimpleRNN:
        return "SimpleRNN";
    case OpKind::LSTM:
        return "LSTM";
    case OpKind::GRU:
        return "GRU";
    case OpKind::Embedding:
        return "Embedding";
    case OpKind::Reshape:
        return "Reshape";
    case OpKind::Concat:
        return "Concat";
    case OpKind::Add:
        return "Add";
    case OpKind::SoftmaxCrossEntropy:
        return "SoftmaxCrossEntropy";
    case OpKind::MSE:
        return "MSE";
    case OpKind::BinaryCrossEntropy:
        return "BinaryCrossEntropy";
    }
    return "?";
}

bool isLoss(OpKind kind) {
    return kind == OpKind::SoftmaxCrossEntropy || kind == OpKind::MSE ||
           kind == OpKind::BinaryCrossEntropy;
}

} // namespace nc::engine
