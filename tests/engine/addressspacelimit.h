#pragma once
// Caps this test process's address space (ulimit -v) for a scope at what it has mapped now
// plus `headroom` bytes. A test that a huge data set is refused then cannot allocate it on
// any machine, and a test that a load fits in so much memory fails if it does not.
//
//   {
//       nc::test::AddressSpaceLimit limit(300'000'000);
//       QVERIFY(loadDataset("text:big.txt?stride=1", {64}));   // fits in 300 MB
//   }

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>

namespace nc::test {

// The address space mapped now (VmSize), in bytes.
inline std::uint64_t mappedBytes() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmSize:", 0) == 0)
            return std::stoull(line.substr(7)) * 1024;
    return 0;
}

class AddressSpaceLimit {
public:
    explicit AddressSpaceLimit(std::uint64_t headroom) {
        getrlimit(RLIMIT_AS, &m_saved);
        rlimit capped = m_saved;
        capped.rlim_cur =
            rlim_t(std::min<std::uint64_t>(mappedBytes() + headroom, m_saved.rlim_max));
        m_set = setrlimit(RLIMIT_AS, &capped) == 0;
    }
    ~AddressSpaceLimit() {
        if (m_set)
            setrlimit(RLIMIT_AS, &m_saved);
    }
    AddressSpaceLimit(const AddressSpaceLimit&) = delete;
    AddressSpaceLimit& operator=(const AddressSpaceLimit&) = delete;

    bool isSet() const { return m_set; }

private:
    rlimit m_saved{};
    bool m_set = false;
};

} // namespace nc::test
