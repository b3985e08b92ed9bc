#include "fakedevicebackend.h"

#include <algorithm>

namespace nc::test {

using namespace nc::engine;

namespace {

// Host memory that says it is on the fake device.
class FakeDeviceStorage final : public Storage {
public:
    Device device() const override { return Device::cuda(7); }
    float* data() override { return m_host.data(); }
    std::int64_t capacity() const override { return m_host.capacity(); }
    void resize(std::int64_t elements) override { m_host.resize(elements); }
    void fill(float value, std::int64_t count) override { m_host.fill(value, count); }
    std::unique_ptr<Storage> clone(std::int64_t count) const override {
        auto copy = std::make_unique<FakeDeviceStorage>();
        copy->m_host.resize(count);
        std::copy_n(const_cast<HostStorage&>(m_host).data(), count, copy->m_host.data());
        return copy;
    }
    std::unique_ptr<Storage> makeEmpty() const override {
        return std::make_unique<FakeDeviceStorage>();
    }

private:
    HostStorage m_host;
};

} // namespace

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
    if (!host.onHost())
        return Status::error("upload needs a host tensor");
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
