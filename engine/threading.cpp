#include "threading.h"

#include <algorithm>
#include <omp.h>
#include <thread>

namespace nc::engine {

int defaultThreadCount() {
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

void setThreadCount(int threads) {
    omp_set_num_threads(threads <= 0 ? defaultThreadCount() : threads);
}

int threadCount() {
    return omp_get_max_threads();
}

ThreadScope::ThreadScope(int threads) : m_previous(omp_get_max_threads()) {
    setThreadCount(threads);
}

ThreadScope::~ThreadScope() {
    omp_set_num_threads(m_previous);
}

} // namespace nc::engine
