#pragma once
// CPU/GPU parity of the CUDA backend's memory paths, part of tst_cudaparity: batches gathered
// from a table resident on the device, uploads staged on the copy stream, the fused zeroing of
// gradients, the one-block parameter arena, copies to the host on the side stream, and the
// Trainer that uses them all, against the CPU.

#include "paritycheck.h"

namespace nc::engine {
class Backend;
}

namespace nc::test {

void compareMemoryPaths(engine::Backend& gpu, ParityCheck& check);

} // namespace nc::test
