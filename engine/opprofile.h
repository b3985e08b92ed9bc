#pragma once
// Where a pass spends its time, op by op. An executor given an OpProfile waits for its device
// before and after each op and adds the wall time between to that op's forward or backward
// total. Waiting after every op takes away a GPU's overlap of the next launch with the running
// kernel, so each time is the op's own, launch included, and their sum is more than an
// unprofiled step takes (`netcanvas-cli bench --profile` prints both). A recorded training
// step (trainingstep.h) is never profiled: it runs as queued.
//
//   OpProfile profile;
//   executor.setProfile(&profile);
//   ... forward and backward passes ...
//   executor.setProfile(nullptr);
//   for (const OpProfile::Entry& e : profile.entries()) ...   // in plan order

#include "op.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nc::engine {

class OpProfile {
public:
    struct Entry {
        std::size_t step = 0; // the plan step
        std::string name;     // the node's
        OpKind kind = OpKind::Input;
        double forwardSeconds = 0, backwardSeconds = 0;
        std::int64_t forwardRuns = 0, backwardRuns = 0;
    };

    // Adds one run of plan step `step` (named `name`, of kind `kind`).
    void add(std::size_t step, const std::string& name, OpKind kind, bool forward, double seconds);
    // The plan steps that ran at least once, in plan order.
    std::vector<Entry> entries() const;
    // Every op's forward and backward time together.
    double totalSeconds() const;
    void clear() { m_entries.clear(); }

private:
    std::vector<Entry> m_entries; // indexed by plan step; unrun steps have no runs
};

} // namespace nc::engine
