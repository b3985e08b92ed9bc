#include "outputplan.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace nc::core {

namespace fs = std::filesystem;

namespace {

bool sameFile(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The folder a new file at `path` would go in ("." for a bare name).
std::string folderOf(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// What a path is, for messages about paths that are not regular files.
const char* kindOf(mode_t mode) {
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

// The name two outputs are compared by when they do not exist yet: absolute, with links in
// the folders resolved where they exist.
std::string comparableName(const std::string& path) {
    std::error_code ec;
    fs::path name = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec)
        name = fs::path(path).lexically_normal();
    if (!name.has_filename() && name.has_parent_path()) // "dir/" is "dir"
        name = name.parent_path();
    return name.string();
}

Status cannotWrite(const std::string& role, const std::string& path, const std::string& why) {
    return Status::ioError(role + " " + path + ": " + why);
}

} // namespace

void OutputPlan::input(std::string path, std::string role) {
    m_inputs.push_back({std::move(path), std::move(role)});
}

void OutputPlan::output(std::string path, std::string role) {
    m_outputs.push_back({std::move(path), std::move(role)});
}

void OutputPlan::outputFolder(std::string path, std::string role) {
    m_folders.push_back({std::move(path), std::move(role)});
}

bool OutputPlan::isPlannedFolder(const std::string& path) const {
    for (const Entry& folder : m_folders)
        if (comparableName(folder.path) == comparableName(path))
            return true;
    return false;
}

Status OutputPlan::checkFolder(const Entry& folder) const {
    struct stat info {};
    if (::stat(folder.path.c_str(), &info) == 0) {
        if (!S_ISDIR(info.st_mode))
            return cannotWrite(folder.role, folder.path, "exists and is not a folder");
        if (::access(folder.path.c_str(), W_OK | X_OK) != 0)
            return cannotWrite(folder.role, folder.path,
                               std::string("cannot write in it: ") + std::strerror(errno));
        return Status::ok();
    }
    if (errno != ENOENT)
        return cannotWrite(folder.role, folder.path, std::strerror(errno));
    // Missing: the nearest folder above that exists is where it will be created.
    std::error_code ec;
    fs::path above = fs::absolute(folder.path, ec).parent_path();
    while (!above.empty() && ::stat(above.c_str(), &info) != 0 && above != above.root_path())
        above = above.parent_path();
    if (!S_ISDIR(info.st_mode))
        return cannotWrite(folder.role, folder.path, above.string() + " is not a folder");
    if (::access(above.c_str(), W_OK | X_OK) != 0)
        return cannotWrite(folder.role, folder.path,
                           "cannot create it in " + above.string() + ": " +
                               std::strerror(errno));
    return Status::ok();
}

Status OutputPlan::check() const {
    for (std::size_t i = 0; i < m_outputs.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const Entry& a = m_outputs[j];
            const Entry& b = m_outputs[i];
            struct stat sa {}, sb {};
            const bool same = ::stat(a.path.c_str(), &sa) == 0 && ::stat(b.path.c_str(), &sb) == 0
                                  ? sameFile(sa, sb) && S_ISREG(sa.st_mode)
                                  : comparableName(a.path) == comparableName(b.path);
            if (same)
                return Status::ioError(a.role + " and " + b.role + " both name " + b.path +
                                       "; one would write over the other");
        }
    for (const Entry& folder : m_folders)
        if (Status s = checkFolder(folder); !s)
            return s;
    for (const Entry& out : m_outputs)
        if (Status s = checkOne(out); !s)
            return s;
    return Status::ok();
}

Status OutputPlan::checkOne(const Entry& out) const {
    if (out.path.empty())
        return Status::ioError(out.role + " needs a file name");
    struct stat link {};
    if (::lstat(out.path.c_str(), &link) != 0) {
        if (errno != ENOENT && errno != ENOTDIR) // ENOTDIR: the folder is a file, named below
            return cannotWrite(out.role, out.path, std::strerror(errno));
        const std::string folder = folderOf(out.path);
        struct stat dir {};
        if (::stat(folder.c_str(), &dir) != 0 && errno == ENOENT && isPlannedFolder(folder))
            return Status::ok(); // created first; checkFolder looked at where
        if (::stat(folder.c_str(), &dir) != 0)
            return cannotWrite(out.role, out.path,
                               "the folder " + folder + " cannot be reached: " +
                                   std::strerror(errno));
        if (!S_ISDIR(dir.st_mode))
            return cannotWrite(out.role, out.path, folder + " is not a folder");
        if (::access(folder.c_str(), W_OK | X_OK) != 0)
            return cannotWrite(out.role, out.path,
                               "cannot write in the folder " + folder + ": " +
                                   std::strerror(errno));
        return Status::ok();
    }
    struct stat target {};
    if (::stat(out.path.c_str(), &target) != 0)
        return cannotWrite(out.role, out.path,
                           "a link to a file that cannot be reached (" +
                               std::string(std::strerror(errno)) + ")");
    if (S_ISFIFO(target.st_mode) || S_ISCHR(target.st_mode))
        return Status::ok(); // written through, nothing replaced
    if (!S_ISREG(target.st_mode))
        return cannotWrite(out.role, out.path,
                           std::string("is ") + kindOf(target.st_mode) + ", not a file to write");
    for (const Entry& in : m_inputs) {
        struct stat read {};
        if (::stat(in.path.c_str(), &read) != 0)
            continue;
        if (sameFile(read, target))
            return cannotWrite(out.role, out.path,
                               "is " + in.role + " (" + in.path +
                                   "), an input of this command; write to another file");
        // A file inside a folder the command reads (mnist:DIR, images:DIR) may be its data.
        const std::string folder = comparableName(in.path) + "/";
        if (S_ISDIR(read.st_mode) && comparableName(out.path).rfind(folder, 0) == 0)
            return cannotWrite(out.role, out.path,
                               "is inside " + in.path + ", the folder " + in.role +
                                   " reads; write somewhere else");
    }
    if (!m_replaceExisting)
        return cannotWrite(out.role, out.path, "exists; pass --force to replace it");
    // The mode bits as well as access(): root may write anything, but a file its owner made
    // read-only is still not one to replace.
    if ((target.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 ||
        ::access(out.path.c_str(), W_OK) != 0)
        return cannotWrite(out.role, out.path,
                           "is read-only; it is not replaced, even with --force");
    // The file is replaced by a rename in its folder (the linked file's, for a link).
    std::error_code ec;
    const fs::path real = fs::canonical(out.path, ec);
    const std::string folder = folderOf(ec ? out.path : real.string());
    if (::access(folder.c_str(), W_OK | X_OK) != 0)
        return cannotWrite(out.role, out.path,
                           "cannot write in the folder " + folder + ": " + std::strerror(errno));
    return Status::ok();
}

} // namespace nc::core
