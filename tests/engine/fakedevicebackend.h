#pragma once
// A test backend that stands in for a GPU: its tensors report a device of their own
// (cuda:7), it lacks some ops (the executor must then stage them through the host on the CPU
// fallback), it counts the op calls it receives, can run out of memory on cue and can hold
// back copies to the host (downloadLater). Its arithmetic is
// the CPU backend's, so results must match the CPU exactly.

#include "engine/cpu/cpubackend.h"

#include <set>

namespace nc::test {

class FakeDeviceBackend final : public engine::Backend {
public:
    explicit FakeDeviceBackend(std::set<engine::OpKind> missing = {})
        : m_missing(std::move(missing)) {}

    std::string name() const override { return "fake device"; }
    engine::Device device() const override { return engine::Device::cuda(7); }
    bool supportsOp(engine::OpKind kind) const override;
    engine::Status forward(const engine::OpCall& call) override;
    engine::Status backward(const engine::OpCall& call) override;
    engine::Tensor newTensor() const override;
    engine::Status upload(const engine::Tensor& host, engine::Tensor& target) override;
    engine::Status download(const engine::Tensor& source, engine::Tensor& host) override;
    engine::Status synchronize() override { return engine::Status::ok(); }
    engine::Result<bool> allFinite(const engine::Tensor& t) override;
    engine::Status optimizerStep(const engine::OptimizerRule& rule,
                                 std::span<const engine::ParameterSlot> slots) override;
    engine::Status gatherRows(const engine::Tensor& table, std::span<const std::int64_t> rows,
                              engine::Tensor& out) override;
    // Copies at once, like a device copy queued in order, but says it landed only after
    // `downloadLatency` calls of ready(), like a copy still on its way.
    engine::Result<std::unique_ptr<engine::PendingDownload>>
    downloadLater(const engine::Tensor& t) override;

    int gatherCalls = 0;
    int uploadCalls = 0, downloadCalls = 0;

    int forwardCalls = 0, backwardCalls = 0;
    // The forward call (1-based) that reports running out of device memory; 0: none.
    int outOfMemoryAtForward = 0;
    // Uploads of this many floats or more run out of device memory; 0: none do.
    std::int64_t outOfMemoryFromUpload = 0;
    int refusedUploads = 0;
    int downloadLatency = 0;

private:
    engine::Status onDevice(const engine::Tensor& t, const char* what) const;

    std::set<engine::OpKind> m_missing;
    engine::CpuBackend m_cpu;
};

} // namespace nc::test
