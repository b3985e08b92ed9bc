#include "cudabackend.h"

#include "cudagraph.h"
#include "cudastorage.h"
#include "elementwise.h"
#include "kernels.h"
#include "sidedownload.h"
#include "stepmetrics.h"

namespace nc::engine::cuda {

CudaBackend::CudaBackend(std::shared_ptr<CudaContext> context)
    : m_context(std::move(context)), m_optimizer(m_context), m_zeroTable(m_context) {}

CudaBackend::~CudaBackend() {
    m_context->release(m_flag);
}

std::string CudaBackend::name() const {
    return device().text() + " (" + m_context->name() + ")";
}

namespace {

// For the ops supportsOp() declines: the executor runs them on the CPU and never asks here.
constexpr const char* kNoKernel =
    "the CUDA backend has no kernel for this op; the executor runs it on the CPU";

} // namespace

bool CudaBackend::supportsOp(OpKind kind) const {
    if (isRecurrent(kind))
        return m_context->rnnKernels();
    return kind != OpKind::Input && !isCpuOnly(kind); // those run on the CPU
}

Tensor CudaBackend::newTensor() const {
    return Tensor(std::make_unique<CudaStorage>(m_context));
}

Status CudaBackend::ready(const OpCall& call) {
    m_context->activate();
    if (Status s = m_context->takeError(); !s)
        return s;
    auto hasMemory = [](const Tensor* t) { return !t || t->capacity() >= t->size(); };
    bool ok = hasMemory(call.output) && hasMemory(call.gradOutput);
    for (const Tensor* t : call.inputs)
        ok = ok && hasMemory(t);
    for (const Tensor* t : call.params)
        ok = ok && hasMemory(t);
    for (const Tensor* t : call.gradInputs)
        ok = ok && hasMemory(t);
    for (const Tensor* t : call.gradParams)
        ok = ok && hasMemory(t);
    if (!ok)
        return Status::outOfMemory(
            "a tensor of this op has no GPU memory (an earlier allocation failed)");
    return Status::ok();
}

// Allocation failures inside the op (scratch, state) surface here too.
Status CudaBackend::finish(Status status) {
    if (!status)
        return status;
    return m_context->takeError();
}

Status CudaBackend::forward(const OpCall& call) {
    if (Status s = ready(call); !s)
        return s;
    CudaContext& c = *m_context;
    switch (call.kind) {
    case OpKind::Input:
        return Status::error("Input is bound by the executor, not computed");
    case OpKind::Conv2D:
        return finish(conv2dForward(c, call));
    case OpKind::Deconv2D:
        return finish(deconv2dForward(c, call));
    case OpKind::MaxPool2D:
    case OpKind::AvgPool2D:
        return finish(pool2dForward(c, call));
    case OpKind::GlobalAvgPool2D:
        return finish(globalAvgPool2dForward(c, call));
    case OpKind::Upscale2D:
        return finish(upscale2dForward(c, call));
    case OpKind::Dense:
        return finish(denseForward(c, call));
    case OpKind::Activation:
        return finish(activationForward(c, call));
    case OpKind::Dropout:
        return finish(dropoutForward(c, call));
    case OpKind::BatchNorm:
        return finish(batchNormForward(c, call));
    case OpKind::SimpleRNN:
    case OpKind::LSTM:
    case OpKind::GRU:
        return finish(recurrentForward(c, call));
    case OpKind::Embedding:
        return Status::error(kNoKernel);
    case OpKind::Reshape:
        return finish(reshapeForward(c, call));
    case OpKind::Concat:
        return finish(concatForward(c, call));
    case OpKind::Add:
        return finish(addForward(c, call));
    case OpKind::SoftmaxCrossEntropy:
    case OpKind::MSE:
    case OpKind::BinaryCrossEntropy:
        return finish(lossForward(c, call));
    }
    return Status::error("unknown op");
}

Status CudaBackend::backward(const OpCall& call) {
    if (Status s = ready(call); !s)
        return s;
    CudaContext& c = *m_context;
    switch (call.kind) {
    case OpKind::Input:
        return Status::ok();
    case OpKind::Conv2D:
        return finish(conv2dBackward(c, call));
    case OpKind::Deconv2D:
        return finish(deconv2dBackward(c, call));
    case OpKind::MaxPool2D:
    case OpKind::AvgPool2D:
        return finish(pool2dBackward(c, call));
    case OpKind::GlobalAvgPool2D:
        return finish(globalAvgPool2dBackward(c, call));
    case OpKind::Upscale2D:
        return finish(upscale2dBackward(c, call));
    case OpKind::Dense:
        return finish(denseBackward(c, call));
    case OpKind::Activation:
        return finish(activationBackward(c, call));
    case OpKind::Dropout:
        return finish(dropoutBackward(c, call));
    case OpKind::BatchNorm:
        return finish(batchNormBackward(c, call));
    case OpKind::SimpleRNN:
    case OpKind::LSTM:
    case OpKind::GRU:
        return finish(recurrentBackward(c, call));
    case OpKind::Embedding:
        return Status::error(kNoKernel);
    case OpKind::Reshape:
        return finish(reshapeBackward(c, call));
    case OpKind::Concat:
        return finish(concatBackward(c, call));
    case OpKind::Add:
        return finish(addBackward(c, call));
    case OpKind::SoftmaxCrossEntropy:
    case OpKind::MSE:
    case OpKind::BinaryCrossEntropy:
        return finish(lossBackward(c, call));
    }
    return Status::error("unknown op");
}

Status CudaBackend::upload(const Tensor& host, Tensor& target) {
    if (!host.onHost())
        return Status::error("upload needs a host tensor, not one on " + host.device().text());
    if (target.onHost() || target.device() != device())
        target = newTensor();
    target.resize(host.dims());
    if (Status s = m_context->takeError(); !s)
        return s.prefixed("upload of " + formatDims(host.dims()) + ": ");
    return m_context->uploadBytes(host.data(), target.data(), std::size_t(host.size()) * 4);
}

Status CudaBackend::download(const Tensor& source, Tensor& host) {
    if (source.device() != device())
        return Status::error("download needs a tensor on " + device().text() + ", not " +
                             source.device().text());
    if (!host.onHost())
        host = Tensor();
    host.resize(source.dims());
    return m_context->downloadBytes(source.data(), host.data(), std::size_t(source.size()) * 4);
}

Result<std::unique_ptr<PendingDownload>> CudaBackend::downloadLater(const Tensor& t) {
    if (t.size() > 0 && t.device() != device())
        return Status::error("download needs a tensor on " + device().text() + ", not " +
                             t.device().text());
    std::optional<CudaContext::SideBuffers> buffers =
        m_context->takeSideBuffers(std::size_t(t.size()) * sizeof(float));
    if (!buffers) // another copy holds them, or no room for them: a download now
        return Backend::downloadLater(t);
    return SideDownload::start(m_context, t, *buffers);
}

Status CudaBackend::beginRecording() {
    return beginGraph(*m_context);
}

Result<std::unique_ptr<RecordedWork>> CudaBackend::endRecording() {
    return endGraph(m_context);
}

Status CudaBackend::synchronize() {
    if (m_context->recording())
        return Status::error("waiting for the GPU while recording a CUDA Graph");
    m_context->activate();
    if (Status s = check(cudaStreamSynchronize(m_context->stream()), "cudaStreamSynchronize"); !s)
        return s;
    return m_context->takeError();
}

Result<bool> CudaBackend::allFinite(const Tensor& t) {
    m_context->activate();
    if (t.size() == 0)
        return true;
    if (!m_flag) {
        m_flag = static_cast<int*>(m_context->allocate(sizeof(int)));
        if (!m_flag)
            return m_context->takeError();
    }
    if (Status s =
            check(cudaMemsetAsync(m_flag, 0, sizeof(int), m_context->stream()), "cudaMemsetAsync");
        !s)
        return s;
    if (Status s = flagNonFinite(*m_context, t.data(), t.size(), m_flag); !s)
        return s;
    int flag = 0;
    if (Status s = m_context->downloadBytes(m_flag, &flag, sizeof flag); !s)
        return s;
    return flag == 0;
}

Status CudaBackend::optimizerStep(const OptimizerRule& rule, std::span<const ParameterSlot> slots) {
    m_context->activate();
    if (Status s = m_context->takeError(); !s)
        return s;
    return m_optimizer.step(rule, slots);
}

} // namespace nc::engine::cuda

