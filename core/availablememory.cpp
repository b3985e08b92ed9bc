#include "availablememory.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace nc::core {

namespace {

// The number after `key` in a file of "key: value [kB]" or "key value" lines (/proc/meminfo,
// /proc/self/status, a cgroup's memory.stat), times `unit`.
std::optional<std::uint64_t> fieldOf(const std::string& path, const std::string& key,
                                     std::uint64_t unit) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (line.size() <= key.size() || line.compare(0, key.size(), key) != 0)
            continue;
        const char next = line[key.size()];
        if (next != ':' && next != ' ' && next != '\t')
            continue; // "MemAvailable" is not "MemAvailableSoon"
        std::istringstream fields(line.substr(key.size() + 1));
        std::uint64_t value = 0;
        if (fields >> value)
            return value * unit;
    }
    return std::nullopt;
}

// A file of one number; "max" (no limit) and a missing file give none.
std::optional<std::uint64_t> numberIn(const std::string& path) {
    std::ifstream in(path);
    std::uint64_t value = 0;
    if (in >> value)
        return value;
    return std::nullopt;
}

std::optional<std::uint64_t> machineRoom() {
    if (std::optional<std::uint64_t> available = fieldOf("/proc/meminfo", "MemAvailable", 1024))
        return available;
#ifdef _SC_AVPHYS_PAGES
    const long pages = sysconf(_SC_AVPHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && pageSize > 0)
        return std::uint64_t(pages) * std::uint64_t(pageSize);
#endif
    return std::nullopt;
}

// Under the memory limit of this process's cgroup (v2, else v1's memory controller; its own
// group, else the hierarchy's root, which is a container's own group): the limit less what
// the group uses, not counting file cache the kernel drops before it fails an allocation.
std::optional<std::uint64_t> containerRoom() {
    std::ifstream in("/proc/self/cgroup");
    std::string unified, memory;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("0::", 0) == 0)
            unified = line.substr(3);
        if (const std::size_t at = line.find(":memory:"); at != std::string::npos)
            memory = line.substr(at + 8);
    }
    struct Group {
        std::string dir;
        const char *limit, *usage, *cache;
    };
    const Group groups[] = {
        {"/sys/fs/cgroup" + unified, "memory.max", "memory.current", "inactive_file"},
        {"/sys/fs/cgroup", "memory.max", "memory.current", "inactive_file"},
        {"/sys/fs/cgroup/memory" + memory, "memory.limit_in_bytes", "memory.usage_in_bytes",
         "total_inactive_file"},
        {"/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes",
         "total_inactive_file"},
    };
    for (const Group& g : groups) {
        const std::optional<std::uint64_t> limit = numberIn(g.dir + "/" + g.limit);
        const std::optional<std::uint64_t> usage = numberIn(g.dir + "/" + g.usage);
        if (!limit || !usage ||
            *limit >= (std::uint64_t(1) << 62)) // v1's "no limit" is 2^63 - 4096
            continue;
        const std::uint64_t cache = fieldOf(g.dir + "/memory.stat", g.cache, 1).value_or(0);
        const std::uint64_t used = *usage > cache ? *usage - cache : 0;
        return *limit > used ? *limit - used : 0;
    }
    return std::nullopt;
}

// Under ulimit -v: the limit less the address space already mapped.
std::optional<std::uint64_t> addressSpaceRoom() {
    rlimit limit{};
    if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return std::nullopt;
    const std::uint64_t mapped = fieldOf("/proc/self/status", "VmSize", 1024).value_or(0);
    return limit.rlim_cur > mapped ? std::uint64_t(limit.rlim_cur) - mapped : 0;
}

} // namespace

MemoryRoom availableMemory() {
    MemoryRoom room;
    auto consider = [&](std::optional<std::uint64_t> bytes, MemoryRoom::Bound bound) {
        if (bytes && *bytes < room.bytes) {
            room.bytes = *bytes;
            room.bound = bound;
        }
    };
    consider(machineRoom(), MemoryRoom::Bound::Machine);
    consider(containerRoom(), MemoryRoom::Bound::Container);
    consider(addressSpaceRoom(), MemoryRoom::Bound::AddressSpace);
    return room;
}

std::string MemoryRoom::describe() const {
    const std::string size = describeMemorySize(bytes);
    switch (bound) {
    case Bound::Machine:
        return "this machine has " + size + " available";
    case Bound::Container:
        return "this container's memory limit leaves " + size;
    case Bound::AddressSpace:
        return "this process's address-space limit (ulimit -v) leaves " + size;
    case Bound::Unknown:
        break;
    }
    return "this machine's free memory is unknown";
}

std::string describeMemorySize(std::uint64_t bytes) {
    char text[32];
    if (bytes >= 1'000'000'000'000)
        std::snprintf(text, sizeof text, "%.1f TB", double(bytes) / 1e12);
    else if (bytes >= 1'000'000'000)
        std::snprintf(text, sizeof text, "%.1f GB", double(bytes) / 1e9);
    else if (bytes >= 1'000'000)
        std::snprintf(text, sizeof text, "%.0f MB", double(bytes) / 1e6);
    else
        std::snprintf(text, sizeof text, "%.0f kB", double(bytes) / 1e3);
    return text;
}

} // namespace nc::core
