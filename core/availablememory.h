#pragma once
// How much more memory this process can take before an allocation fails or the kernel kills
// it: the least of the machine's available physical memory (MemAvailable in /proc/meminfo,
// else sysconf), the room left under a cgroup's memory limit (a container), and the room left
// under the process's address-space limit (ulimit -v, prlimit --as). Commands compare a
// data set's estimated size with it before they load anything.
//
//   MemoryRoom room = availableMemory();
//   if (bytes > room.bytes) refuse(... + room.describe());   // "this machine has 21.3 GB
//   available"

#include <cstdint>
#include <string>

namespace nc::core {

struct MemoryRoom {
    enum class Bound { Machine, Container, AddressSpace, Unknown };
    std::uint64_t bytes = UINT64_MAX; // UINT64_MAX: nothing could be read (Bound::Unknown)
    Bound bound = Bound::Unknown;

    // "this machine has 21.3 GB available", "this process may take 5.2 GB more (its
    // address-space limit)", ...
    std::string describe() const;
};

MemoryRoom availableMemory();

// Bytes for people: "8.0 TB", "31.4 GB", "850 MB" (powers of 1000, like free -h --si and disk
// sizes).
std::string describeMemorySize(std::uint64_t bytes);

} // namespace nc::core
