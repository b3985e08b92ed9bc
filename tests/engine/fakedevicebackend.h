#pragma once
// A test backend that stands in for a GPU: its tensors report a device of their own
// (cuda:7), it lacks some ops (the executor must then stage them through the host on the CPU
// fallback), it counts the op calls it receives, can run out of memory on cue and can hold
// back copies to the host (downloadLater). Its arithmetic is the CPU backend's, so results
// must match the CPU exactly.
//
// With `recording` it records work as a CUDA Graph does (Backend::beginRecording): ops,
// updates, fills and metrics are kept with the arguments they were asked with, run only by a
// replay, and read whatever memory they point at then; transfers, waits and allocations are
// refused while recording. A value passed by value that should have come from memory (the
// step, the rate) is then replayed stale, and the results differ from the CPU's; a replay on
// tensors that moved or changed size since fails.

#include "engine/cpu/cpubackend.h"

#include <functional>
#include <memory>
#include <set>
#include <vector>

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
    engine::Status synchronize() override {
        return m_recorder->active ? refused("a wait") : engine::Status::ok();
    }
    engine::Result<bool> allFinite(const engine::Tensor& t) override;
    engine::Status optimizerStep(const engine::OptimizerRule& rule,
                                 std::span<const engine::ParameterSlot> slots) override;
    engine::Status gatherRows(const engine::Tensor& table, std::span<const std::int64_t> rows,
                              engine::Tensor& out) override;
    // Copies at once, like a device copy queued in order, but says it landed only after
    // `downloadLatency` calls of ready(), like a copy still on its way.
    engine::Result<std::unique_ptr<engine::PendingDownload>>
    downloadLater(const engine::Tensor& t) override;
    engine::Status recordStepMetrics(std::span<const engine::WeightedLoss> losses,
                                     const engine::Tensor* logits, const engine::Tensor* labels,
                                     engine::Tensor& log,
                                     const engine::Tensor& stepValues) override;
    engine::Status noteNonFinite(const engine::Tensor& t, std::int64_t code,
                                 std::int64_t codesPerSlot, const engine::Tensor& stepValues,
                                 engine::Tensor& firstBad) override;
    engine::Status zeroTensors(std::span<engine::Tensor* const> tensors) override;
    bool canRecord() const override { return recording; }
    engine::Status beginRecording() override;
    engine::Result<std::unique_ptr<engine::RecordedWork>> endRecording() override;

    // The work of a recording under way, shared with the device's tensors (their fills).
    struct Recorder {
        bool active = false;
        bool refused = false;
        std::vector<std::function<engine::Status()>> work;
        int replays = 0; // of any recording
    };

    bool recording = false;
    // Every recording breaks, as a capture does on a call it does not support.
    bool breakEveryRecording = false;
    const Recorder& recorder() const { return *m_recorder; }

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
    // While recording: keeps `work` for the replays (ok), or refuses what cannot be recorded.
    // A replay first checks that `tensors` are where they were and (but for op states, which
    // the ops size) of the same size, as a graph's launches would find them.
    bool recorded(std::function<engine::Status()> work, std::vector<const engine::Tensor*> tensors,
                  std::vector<const engine::Tensor*> states = {});
    engine::Status refused(const char* what);

    std::set<engine::OpKind> m_missing;
    engine::CpuBackend m_cpu;
    std::shared_ptr<Recorder> m_recorder = std::make_shared<Recorder>();
};

} // namespace nc::test
