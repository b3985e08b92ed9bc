#include "atomicwrite.h"

#include "inputfile.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace nc::core {

namespace {

std::string reason() {
    return std::strerror(errno);
}

bool writeAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes.remove_prefix(std::size_t(n));
    }
    return true;
}

// A FIFO or character device takes the bytes as they come: it is written through, never
// replaced by a regular file. O_NONBLOCK on open turns a FIFO nobody reads into an error
// instead of a hang.
Status writeThrough(const std::string& path, std::string_view bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return Status::ioError("cannot write " + path + ": " +
                               (errno == ENXIO ? std::string("nothing reads from it")
                                               : reason()));
    const int flags = ::fcntl(fd, F_GETFL);
    bool ok = flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 && writeAll(fd, bytes);
    std::string why = ok ? std::string() : reason();
    if (::close(fd) != 0 && ok) {
        ok = false;
        why = reason();
    }
    return ok ? Status::ok() : Status::ioError("cannot write " + path + ": " + why);
}

Status replaceRegularFile(const std::string& path, std::string_view bytes) {
    std::string pattern = path + std::string(kTemporaryInfix) + "XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = ::mkstemp(name.data());
    if (fd < 0)
        return Status::ioError("cannot write " + path + ": " + reason());
    std::string tmp(name.data());
    bool ok = writeAll(fd, bytes) && ::fsync(fd) == 0;
    std::string why = ok ? std::string() : reason();
    ::fchmod(fd, 0644);
    if (::close(fd) != 0 && ok) {
        ok = false;
        why = reason();
    }
    if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
        ok = false;
        why = reason();
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        return Status::ioError("cannot write " + path + ": " + why);
    }
    return Status::ok();
}

} // namespace

Status writeFileAtomically(const std::string& path, std::string_view bytes) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno != ENOENT)
            return Status::ioError("cannot write " + path + ": " + reason());
        return replaceRegularFile(path, bytes);
    }
    // A link is never followed: the new file takes the link's place and whatever it named is
    // left as it was (a run folder's files, a user's output alike).
    if (S_ISLNK(info.st_mode))
        return replaceRegularFile(path, bytes);
    if (S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode))
        return writeThrough(path, bytes);
    if (!S_ISREG(info.st_mode))
        return Status::ioError("cannot write " + path + ": " +
                               (S_ISDIR(info.st_mode) ? "it is a folder"
                                                      : "it is not a regular file"));
    return replaceRegularFile(path, bytes);
}

Result<std::string> readWholeFile(const std::string& path, std::size_t maxBytes) {
    Result<InputFile> file = InputFile::open(path);
    if (!file)
        return file.status();
    const std::string tooLarge =
        path + ": the file is larger than " + describeByteCount(maxBytes) + ", the most allowed";
    if (file.value().size() && *file.value().size() > maxBytes)
        return Status::error(tooLarge); // refused before reading a byte
    std::string bytes;
    // One byte past the cap tells a stream of exactly maxBytes from a longer one. A regular
    // file is read into room for its size and one byte more (a file that grew meanwhile is
    // read on), so its bytes are held once, not in a string that doubled as it grew.
    const std::size_t limit = maxBytes < SIZE_MAX ? maxBytes + 1 : maxBytes;
    std::size_t first = limit;
    if (file.value().size()) {
        first = std::size_t(std::min<std::uint64_t>(*file.value().size() + 1, limit));
        bytes.reserve(first);
    }
    Result<std::size_t> got = file.value().read(first, bytes);
    if (got && bytes.size() == first && first < limit)
        got = file.value().read(limit - first, bytes);
    if (!got)
        return got.status();
    if (bytes.size() > maxBytes)
        return Status::error(tooLarge);
    return bytes;
}

} // namespace nc::core
