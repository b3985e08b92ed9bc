#pragma once
// Runs one op on a host backend (the CPU fallback) while its tensors live on another device:
// inputs, parameters and incoming gradients are downloaded, the op runs on host copies, and
// what it wrote (the output, accumulated gradients) is uploaded back. The op's own scratch
// state stays on the host between its forward and backward. Slow, but exact: it lets a
// backend that lacks an op still run every graph.

#include "backend.h"

namespace nc::engine {

Status runStagedThroughHost(Backend& host, Backend& device, OpCall& call, bool forward);

} // namespace nc::engine
