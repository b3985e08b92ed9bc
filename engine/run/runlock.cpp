#include "runlock.h"

#include "core/numberparse.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

std::string lockPath(const std::string& folder) {
    return folder + "/" + RunLock::kFileName;
}

std::int64_t readPid(int fd) {
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    std::string_view text(buffer, n > 0 ? std::size_t(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    const auto pid = nc::core::parseInt64(text, "pid", 1);
    return pid ? pid.value() : 0;
}

} // namespace

std::string RunLock::inUseMessage(const std::string& folder, std::int64_t pid) {
    return "run folder " + folder + " is in use by another training (pid " +
           (pid > 0 ? std::to_string(pid) : std::string("unknown")) + ")";
}

Result<RunLock> RunLock::acquire(const std::string& folder) {
    const std::string path = lockPath(folder);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return Status::error("cannot create " + path + ": " +
                             (errno == ELOOP ? std::string("it is a symbolic link")
                                             : std::strerror(errno)));
    RunLock lock(fd); // closes fd on every return below
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            return Status::error(inUseMessage(folder, readPid(fd)));
        return Status::error("cannot lock " + path + ": " + std::strerror(errno));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != ssize_t(pid.size()))
        return Status::error("cannot write " + path + ": " + std::strerror(errno));
    return lock;
}

std::optional<std::int64_t> RunLock::holder(const std::string& folder) {
    const int fd = ::open(lockPath(folder).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::optional<std::int64_t> pid;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
        pid = readPid(fd);
    ::close(fd); // also releases the shared lock taken to test
    return pid;
}

RunLock::RunLock(RunLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

RunLock::~RunLock() {
    if (m_fd >= 0)
        ::close(m_fd); // releases the lock
}

} // namespace nc::engine
