#include "atomicwrite.h"

#include <cerrno>
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

} // namespace

Status writeFileAtomically(const std::string& path, std::string_view bytes) {
    std::string pattern = path + ".tmp-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = ::mkstemp(name.data());
    if (fd < 0)
        return Status::error("cannot write " + path + ": " + reason());
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
        return Status::error("cannot write " + path + ": " + why);
    }
    return Status::ok();
}

Result<std::string> readWholeFile(const std::string& path, std::size_t maxBytes) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file)
        return Status::error("cannot open " + path + ": " + reason());
    std::string bytes;
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
        bytes.append(buffer, n);
        if (bytes.size() > maxBytes) {
            std::fclose(file);
            return Status::error(path + ": the file is larger than " +
                                 std::to_string(maxBytes >> 20) + " MiB");
        }
    }
    bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed)
        return Status::error("cannot read " + path + ": " + reason());
    return bytes;
}

} // namespace nc::core
