#pragma once
// A small parser for `COMMAND POSITIONAL... --name value --flag` command lines, with the
// checks every subcommand needs: unknown options, missing values, numbers out of range.

#include "core/status.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nc::cli {

using nc::core::Result;
using nc::core::Status;

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

// The start every subcommand shares: parses `args` (adding --help to `flags`) into `out`.
// Returns the exit code when the command is already done: a usage error (printed as
// "netcanvas-cli COMMAND: ...", exit 2) or --help (`help` printed, exit 0); otherwise nullopt.
std::optional<int> parseCommandLine(const std::string& command,
                                    const std::vector<std::string>& args,
                                    const std::set<std::string>& valued,
                                    std::set<std::string> flags, const char* help,
                                    std::optional<Options>& out);

} // namespace nc::cli