namespace nc::engine::cuda {

Status CudaBackend::recordStepMetrics(std::span<const WeightedLoss> losses, const Tensor* logits,
                                      const Tensor* labels, Tensor& log, const Tensor& stepValues) {
    m_context->activate();
    return cuda::recordStepMetrics(*m_context, losses, logits, labels, log, stepValues);
}

Status CudaBackend::noteNonFinite(const Tensor& t, std::int64_t code, std::int64_t codesPerSlot,
                                  const Tensor& stepValues, Tensor& firstBad) {
    m_context->activate();
    return cuda::noteNonFinite(*m_context, t, code, codesPerSlot, stepValues, firstBad);
}

Status CudaBackend::zeroTensors(std::span<Tensor* const> tensors) {
    m_context->activate();
    if (Status s = m_context->takeError(); !s)
        return s;
    std::vector<ZeroChunk> chunks;
    for (Tensor* t : tensors) {
        if (t->device() != device())
            return Status::error("zeroing a tensor on " + t->device().text() + " on " + name());
        if (t->capacity() < t->size())
            return Status::outOfMemory("a gradient has no GPU memory (an earlier allocation "
                                       "failed)");
        for (std::int64_t begin = 0; begin < t->size(); begin += kZeroChunk)
            chunks.push_back({t->data(), begin, std::min(begin + kZeroChunk, t->size())});
    }
    if (chunks.empty())
        return Status::ok();
    Result<const ZeroChunk*> table = m_zeroTable.update(std::move(chunks));
    if (!table)
        return table.status().prefixed("zeroing gradients: ");
    return zeroChunks(*m_context, table.value(), m_zeroTable.size());
}

Status CudaBackend::gatherRows(const Tensor& table, std::span<const std::int64_t> rows,
                               Tensor& out) {
    if (table.device() != device())
        return Backend::gatherRows(table, rows, out); // a host table: gathered there, uploaded
    m_context->activate();
    if (out.device() != device())
        out = newTensor();
    Dims dims = table.dims();
    dims[0] = std::int64_t(rows.size());
    out.resize(dims);
    // The row list travels through the pinned ring; its scratch slot is free between ops.
    constexpr int kRowListSlot = 31;
    Result<float*> list = m_context->scratch(kRowListSlot, std::int64_t(rows.size()) * 2);
    if (!list)
        return list.status().prefixed("gathering a batch: ");
    if (Status s = m_context->takeError(); !s)
        return s.prefixed("gathering a batch: ");
    auto* deviceRows = reinterpret_cast<std::int64_t*>(list.value());
    if (Status s = m_context->uploadBytes(rows.data(), deviceRows, rows.size_bytes()); !s)
        return s;
    return gatherRowsDevice(*m_context, table.data(), deviceRows, std::int64_t(rows.size()),
                            sampleSize(table), out.data());
}

} // namespace nc::engine::cuda
