#pragma once
// A file opened for reading, with the checks every reader needs: a folder is refused at once,
// and a regular file's size is known up front, so a reader can refuse an absurd size before
// reading or allocating anything. Pipes and devices (/dev/stdin, /dev/zero) read as streams
// of unknown length: readers must cap what they take from them.
//
//   Result<InputFile> file = InputFile::open(path);
//   if (!file) return file.status();               // an I/O error: missing, unreadable, ...
//   std::string head;
//   Result<std::size_t> got = file.value().read(8, head);

#include "status.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nc::core {

class InputFile {
public:
    static Result<InputFile> open(const std::string& path);
    InputFile(InputFile&& other) noexcept;
    InputFile& operator=(InputFile&& other) noexcept;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile();

    const std::string& path() const { return m_path; }
    // The size of a regular file; none for pipes and devices.
    std::optional<std::uint64_t> size() const { return m_size; }
    // Appends up to `count` bytes to `out` and returns how many; fewer only at the end of the
    // file. A read failure is an I/O error naming the file.
    Result<std::size_t> read(std::size_t count, std::string& out);

private:
    InputFile(std::string path, int fd, std::optional<std::uint64_t> size)
        : m_path(std::move(path)), m_fd(fd), m_size(size) {}

    std::string m_path;
    int m_fd = -1;
    std::optional<std::uint64_t> m_size;
};

// "64 MiB", "1 GiB", "512 bytes": a byte count for messages.
std::string describeByteCount(std::uint64_t bytes);

} // namespace nc::core
