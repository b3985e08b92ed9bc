#include "specquery.h"

#include <charconv>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

std::string listKeys(std::initializer_list<const char*> known) {
    std::string list;
    for (const char* key : known)
        list += (list.empty() ? "" : ", ") + std::string(key);
    return list;
}

} // namespace

Result<SpecQuery> SpecQuery::parse(const std::string& spec, const std::string& query,
                                   std::initializer_list<const char*> known) {
    SpecQuery q;
    q.m_spec = spec;
    std::size_t pos = 0;
    while (pos < query.size()) {
        const std::size_t end = std::min(query.find('&', pos), query.size());
        const std::string item = query.substr(pos, end - pos);
        pos = end + 1;
        if (item.empty())
            continue;
        const std::size_t eq = item.find('=');
        const std::string key = item.substr(0, eq);
        bool isKnown = false;
        for (const char* k : known)
            isKnown = isKnown || key == k;
        if (!isKnown)
            return Status::error(spec + ": unknown option \"" + item +
                                 "\" (known: " + listKeys(known) + ")");
        q.m_items[key] = eq == std::string::npos ? "" : item.substr(eq + 1);
    }
    return q;
}

Result<std::int64_t> SpecQuery::integer(const std::string& key, std::int64_t fallback,
                                        std::int64_t lo, std::int64_t hi) const {
    auto it = m_items.find(key);
    if (it == m_items.end())
        return fallback;
    const std::string& value = it->second;
    std::int64_t number = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || ptr != value.data() + value.size() || value.empty() || number < lo ||
        number > hi)
        return Status::error(m_spec + ": \"" + key + "=" + value + "\" needs a whole number from " +
                             std::to_string(lo) + " to " + std::to_string(hi));
    return number;
}

std::string SpecQuery::text(const std::string& key, const std::string& fallback) const {
    auto it = m_items.find(key);
    return it == m_items.end() ? fallback : it->second;
}

} // namespace nc::engine
