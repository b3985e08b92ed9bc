#include "eventfile.h"

#include "engine/io/tfrecord.h"
#include "tfevents.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

constexpr std::string_view kPrefix = "events.out.tfevents.";

std::string reason() {
    return std::strerror(errno);
}

std::string fileNameOf(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

bool isEventFileName(std::string_view name) {
    if (name.size() > 255 || name.substr(0, kPrefix.size()) != kPrefix)
        return false;
    name.remove_prefix(kPrefix.size());
    const std::size_t dot = name.find('.');
    if (dot == 0 || dot == std::string_view::npos || dot + 1 == name.size())
        return false;
    for (std::size_t i = 0; i < dot; ++i)
        if (name[i] < '0' || name[i] > '9')
            return false;
    for (char c : name.substr(dot + 1))
        if (c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return false;
    return true;
}

Result<EventFile> EventFile::create(const std::string& folder, double wallTime,
                                    const std::string& host) {
    const std::string base =
        folder + "/events.out.tfevents." + std::to_string(std::int64_t(wallTime)) + "." + host;
    for (int n = 1; n <= 100; ++n) {
        std::string path = n == 1 ? base : base + "." + std::to_string(n);
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return Status::error("cannot create " + path + ": " + reason());
        EventFile file(fd, std::move(path), 0);
        file.append(fileVersionEvent(wallTime));
        return file;
    }
    return Status::error("cannot create " + base + ": the name and its numbered variants exist");
}

Result<EventFile> EventFile::resume(const std::string& path, std::uint64_t committedBytes) {
    if (!isEventFileName(fileNameOf(path)))
        return Status::error(path + " is not named as an event file");
    const int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return Status::error("cannot open " + path + ": " +
                             (errno == ELOOP ? std::string("it is a symbolic link") : reason()));
    EventFile file(fd, path, 0); // closes fd on every return below
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return Status::error("cannot read " + path + ": " + reason());
    if (!S_ISREG(info.st_mode))
        return Status::error(path + " is not a regular file");
    if (std::uint64_t(info.st_size) < committedBytes)
        return Status::error(path + " has " + std::to_string(info.st_size) +
                             " bytes, fewer than the " + std::to_string(committedBytes) +
                             " its checkpoint recorded");
    if (Status s = file.cutBack(committedBytes); !s)
        return s;
    return file;
}

EventFile::EventFile(EventFile&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_path(std::move(other.m_path)),
      m_written(other.m_written), m_buffer(std::move(other.m_buffer)) {}

EventFile& EventFile::operator=(EventFile&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
        m_written = other.m_written;
        m_buffer = std::move(other.m_buffer);
    }
    return *this;
}

EventFile::~EventFile() {
    if (m_fd >= 0)
        ::close(m_fd); // unflushed events are dropped: only flush() commits
}

std::string EventFile::fileName() const {
    return fileNameOf(m_path);
}

void EventFile::append(std::string_view event) {
    m_buffer += frameRecord(event);
}

Status EventFile::flush(bool durable) {
    std::string_view rest = m_buffer;
    while (!rest.empty()) {
        const ssize_t n = ::write(m_fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const std::string why = n < 0 ? reason() : "nothing written";
            // Keep what is unwritten for a later try; what was written stays counted.
            m_buffer.erase(0, m_buffer.size() - rest.size());
            return Status::error("cannot write " + m_path + ": " + why);
        }
        rest.remove_prefix(std::size_t(n));
        m_written += std::uint64_t(n);
    }
    m_buffer.clear();
    if (durable && ::fsync(m_fd) != 0)
        return Status::error("cannot write " + m_path + ": " + reason());
    return Status::ok();
}

Status EventFile::cutBack(std::uint64_t bytes) {
    m_buffer.clear();
    if (::ftruncate(m_fd, off_t(bytes)) != 0 || ::lseek(m_fd, off_t(bytes), SEEK_SET) < 0)
        return Status::error("cannot cut back " + m_path + ": " + reason());
    m_written = bytes;
    return Status::ok();
}

} // namespace nc::engine
