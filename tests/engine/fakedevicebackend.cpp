#include "fakedevicebackend.h"

#include <algorithm>

namespace nc::test {

using namespace nc::engine;

namespace {

using Recorder = FakeDeviceBackend::Recorder;

// Host memory that says it is on the fake device. While the device records, a fill is kept
// for the replays and growing is refused, as on a GPU.
class FakeDeviceStorage final : public Storage {
public:
    explicit FakeDeviceStorage(std::shared_ptr<Recorder> recorder,
                               std::unique_ptr<Storage> host = std::make_unique<HostStorage>())
        : m_recorder(std::move(recorder)), m_host(std::move(host)) {}
    Device device() const override { return Device::cuda(7); }
    float* data() override { return m_host->data(); }
    std::int64_t capacity() const override { return m_host->capacity(); }
    void resize(std::int64_t elements) override {
        if (m_recorder->active && elements > m_host->capacity())
            m_recorder->refused = true; // an allocation; the recording is thrown away
        m_host->resize(elements);
    }
    void fill(float value, std::int64_t count) override {
        if (!m_recorder->active)
            return m_host->fill(value, count);
        float* data = m_host->data();
        m_recorder->work.push_back([data, value, count] {
            std::fill_n(data, count, value);
            return Status::ok();
        });
    }
    std::unique_ptr<Storage> clone(std::int64_t count) const override {
        return std::make_unique<FakeDeviceStorage>(m_recorder, m_host->clone(count));
    }
    std::unique_ptr<Storage> makeEmpty() const override {
        return std::make_unique<FakeDeviceStorage>(m_recorder);
    }
    std::unique_ptr<Storage> view(std::int64_t offset, std::int64_t count,
                                  std::shared_ptr<const void> owner) override {
        return std::make_unique<FakeDeviceStorage>(m_recorder,
                                                   m_host->view(offset, count, std::move(owner)));
    }

private:
    std::shared_ptr<Recorder> m_recorder;
    std::unique_ptr<Storage> m_host;
};

// The tensors of an op call but its state.
std::vector<const Tensor*> callTensors(const OpCall& call) {
    std::vector<const Tensor*> tensors(call.inputs.begin(), call.inputs.end());
    tensors.insert(tensors.end(), call.params.begin(), call.params.end());
    tensors.insert(tensors.end(), call.gradInputs.begin(), call.gradInputs.end());
    tensors.insert(tensors.end(), call.gradParams.begin(), call.gradParams.end());
    tensors.insert(tensors.end(), {call.output, call.gradOutput, call.stepValues});
    return tensors;
}

// The work kept by a recording, run again in order.
class FakeRecording final : public RecordedWork {
public:
    FakeRecording(std::shared_ptr<Recorder> recorder, std::vector<std::function<Status()>> work)
        : m_recorder(std::move(recorder)), m_work(std::move(work)) {}
    Result<bool> replay() override {
        ++m_recorder->replays;
        for (const auto& piece : m_work)
            if (Status s = piece(); !s)
                return s;
        return true;
    }

private:
    std::shared_ptr<Recorder> m_recorder;
    std::vector<std::function<Status()>> m_work;
};

// A copy made at once that reports landing only after a few polls.
class SlowDownload final : public PendingDownload {
public:
    SlowDownload(Tensor host, int polls) : m_host(std::move(host)), m_polls(polls) {}
    bool ready() override { return m_polls-- <= 0; }
    Result<Tensor> take() override { return std::move(m_host); }

private:
    Tensor m_host;
    int m_polls;
};

} // namespace

Result<std::unique_ptr<PendingDownload>> FakeDeviceBackend::downloadLater(const Tensor& t) {
    Tensor host;
    if (Status s = download(t, host); !s)
        return s;
    return std::unique_ptr<PendingDownload>(
        std::make_unique<SlowDownload>(std::move(host), downloadLatency));
}

Status FakeDeviceBackend::onDevice(const Tensor& t, const char* what) const {
    if (t.size() > 0 && t.device() != device())
        return Status::error(std::string("the fake device got a ") + t.device().text() + " " +
                             what);
    return Status::ok();
}

bool FakeDeviceBackend::supportsOp(OpKind kind) const {
    return kind != OpKind::Input && !m_missing.contains(kind);
}

Status FakeDeviceBackend::forward(const OpCall& call) {
    if (++forwardCalls == outOfMemoryAtForward)
        return Status::outOfMemory("out of GPU memory: 1.5 GB requested, 0.2 GB of 8.0 GB free");
    for (const Tensor* in : call.inputs)
        if (Status s = onDevice(*in, "input"); !s)
            return s;
    if (recorded([this, call] { return m_cpu.forward(call); }, callTensors(call), {call.state}))
        return Status::ok();
    return m_cpu.forward(call);
}

Status FakeDeviceBackend::backward(const OpCall& call) {
    ++backwardCalls;
    if (Status s = onDevice(*call.gradOutput, "output gradient"); !s)
        return s;
    if (recorded([this, call] { return m_cpu.backward(call); }, callTensors(call), {call.state}))
        return Status::ok();
    return m_cpu.backward(call);
}

bool FakeDeviceBackend::recorded(std::function<Status()> work, std::vector<const Tensor*> tensors,
                                 std::vector<const Tensor*> states) {
    if (!m_recorder->active)
        return false;
    struct Place {
        const Tensor* tensor;
        const float* data;
        std::int64_t size; // -1: any (an op state)
    };
    std::vector<Place> places;
    for (const Tensor* t : tensors)
        if (t)
            places.push_back({t, t->data(), t->size()});
    for (const Tensor* t : states)
        if (t)
            places.push_back({t, t->data(), -1});
    m_recorder->work.push_back([places, work = std::move(work)] {
        for (const Place& p : places)
            if (p.tensor->data() != p.data || (p.size >= 0 && p.tensor->size() != p.size))
                return Status::error("a replay on a tensor that moved or changed size");
        return work();
    });
    return true;
}

Status FakeDeviceBackend::refused(const char* what) {
    m_recorder->refused = true;
    return Status::error(std::string(what) + " while recording");
}

Status FakeDeviceBackend::beginRecording() {
    if (!recording)
        return Backend::beginRecording();
    *m_recorder = {true, false, {}, m_recorder->replays};
    return Status::ok();
}

Result<std::unique_ptr<RecordedWork>> FakeDeviceBackend::endRecording() {
    m_recorder->active = false;
    std::vector<std::function<Status()>> work = std::move(m_recorder->work);
    m_recorder->work.clear();
    if (m_recorder->refused || breakEveryRecording)
        return std::unique_ptr<RecordedWork>();
    return std::unique_ptr<RecordedWork>(
        std::make_unique<FakeRecording>(m_recorder, std::move(work)));
}

Status FakeDeviceBackend::recordStepMetrics(std::span<const WeightedLoss> losses,
                                            const Tensor* logits, const Tensor* labels, Tensor& log,
                                            const Tensor& stepValues) {
    std::vector<WeightedLoss> kept(losses.begin(), losses.end());
    auto work = [this, kept, logits, labels, &log, &stepValues] {
        return Backend::recordStepMetrics(kept, logits, labels, log, stepValues);
    };
    std::vector<const Tensor*> tensors{logits, labels, &log, &stepValues};
    for (const WeightedLoss& loss : losses)
        tensors.push_back(loss.value);
    return recorded(work, tensors) ? Status::ok() : work();
}

Status FakeDeviceBackend::noteNonFinite(const Tensor& t, std::int64_t code,
                                        std::int64_t codesPerSlot, const Tensor& stepValues,
                                        Tensor& firstBad) {
    auto work = [this, &t, code, codesPerSlot, &stepValues, &firstBad] {
        return Backend::noteNonFinite(t, code, codesPerSlot, stepValues, firstBad);
    };
    return recorded(work, {&t, &stepValues, &firstBad}) ? Status::ok() : work();
}

Status FakeDeviceBackend::zeroTensors(std::span<Tensor* const> tensors) {
    std::vector<Tensor*> kept(tensors.begin(), tensors.end());
    auto work = [this, kept] { return Backend::zeroTensors(kept); };
    return recorded(work, {kept.begin(), kept.end()}) ? Status::ok() : work();
}

Tensor FakeDeviceBackend::newTensor() const {
    return Tensor(std::make_unique<FakeDeviceStorage>(m_recorder));
}

Status FakeDeviceBackend::upload(const Tensor& host, Tensor& target) {
    ++uploadCalls;
    if (m_recorder->active)
        return refused("an upload");
    if (!host.onHost())
        return Status::error("upload needs a host tensor");
    if (outOfMemoryFromUpload > 0 && host.size() >= outOfMemoryFromUpload) {
        ++refusedUploads;
        return Status::outOfMemory("out of device memory: " + std::to_string(host.size() * 4) +
                                   " bytes requested");
    }
    if (target.device() != device())
        target = newTensor();
    target.resize(host.dims());
    std::copy_n(host.data(), host.size(), target.data());
    return Status::ok();
}

Status FakeDeviceBackend::gatherRows(const Tensor& table, std::span<const std::int64_t> rows,
                                     Tensor& out) {
    ++gatherCalls;
    if (m_recorder->active)
        return refused("an upload of rows");
    if (Status s = onDevice(table, "table"); !s)
        return s;
    if (out.device() != device())
        out = newTensor();
    gatherRowsOnHost(table, rows, out); // the fake device's memory is host memory
    return Status::ok();
}

Status FakeDeviceBackend::download(const Tensor& source, Tensor& host) {
    ++downloadCalls;
    if (m_recorder->active)
        return refused("a download");
    if (Status s = onDevice(source, "tensor to download"); !s)
        return s;
    if (!host.onHost())
        host = Tensor();
    host.resize(source.dims());
    std::copy_n(source.data(), source.size(), host.data());
    return Status::ok();
}

Result<bool> FakeDeviceBackend::allFinite(const Tensor& t) {
    if (m_recorder->active)
        return refused("a finite check that waits");
    if (Status s = onDevice(t, "tensor to check"); !s)
        return s;
    return m_cpu.allFinite(t);
}

Status FakeDeviceBackend::optimizerStep(const OptimizerRule& rule,
                                        std::span<const ParameterSlot> slots) {
    for (const ParameterSlot& slot : slots)
        if (Status s = onDevice(*slot.value, "parameter"); !s)
            return s;
    std::vector<ParameterSlot> kept(slots.begin(), slots.end());
    auto work = [this, rule, kept] { return m_cpu.optimizerStep(rule, kept); };
    std::vector<const Tensor*> tensors{rule.stepValues};
    for (const ParameterSlot& slot : kept)
        tensors.insert(tensors.end(), {slot.value, slot.grad, slot.first, slot.second});
    return recorded(work, tensors) ? Status::ok() : work();
}

} // namespace nc::test
