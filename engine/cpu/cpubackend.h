#pragma once
// The CPU backend: Eigen GEMMs and OpenMP loops over samples, every op of the set, on host
// memory. Create it through the backend list (backendlist.h) rather than by name.

#include "../backend.h"

namespace nc::engine {

class CpuBackend final : public Backend {
public:
    std::string name() const override { return "cpu"; }
    Device device() const override { return Device::cpu(); }

    bool supportsOp(OpKind kind) const override;
    Status forward(const OpCall& call) override;
    Status backward(const OpCall& call) override;

    Tensor newTensor() const override { return Tensor(); }
    Status upload(const Tensor& host, Tensor& target) override;
    Status download(const Tensor& source, Tensor& host) override;
    Status synchronize() override { return Status::ok(); }
    Result<bool> allFinite(const Tensor& t) override;
    Status optimizerStep(const OptimizerRule& rule, std::span<const ParameterSlot> slots) override;
    Status gatherRows(const Tensor& table, std::span<const std::int64_t> rows,
                      Tensor& out) override;
};

} // namespace nc::engine
