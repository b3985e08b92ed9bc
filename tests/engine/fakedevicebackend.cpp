#include "fakedevicebackend.h"

#include <algorithm>

namespace nc::test {

using namespace nc::engine;

namespace {

// Host memory that says it is on the fake device.
class FakeDeviceStorage final : public Storage {
public:
    explicit FakeDeviceStorage(std::unique_ptr<Storage> host = std::make_unique<HostStorage>())
        : m_host(std::move(host)) {}
    Device device() const override { return Device::cuda(7); }
    float* data() override { return m_host->data(); }
    std::int64_t capacity() const override { return m_host->capacity(); }
    void resize(std::int64_t elements) override { m_host->resize(elements); }
    void fill(float value, std::int64_t count) override { m_host->fill(value, count); }
    std::unique_ptr<Storage> clone(std::int64_t count) const override {
        return std::make_unique<FakeDeviceStorage>(m_host->clone(count));
    }
    std::unique_ptr<Storage> makeEmpty() const override {
        return std::make_unique<FakeDeviceStorage>();
    }
    std::unique_ptr<Storage> view(std::int64_t offset, std::int64_t count,
                                  std::shared_ptr<const void> owner) override {
        return std::make_unique<FakeDeviceStorage>(m_host->view(offset, count, std::move(owner)));
    }

private:
    std::unique_ptr<Storage> m_host;
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
    return m_cpu.forward(call);
}

Status FakeDeviceBackend::backward(const OpCall& call) {
    ++backwardCalls;
    if (Status s = onDevice(*call.gradOutput, "output gradient"); !s)
        return s;
    return m_cpu.backward(call);
}

Tensor FakeDeviceBackend::newTensor() const {
    return Tensor(std::make_unique<FakeDeviceStorage>());
}

Status FakeDeviceBackend::upload(const Tensor& host, Tensor& target) {
    ++uploadCalls;
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
    if (Status s = onDevice(table, "table"); !s)
        return s;
    if (out.device() != device())
        out = newTensor();
    gatherRowsOnHost(table, rows, out); // the fake device's memory is host memory
    return Status::ok();
}

Status FakeDeviceBackend::download(const Tensor& source, Tensor& host) {
    ++downloadCalls;
    if (Status s = onDevice(source, "tensor to download"); !s)
        return s;
    if (!host.onHost())
        host = Tensor();
    host.resize(source.dims());
    std::copy_n(source.data(), source.size(), host.data());
    return Status::ok();
}

Result<bool> FakeDeviceBackend::allFinite(const Tensor& t) {
    if (Status s = onDevice(t, "tensor to check"); !s)
        return s;
    return m_cpu.allFinite(t);
}

Status FakeDeviceBackend::optimizerStep(const OptimizerRule& rule,
                                        std::span<const ParameterSlot> slots) {
    for (const ParameterSlot& slot : slots)
        if (Status s = onDevice(*slot.value, "parameter"); !s)
            return s;
    return m_cpu.optimizerStep(rule, slots);
}

} // namespace nc::test
