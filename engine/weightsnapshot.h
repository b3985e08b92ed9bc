#pragma once
// A read-only copy of a model's parameters (and buffers) at one step, on the host. The trainer
// publishes one every N steps and on request; other threads (the GUI's probes and filter
// views) read it while training goes on. Snapshots are immutable once published and shared
// by pointer, so readers never lock and never see a half-written tensor.
//
//   std::shared_ptr<const WeightSnapshot> s = trainer.latestSnapshot();
//   if (s) if (const Tensor* w = s->find("conv1.weight")) draw(*w);

#include "tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nc::engine {

struct WeightSnapshot {
    int epoch = 0;          // epochs completed when it was taken
    std::uint64_t step = 0; // optimizer steps taken when it was taken
    std::vector<std::pair<std::string, Tensor>> tensors; // in parameter order

    const Tensor* find(const std::string& name) const {
        for (const auto& [n, t] : tensors)
            if (n == name)
                return &t;
        return nullptr;
    }
};

using SnapshotPtr = std::shared_ptr<const WeightSnapshot>;

} // namespace nc::engine
