#pragma once
// CPU/GPU parity of recorded training steps (engine/trainingstep.h): steps recorded as a CUDA
// Graph and replayed give the CPU's weights and metrics. Runs when the backend records
// (NETCANVAS_CUDA_GRAPHS=1); otherwise it says so.

#include "paritycheck.h"

namespace nc::engine {
class Backend;
}

namespace nc::test {

void compareRecordedSteps(engine::Backend& gpu, ParityCheck& check);

} // namespace nc::test
