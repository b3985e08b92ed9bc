#pragma once
// Keeps two trainings out of one run folder: an exclusive flock() on `<folder>/.lock`, held
// for as long as the RunLock lives. The kernel drops the lock when its process dies (SIGKILL
// included), so a crashed run never blocks the next one; the file itself stays and holds the
// pid of its last holder, for the message a second training gets.
//
//   Result<RunLock> lock = RunLock::acquire(folder); // "... is in use by another training (pid
//   42)"

#include "core/status.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nc::engine {

class RunLock {
public:
    static constexpr const char* kFileName = ".lock";

    // Creates the lock file when needed; an error when another process holds it.
    static nc::core::Result<RunLock> acquire(const std::string& folder);
    // The pid of the process that holds the folder's lock now (0 if it wrote none), or nullopt
    // when none does. Creates nothing.
    static std::optional<std::int64_t> holder(const std::string& folder);
    static std::string inUseMessage(const std::string& folder, std::int64_t pid);

    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

private:
    explicit RunLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace nc::engine
