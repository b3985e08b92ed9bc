#pragma once
// The engine's thread count. Kernels split work over samples with a static schedule, so a
// given thread count always gives the same results. The count belongs to the thread that runs
// the work (OpenMP keeps it per thread, and Eigen follows OpenMP's), so a run sets it on its
// own thread with a ThreadScope: a trainer on a GUI worker thread gets its configured count.
//
//   ThreadScope threads(config.threads);   // 0: every core
//   trainer.fit(...);

namespace nc::engine {

int defaultThreadCount(); // every core

// Sets the calling thread's count (<= 0: every core) until the scope ends.
class ThreadScope {
public:
    explicit ThreadScope(int threads);
    ~ThreadScope();
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

private:
    int m_previous;
};

// Sets the calling thread's count for good (command-line tools and tests).
void setThreadCount(int threads); // <= 0: every core
// The calling thread's count.
int threadCount();

} // namespace nc::engine
