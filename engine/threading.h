#pragma once
// The engine's thread count. Kernels split work over samples with a static schedule, so a
// given thread count always gives the same results.

namespace nc::engine {

void setThreadCount(int threads); // <= 0: every core
int threadCount();

} // namespace nc::engine
