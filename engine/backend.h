#pragma once
// A compute backend: the CPU (Eigen) one, and later CUDA/cuDNN. One op enum, one dispatch per
// backend. The executor asks supportsOp() and falls back to the CPU for the rest, saying so.

#include "core/status.h"
#include "opcall.h"

#include <string>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;
    virtual bool supportsOp(OpKind kind) const = 0;
    virtual Status forward(const OpCall& call) = 0;
    virtual Status backward(const OpCall& call) = 0;
};

} // namespace nc::engine
