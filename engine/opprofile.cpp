#include "opprofile.h"

namespace nc::engine {

void OpProfile::add(std::size_t step, const std::string& name, OpKind kind, bool forward,
                    double seconds) {
    if (m_entries.size() <= step)
        m_entries.resize(step + 1);
    Entry& e = m_entries[step];
    if (e.forwardRuns == 0 && e.backwardRuns == 0) {
        e.step = step;
        e.name = name;
        e.kind = kind;
    }
    if (forward) {
        e.forwardSeconds += seconds;
        ++e.forwardRuns;
    } else {
        e.backwardSeconds += seconds;
        ++e.backwardRuns;
    }
}

std::vector<OpProfile::Entry> OpProfile::entries() const {
    std::vector<Entry> ran;
    for (const Entry& e : m_entries)
        if (e.forwardRuns > 0 || e.backwardRuns > 0)
            ran.push_back(e);
    return ran;
}

double OpProfile::totalSeconds() const {
    double total = 0;
    for (const Entry& e : m_entries)
        total += e.forwardSeconds + e.backwardSeconds;
    return total;
}

} // namespace nc::engine
