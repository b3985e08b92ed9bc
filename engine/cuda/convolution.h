#pragma once
// A cuDNN convolution as Conv2D and Deconv2D use it: descriptors for one shape, and the three
// passes (forward, backward data, backward filter) with the algorithm cudnnFind picked for
// that shape, cached in the context, and the context's workspace. `beta` 1 adds to the
// destination (gradients accumulate), 0 overwrites it.
//
// cuDNN pads symmetrically only; callers pad or crop explicitly (copyPlanes) otherwise.

#include "cudacontext.h"
#include "cudnnhelpers.h"

#include "../opcall.h"
#include "../tensor.h"

#include <string>

namespace nc::engine::cuda {

struct ConvShape {
    int n, c, h, w; // the convolution's input
    int k, kh, kw;  // filters [k, c, kh, kw]
    int oh, ow;     // its output
    int padH, padW, strideH, strideW, dilationH, dilationW;
};

class Convolution {
public:
    // Checks that cuDNN's output size for the input and window is exactly (oh, ow).
    Status setUp(CudaContext& context, const ConvShape& shape);

    Status forward(const float* x, const float* w, float* y, float beta);
    Status backwardData(const float* w, const float* dy, float* dx, float beta);
    Status backwardFilter(const float* x, const float* dy, float* dw, float beta);

private:
    struct Launch {
        int algo;
        void* workspace;
        std::size_t bytes;
    };
    Result<int> algorithm(int pass);
    Result<Launch> prepare(int pass);

    CudaContext* m_context = nullptr;
    ConvShape m_shape{};
    std::string m_key;
    TensorDesc m_x, m_y;
    FilterDesc m_w;
    ConvDesc m_conv;
};

// db += the sum of dz over samples and positions, per channel (dz shaped like `dzShape`,
// N x C x H x W): the bias gradient of Conv2D and Deconv2D.
Status addBiasGradient(CudaContext& context, const Tensor& dzShape, const float* dz, float* db);

// The part Conv2D and Deconv2D share after the convolution: the bias and activation on the
// output, fused (forward); the gradient before the activation, with the bias gradient
// accumulated from it (backward; scratch slot 1 when the activation is not linear).
Status finishMapOutput(CudaContext& context, const OpCall& call);
Result<const float*> mapGradientBeforeActivation(CudaContext& context, const OpCall& call);

} // namespace nc::engine::cuda
