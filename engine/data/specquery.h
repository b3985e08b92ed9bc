#pragma once
// The options after '?' in a data spec: "count=5000&seed=3&task=adding", or bare words such as
// "rows". Every key must be one the dataset knows; messages name the spec and list the keys.
//
//   Result<SpecQuery> q = SpecQuery::parse(spec, query, {"count", "seed", "task"});
//   std::int64_t count = q.value().integer("count", 10000, 1, 10'000'000).value();

#include "core/status.h"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>

namespace nc::engine {

class SpecQuery {
public:
    static nc::core::Result<SpecQuery> parse(const std::string& spec, const std::string& query,
                                             std::initializer_list<const char*> known);

    bool has(const std::string& key) const { return m_items.count(key) > 0; }
    // The value of `key` as a whole number in [lo, hi], or `fallback` when absent.
    nc::core::Result<std::int64_t> integer(const std::string& key, std::int64_t fallback,
                                           std::int64_t lo, std::int64_t hi) const;
    // The value of `key`, or `fallback` when absent.
    std::string text(const std::string& key, const std::string& fallback) const;

private:
    std::string m_spec;
    std::map<std::string, std::string> m_items; // a bare word maps to ""
};

} // namespace nc::engine
