#include "options.h"

#include "exitcodes.h"
#include "graphloading.h"

#include <charconv>
#include <cmath>
#include <iostream>

namespace nc::cli {

Result<Options> Options::parse(const std::vector<std::string>& args,
                               const std::set<std::string>& valued,
                               const std::set<std::string>& flags) {
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() < 2 || arg.rfind("--", 0) != 0) {
            if (!arg.empty() && arg[0] == '-' && arg != "-")
                return Status::error("unknown option '" + arg + "'");
            options.m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2), value;
        const std::size_t eq = name.find('=');
        if (eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name)) {
            options.m_values[name] = "1";
        } else if (valued.count(name)) {
            if (eq == std::string::npos) {
                if (i + 1 >= args.size())
                    return Status::error("option '--" + name + "' needs a value");
                value = args[++i];
            }
            options.m_values[name] = value;
        } else {
            return Status::error("unknown option '--" + name + "'");
        }
    }
    return options;
}

std::string Options::text(const std::string& name, const std::string& fallback) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

Result<long long> Options::integer(const std::string& name, long long fallback, long long min,
                                   long long max) const {
    if (!has(name))
        return fallback;
    const std::string v = text(name);
    long long value = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || ptr != v.data() + v.size() || value < min || value > max)
        return Status::error("--" + name + " expects an integer in " + std::to_string(min) + ".." +
                             std::to_string(max) + ", got '" + v + "'");
    return value;
}

Result<double> Options::number(const std::string& name, double fallback, double min,
                               double max) const {
    if (!has(name))
        return fallback;
    const std::string v = text(name);
    double value = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(value) || value < min ||
        value > max)
        return Status::error("--" + name + " expects a number in " + std::to_string(min) + ".." +
                             std::to_string(max) + ", got '" + v + "'");
    return value;
}

std::optional<int> parseCommandLine(const std::string& command,
                                    const std::vector<std::string>& args,
                                    const std::set<std::string>& valued,
                                    std::set<std::string> flags, const char* help,
                                    std::optional<Options>& out) {
    flags.insert("help");
    Result<Options> parsed = Options::parse(args, valued, flags);
    if (!parsed) {
        printError(command, parsed.message() + " (see --help)");
        return kExitUsage;
    }
    if (parsed.value().has("help")) {
        std::cout << help;
        return kExitOk;
    }
    out = std::move(parsed).value();
    return std::nullopt;
}

} // namespace nc::cli
