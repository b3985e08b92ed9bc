#include "cpubackend.h"

#include "kernels.h"

#include <Eigen/Core>
#include <algorithm>

namespace nc::engine {

bool CpuBackend::supportsOp(OpKind kind) const {
    return kind != OpKind::Input;
}

Status CpuBackend::upload(const Tensor& host, Tensor& target) {
    if (!host.onHost() || !target.onHost())
        return Status::error("the CPU backend only copies host tensors");
    target.resize(host.dims());
    std::copy(host.data(), host.data() + host.size(), target.data());
    return Status::ok();
}

Status CpuBackend::download(const Tensor& source, Tensor& host) {
    return upload(source, host);
}

Status CpuBackend::gatherRows(const Tensor& table, std::span<const std::int64_t> rows,
                              Tensor& out) {
    if (!table.onHost())
        return Status::error("the CPU cannot gather rows of a table on " + table.device().text());
    gatherRowsOnHost(table, rows, out);
    return Status::ok();
}

Result<bool> CpuBackend::allFinite(const Tensor& t) {
    return Eigen::Map<const Eigen::ArrayXf>(t.data(), t.size()).isFinite().all();
}

Status CpuBackend::optimizerStep(const OptimizerRule& rule, std::span<const ParameterSlot> slots) {
    return cpu::optimizerStep(rule, slots);
}

Status CpuBackend::forward(const OpCall& call) {
    using namespace cpu;
    switch (call.kind) {
    case OpKind::Input:
        return Status::error("Input is bound by the executor, not computed");
    case OpKind::Conv2D:
        return conv2dForward(call);
    case OpKind::Deconv2D:
        return deconv2dForward(call);
    case OpKind::MaxPool2D:
    case OpKind::AvgPool2D:
        return pool2dForward(call);
    case OpKind::GlobalAvgPool2D:
        return globalAvgPool2dForward(call);
    case OpKind::Upscale2D:
        return upscale2dForward(call);
    case OpKind::Dense:
        return denseForward(call);
    case OpKind::Activation:
        return activationForward(call);
    case OpKind::Dropout:
        return dropoutForward(call);
    case OpKind::BatchNorm:
        return batchNormForward(call);
    case OpKind::SimpleRNN:
    case OpKind::LSTM:
    case OpKind::GRU:
        return recurrentForward(call);
    case OpKind::Embedding:
        return embeddingForward(call);
    case OpKind::Reshape:
        return reshapeForward(call);
    case OpKind::Concat:
        return concatForward(call);
    case OpKind::Add:
        return addForward(call);
    case OpKind::SoftmaxCrossEntropy:
    case OpKind::MSE:
    case OpKind::BinaryCrossEntropy:
        return lossForward(call);
    }
    return Status::error("unknown op");
}

Status CpuBackend::backward(const OpCall& call) {
    using namespace cpu;
    switch (call.kind) {
    case OpKind::Input:
        return Status::ok();
    case OpKind::Conv2D:
        return conv2dBackward(call);
    case OpKind::Deconv2D:
        return deconv2dBackward(call);
    case OpKind::MaxPool2D:
    case OpKind::AvgPool2D:
        return pool2dBackward(call);
    case OpKind::GlobalAvgPool2D:
        return globalAvgPool2dBackward(call);
    case OpKind::Upscale2D:
        return upscale2dBackward(call);
    case OpKind::Dense:
        return denseBackward(call);
    case OpKind::Activation:
        return activationBackward(call);
    case OpKind::Dropout:
        return dropoutBackward(call);
    case OpKind::BatchNorm:
        return batchNormBackward(call);
    case OpKind::SimpleRNN:
    case OpKind::LSTM:
    case OpKind::GRU:
        return recurrentBackward(call);
    case OpKind::Embedding:
        return embeddingBackward(call);
    case OpKind::Reshape:
        return reshapeBackward(call);
    case OpKind::Concat:
        return concatBackward(call);
    case OpKind::Add:
        return addBackward(call);
    case OpKind::SoftmaxCrossEntropy:
    case OpKind::MSE:
    case OpKind::BinaryCrossEntropy:
        return lossBackward(call);
    }
    return Status::error("unknown op");
}

} // namespace nc::engine
