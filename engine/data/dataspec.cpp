#include "dataspec.h"

#include "loaders.h"

#include <charconv>
#include <map>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

struct SyntheticOptions {
    std::int64_t count;
    std::uint64_t seed = 1;
};

Result<SyntheticOptions> parseOptions(const std::string& spec, const std::string& query,
                                      std::int64_t defaultCount) {
    SyntheticOptions options{defaultCount};
    std::size_t pos = 0;
    while (pos < query.size()) {
        std::size_t end = query.find('&', pos);
        std::string item =
            query.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? query.size() : end + 1;
        std::size_t eq = item.find('=');
        std::string key = item.substr(0, eq),
                    value = eq == std::string::npos ? "" : item.substr(eq + 1);
        if (key != "count" && key != "seed")
            return Status::error(spec + ": unknown option \"" + item +
                                 "\" (count=1..10000000, seed=N)");
        std::int64_t number = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc() || ptr != value.data() + value.size() || number < 0)
            return Status::error(spec + ": \"" + item + "\" needs a non-negative integer value");
        if (key == "count" && number >= 1 && number <= 10'000'000)
            options.count = number;
        else if (key == "seed")
            options.seed = std::uint64_t(number);
        else
            return Status::error(spec + ": unknown option \"" + item +
                                 "\" (count=1..10000000, seed=N)");
    }
    return options;
}

Result<Dataset> dispatch(const std::string& spec, const Dims& sampleDims) {
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos)
        return Status::error(
            "data spec \"" + spec +
            "\" has no kind (synthetic:digits, synthetic:shapes, mnist:DIR, images:DIR, csv:FILE)");
    const std::string kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    if (kind == "synthetic") {
        const std::size_t q = rest.find('?');
        const std::string name = rest.substr(0, q),
                          query = q == std::string::npos ? "" : rest.substr(q + 1);
        if (name != "digits" && name != "shapes")
            return Status::error("unknown synthetic dataset \"" + name + "\" (digits or shapes)");
        Result<SyntheticOptions> options =
            parseOptions(spec, query, name == "digits" ? 10000 : 2000);
        if (!options)
            return Status::error(options.message());
        return name == "digits" ? makeSyntheticDigits(options.value().count, options.value().seed)
                                : makeSyntheticShapes(options.value().count, options.value().seed);
    }
    if (rest.empty())
        return Status::error("data spec \"" + spec + "\" names no path");
    if (kind == "mnist")
        return loadMnist(rest);
    if (kind == "images")
        return loadImageFolder(rest, sampleDims);
    if (kind == "csv")
        return loadCsv(rest, product(sampleDims));
    return Status::error("unknown data kind \"" + kind + "\" (synthetic, mnist, images or csv)");
}

} // namespace

Result<Dataset> loadDataset(const std::string& spec, const Dims& sampleDims) {
    Result<Dataset> data = dispatch(spec, sampleDims);
    if (!data)
        return data;
    Dims got = data.value().sampleDims();
    const bool csvVector = spec.rfind("csv:", 0) == 0 && product(got) == product(sampleDims);
    if (got != sampleDims && !csvVector)
        return Status::error(spec + " gives " + formatDims(got) +
                             " samples, but the graph's Input expects " + formatDims(sampleDims));
    if (csvVector) { // a CSV row is a vector; give it the Input's shape
        Dims dims{data.value().size()};
        dims.insert(dims.end(), sampleDims.begin(), sampleDims.end());
        data.value().samples.reshape(dims);
    }
    data.value().name = spec;
    return data;
}

std::pair<std::string, std::int64_t> splitSampleIndex(const std::string& spec) {
    const std::size_t hash = spec.rfind('#');
    if (hash == std::string::npos)
        return {spec, -1};
    std::int64_t index = -1;
    const std::string digits = spec.substr(hash + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || ptr != digits.data() + digits.size())
        index = -2; // present but not a number
    return {spec.substr(0, hash), index};
}

} // namespace nc::engine
