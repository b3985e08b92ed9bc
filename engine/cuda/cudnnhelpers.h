#pragma once
// Owning wrappers of cuDNN descriptors, so every early return releases them.

#include "cudacheck.h"

#include <cstdint>

namespace nc::engine::cuda {

class TensorDesc {
public:
    TensorDesc()
        : m_status(check(cudnnCreateTensorDescriptor(&m_desc), "cudnnCreateTensorDescriptor")) {}
    ~TensorDesc() { cudnnDestroyTensorDescriptor(m_desc); }
    TensorDesc(const TensorDesc&) = delete;
    TensorDesc& operator=(const TensorDesc&) = delete;
    // Dense NCHW, float.
    Status set(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
        if (!m_status)
            return m_status;
        if (n > INT32_MAX || c > INT32_MAX || h > INT32_MAX || w > INT32_MAX)
            return Status::error("tensor dimensions exceed cuDNN's 32-bit limits");
        return check(cudnnSetTensor4dDescriptor(m_desc, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, int(n),
                                                int(c), int(h), int(w)),
                     "cudnnSetTensor4dDescriptor");
    }
    cudnnTensorDescriptor_t get() const { return m_desc; }

private:
    cudnnTensorDescriptor_t m_desc = nullptr;
    Status m_status = Status::ok();
};

class FilterDesc {
public:
    FilterDesc()
        : m_status(check(cudnnCreateFilterDescriptor(&m_desc), "cudnnCreateFilterDescriptor")) {}
    ~FilterDesc() { cudnnDestroyFilterDescriptor(m_desc); }
    FilterDesc(const FilterDesc&) = delete;
    FilterDesc& operator=(const FilterDesc&) = delete;
    // [outputs, inputs, kh, kw]
    Status set(int outputs, int inputs, int kh, int kw) {
        if (!m_status)
            return m_status;
        return check(cudnnSetFilter4dDescriptor(m_desc, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW,
                                                outputs, inputs, kh, kw),
                     "cudnnSetFilter4dDescriptor");
    }
    cudnnFilterDescriptor_t get() const { return m_desc; }

private:
    cudnnFilterDescriptor_t m_desc = nullptr;
    Status m_status = Status::ok();
};

class ConvDesc {
public:
    ConvDesc()
        : m_status(check(cudnnCreateConvolutionDescriptor(&m_desc),
                         "cudnnCreateConvolutionDescriptor")) {}
    ~ConvDesc() { cudnnDestroyConvolutionDescriptor(m_desc); }
    ConvDesc(const ConvDesc&) = delete;
    ConvDesc& operator=(const ConvDesc&) = delete;
    Status set(int padH, int padW, int strideH, int strideW, int dilationH, int dilationW) {
        if (!m_status)
            return m_status;
        return check(cudnnSetConvolution2dDescriptor(m_desc, padH, padW, strideH, strideW,
                                                     dilationH, dilationW, CUDNN_CROSS_CORRELATION,
                                                     CUDNN_DATA_FLOAT),
                     "cudnnSetConvolution2dDescriptor");
    }
    cudnnConvolutionDescriptor_t get() const { return m_desc; }

private:
    cudnnConvolutionDescriptor_t m_desc = nullptr;
    Status m_status = Status::ok();
};

} // namespace nc::engine::cuda
