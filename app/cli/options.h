#pragma once
// A small parser for `COMMAND POSITIONAL... --name value --flag` command lines, with the
// checks every subcommand needs: unknown options, missing values, numbers out of range.

#include "graph_model/result.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace nc::cli {

using nc::graph::Result;
using nc::graph::Status;

class Options {
public:
    // `valued`: options that take a value; `flags`: options that do not.
    static Result<Options> parse(const std::vector<std::string>& args,
                                 const std::set<std::string>& valued,
                                 const std::set<std::string>& flags);

    bool has(const std::string& name) const { return m_values.count(name) > 0; }
    std::string text(const std::string& name, const std::string& fallback = {}) const;
    Result<long long> integer(const std::string& name, long long fallback, long long min,
                              long long max) const;
    Result<double> number(const std::string& name, double fallback, double min, double max) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

private:
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positionals;
};

} // namespace nc::cli
