#pragma once
// An append-only TensorBoard event file in a run folder: `events.out.tfevents.<seconds>.<host>`,
// TFRecord-framed Event protos that start with the file_version event. Events are buffered and
// written by flush(); after a durable flush, size() is a length a checkpoint can record as
// committed, and resume() cuts the file back to it, dropping what a killed run wrote after its
// last checkpoint, so TensorBoard never shows steps twice.
//
//   Result<EventFile> file = EventFile::create(runDir, wallTime, hostName());
//   file.value().append(scalarsEvent(wallTime, step, {{"step/train_loss", loss}}));
//   Status s = file.value().flush(/*durable=*/true);

#include "core/status.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace nc::engine {

// Whether `fileName` (no folder) has the form create() gives: "events.out.tfevents.", the
// seconds, '.', and a host name without '/' or control characters, perhaps with a numbered
// suffix. A name read from a checkpoint or run.json is used only when it passes.
bool isEventFileName(std::string_view fileName);

class EventFile {
public:
    // A new file in `folder` (a numbered suffix when the name is taken), with the
    // file_version event already appended. `host` is this machine's name (runinfo.h).
    static nc::core::Result<EventFile> create(const std::string& folder, double wallTime,
                                              const std::string& host);
    // Continues the file at `path`, cut back to its first `committedBytes`; an error when the
    // file is missing, shorter than that, a link or not a regular file, or its name is not an
    // event file's (isEventFileName): a run never cuts back a file it did not write.
    static nc::core::Result<EventFile> resume(const std::string& path,
                                              std::uint64_t committedBytes);

    EventFile(EventFile&& other) noexcept;
    EventFile& operator=(EventFile&& other) noexcept;
    EventFile(const EventFile&) = delete;
    EventFile& operator=(const EventFile&) = delete;
    ~EventFile();

    // Frames one serialized Event as a record and buffers it.
    void append(std::string_view event);
    // Writes the buffer; `durable` also waits until it is on disk (fsync).
    nc::core::Status flush(bool durable);
    // Drops everything after the first `bytes` of the file, and the buffer.
    nc::core::Status cutBack(std::uint64_t bytes);

    const std::string& path() const { return m_path; }
    std::string fileName() const;
    std::uint64_t size() const { return m_written; } // bytes in the file, not counting the buffer
    std::size_t buffered() const { return m_buffer.size(); }

private:
    EventFile(int fd, std::string path, std::uint64_t written)
        : m_fd(fd), m_path(std::move(path)), m_written(written) {}

    int m_fd = -1;
    std::string m_path;
    std::uint64_t m_written = 0;
    std::string m_buffer;
};

} // namespace nc::engine
