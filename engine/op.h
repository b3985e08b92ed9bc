#pragma once
// The op set every backend implements, and the attributes an op reads. A plan step is one op
// applied to its input values and parameters (see opcall.h).

#include <cstdint>
#include <string>

namespace nc::engine {

enum class OpKind {
    Input,
    Conv2D,
    Deconv2D,
    MaxPool2D,
    AvgPool2D,
    GlobalAvgPool2D,
    Upscale2D,
    Dense,
    Activation,
    Dropout,
    BatchNorm,
    SimpleRNN, // tanh
    LSTM,      // gates i, f, g, o
    GRU,       // gates r, z, n; the reset gate scales the hidden projection
    Embedding, // token indices -> rows of the weight
    Reshape,   // also Flatten: same values, new per-sample shape
    Concat,
    Add,
    SoftmaxCrossEntropy,
    MSE,
    BinaryCrossEntropy,
};

const char* opName(OpKind kind);
bool isLoss(OpKind kind);
constexpr bool isRecurrent(OpKind kind) {
    return kind == OpKind::SimpleRNN || kind == OpKind::LSTM || kind == OpKind::GRU;
}
// The ops the CUDA backend leaves to the CPU (the executor falls back and says so).
constexpr bool isCpuOnly(OpKind kind) {
    return kind == OpKind::Embedding;
}

enum class ActivationKind { Linear, Relu, Tanh, Sigmoid, Softmax, LeakyRelu, Elu };

// A resolved 2-D window: padding already turned into explicit (possibly asymmetric) amounts.
// For Deconv2D the padding is the crop; a negative crop adds room at that side.
struct Window {
    int kh = 1, kw = 1;
    int sh = 1, sw = 1;
    int dh = 1, dw = 1;
    int padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
};

struct OpAttrs {
    Window window;
    ActivationKind activation = ActivationKind::Linear;
    float alpha = 0.01f; // leaky_relu slope, elu scale
    bool useBias = false;
    float rate = 0.0f;       // Dropout
    float momentum = 0.9f;   // BatchNorm: weight of the old running statistics
    float epsilon = 1e-5f;   // BatchNorm
    int axis = 0;            // Concat, per-sample axis
    bool bilinear = false;   // Upscale2D
    // Recurrent layers.
    std::int64_t units = 0;
    bool returnSequences = false; // every step's state, or each direction's final one
    bool bidirectional = false;
};

enum class Mode { Train, Eval };

} // namespace nc::engine
