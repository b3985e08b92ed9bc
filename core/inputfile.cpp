#include "inputfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace nc::core {

Result<InputFile> InputFile::open(const std::string& path) {
    // O_NONBLOCK: a FIFO nobody writes to opens at once and reads as empty, instead of
    // blocking the open forever. Reads block as usual once it is cleared below.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return Status::ioError("cannot open " + path + ": " + std::strerror(errno));
    if (const int flags = ::fcntl(fd, F_GETFL); flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        const int error = errno;
        ::close(fd);
        return Status::ioError("cannot read " + path + ": " + std::strerror(error));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        return Status::ioError("cannot read " + path + ": " + std::strerror(error));
    }
    if (S_ISDIR(info.st_mode)) {
        ::close(fd);
        return Status::ioError("cannot read " + path + ": it is a folder, not a file");
    }
    std::optional<std::uint64_t> size;
    if (S_ISREG(info.st_mode))
        size = std::uint64_t(info.st_size);
    return InputFile(path, fd, size);
}

InputFile::InputFile(InputFile&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(std::exchange(other.m_fd, -1)), m_size(other.m_size) {}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_path = std::move(other.m_path);
        m_fd = std::exchange(other.m_fd, -1);
        m_size = other.m_size;
    }
    return *this;
}

InputFile::~InputFile() {
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::size_t> InputFile::read(std::size_t count, std::string& out) {
    const std::size_t start = out.size();
    std::size_t got = 0;
    constexpr std::size_t kChunk = std::size_t(1) << 20; // grow with what arrives, not the ask
    while (got < count) {
        const std::size_t want = std::min(count - got, kChunk);
        out.resize(start + got + want);
        const ssize_t n = ::read(m_fd, out.data() + start + got, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            out.resize(start + got);
            return Status::ioError("cannot read " + m_path + ": " + std::strerror(error));
        }
        if (n == 0)
            break;
        got += std::size_t(n);
    }
    out.resize(start + got);
    return got;
}

std::string describeByteCount(std::uint64_t bytes) {
    constexpr std::uint64_t kMiB = std::uint64_t(1) << 20, kGiB = std::uint64_t(1) << 30;
    if (bytes >= kGiB && bytes % kGiB == 0)
        return std::to_string(bytes / kGiB) + " GiB";
    if (bytes >= kMiB && bytes % kMiB == 0)
        return std::to_string(bytes / kMiB) + " MiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace nc::core
