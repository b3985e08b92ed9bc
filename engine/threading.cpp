#include "threading.h"

#include <Eigen/Core>
#include <omp.h>
#include <thread>

namespace nc::engine {

namespace {
int g_threads = 0;
}

void setThreadCount(int threads) {
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    g_threads = threads;
    omp_set_num_threads(threads);
    Eigen::setNbThreads(threads);
}

int threadCount() {
    if (g_threads == 0)
        setThreadCount(0);
    return g_threads;
}

} // namespace nc::engine
