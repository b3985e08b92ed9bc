#include "runfolder.h"

#include "eventfile.h"

#include "core/atomicwrite.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;
namespace fs = std::filesystem;

namespace {

std::string localStamp(std::time_t now) {
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%d-%H%M%S", &local);
    return buffer;
}

// Whether the folder holds anything but the lock file (and so, a run).
Result<bool> holdsFiles(const std::string& path) {
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename() != RunLock::kFileName)
            return true;
    if (ec)
        return Status::error("cannot read " + path + ": " + ec.message());
    return false;
}

// A run folder follows no links: a link named like one of its files (the lock, an event
// file, the checkpoint) would have training write through it to a file outside. Its own files
// must be regular files: a FIFO or folder in their place is not the user's run.
Status refuseLinksAndOddFiles(const std::string& path) {
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code typeError;
        const fs::file_type type = it->symlink_status(typeError).type();
        if (type == fs::file_type::symlink)
            return Status::error("run folder " + path + " holds a symbolic link, " + name +
                                 "; a run folder follows no links (remove it, or choose another "
                                 "folder)");
        const bool ownName = name == RunLock::kFileName || isEventFileName(name) ||
                             std::find(std::begin(RunFolder::kOwnFiles),
                                       std::end(RunFolder::kOwnFiles),
                                       name) != std::end(RunFolder::kOwnFiles);
        if (ownName && type != fs::file_type::regular)
            return Status::error("run folder " + path + ": " + name +
                                 " is not a regular file, so this is no run NetCanvas wrote");
    }
    if (ec)
        return Status::error("cannot read " + path + ": " + ec.message());
    return Status::ok();
}

int removeTemporaries(const std::string& path) {
    int removed = 0;
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeError, removeError;
        if (it->symlink_status(typeError).type() == fs::file_type::regular &&
            isRunFileTemporary(it->path().filename().string()) &&
            fs::remove(it->path(), removeError))
            ++removed;
    }
    return removed;
}

} // namespace

bool isRunFileTemporary(std::string_view fileName) {
    const std::size_t at = fileName.rfind(nc::core::kTemporaryInfix);
    if (at == std::string_view::npos ||
        std::find(std::begin(RunFolder::kOwnFiles), std::end(RunFolder::kOwnFiles),
                  fileName.substr(0, at)) == std::end(RunFolder::kOwnFiles))
        return false;
    const std::string_view suffix = fileName.substr(at + nc::core::kTemporaryInfix.size());
    return suffix.size() == 6 && std::all_of(suffix.begin(), suffix.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0;
           });
}

Result<std::string> RunFolder::claimFreshPath(const std::string& parent, std::string_view stem,
                                              std::time_t now) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
        return Status::error("cannot create " + parent + ": " + ec.message());
    const std::string base = parent + "/" +
                             (stem.empty() ? std::string("run") : std::string(stem)) + "-" +
                             localStamp(now);
    for (int n = 1; n <= 1000; ++n) {
        const std::string path = n == 1 ? base : base + "-" + std::to_string(n);
        if (fs::create_directory(path, ec))
            return path;
        if (ec)
            return Status::error("cannot create " + path + ": " + ec.message());
    }
    return Status::error("cannot create " + base + ": it and 999 numbered variants exist");
}

Status RunFolder::checkEntries(const std::string& path) {
    return refuseLinksAndOddFiles(path);
}

Status RunFolder::checkUsable(const std::string& path, bool resume) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found)
        return Status::ok();
    if (ec)
        return Status::error("cannot read " + path + ": " + ec.message());
    if (status.type() != fs::file_type::directory)
        return Status::error(path + " exists and is not a folder");
    if (Status s = refuseLinksAndOddFiles(path); !s)
        return s;
    if (std::optional<std::int64_t> pid = RunLock::holder(path))
        return Status::error(RunLock::inUseMessage(path, *pid));
    if (resume)
        return Status::ok();
    Result<bool> files = holdsFiles(path);
    if (!files)
        return files.status();
    if (files.value())
        return Status::error("run folder " + path +
                             " already holds files; a new run never replaces an old one (resume "
                             "it, or choose another folder)");
    return Status::ok();
}

Result<RunFolder> RunFolder::open(const std::string& path, bool resume) {
    if (Status s = checkUsable(path, resume); !s)
        return s;
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec)
        return Status::error("cannot create " + path + ": " + ec.message());
    Result<RunLock> lock = RunLock::acquire(path);
    if (!lock)
        return lock.status();
    RunFolder folder(path, std::move(lock).value());
    if (Status s = refuseLinksAndOddFiles(path); !s) // one made between checkUsable and the lock
        return s;
    // Under the lock: nothing else writes here now, so any temporary file is stale.
    folder.m_removedTemporaries = removeTemporaries(path);
    if (!resume) { // a run that started between checkUsable and the lock
        Result<bool> files = holdsFiles(path);
        if (!files)
            return files.status();
        if (files.value())
            return Status::error("run folder " + path +
                                 " already holds files; a new run never replaces an old one "
                                 "(resume it, or choose another folder)");
    }
    return folder;
}

} // namespace nc::engine
