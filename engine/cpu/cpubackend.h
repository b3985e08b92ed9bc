#pragma once
// The CPU backend: Eigen GEMMs and OpenMP loops over samples, every op of the set.

#include "../backend.h"

namespace nc::engine {

class CpuBackend final : public Backend {
public:
    std::string name() const override { return "cpu"; }
    bool supportsOp(OpKind kind) const override;
    Status forward(const OpCall& call) override;
    Status backward(const OpCall& call) override;
};

} // namespace nc::engine
