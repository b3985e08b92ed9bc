#include "dataspec.h"

#include "datasize.h"
#include "loaders.h"
#include "specquery.h"
#include "syntheticspec.h"

#include <cassert>
#include <charconv>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

// "digits?count=5" -> ("digits", "count=5").
std::pair<std::string, std::string> splitQuery(const std::string& text) {
    const std::size_t q = text.find('?');
    return {text.substr(0, q), q == std::string::npos ? "" : text.substr(q + 1)};
}

Status pastTheEnd(const std::string& spec, std::int64_t size, std::int64_t index) {
    return Status::error(spec + " has " + std::to_string(size) + " samples; #" +
                         std::to_string(index) + " is past the end");
}

Status wrongShape(const std::string& spec, const Dims& got, const Dims& sampleDims) {
    return Status::error(spec + " gives " + formatDims(got) +
                         " samples, but the graph's Input expects " + formatDims(sampleDims));
}

// A built-in set's shape is known before it is drawn: a wrong one is refused first.
Result<SyntheticSpec> syntheticFor(const std::string& spec, const Dims& sampleDims) {
    Result<SyntheticSpec> s = SyntheticSpec::parse(spec, sampleDims);
    if (s && s.value().sampleDims() != sampleDims)
        return wrongShape(spec, s.value().sampleDims(), sampleDims);
    return s;
}

Result<Dataset> mnist(const std::string& spec, const std::string& rest) {
    const auto [dir, query] = splitQuery(rest);
    Result<SpecQuery> options = SpecQuery::parse(spec, query, {"rows"});
    if (!options)
        return options.status();
    if (dir.empty())
        return Status::error("data spec \"" + spec + "\" names no path");
    return options.value().has("rows") ? loadMnistRows(dir) : loadMnist(dir);
}

Result<Dataset> text(const std::string& spec, const std::string& rest, const Dims& sampleDims) {
    const auto [path, query] = splitQuery(rest);
    Result<TextWindowing> windows = parseTextWindowing(spec, query, sampleDims);
    if (!windows)
        return windows.status();
    if (path.empty())
        return Status::error("data spec \"" + spec + "\" names no path");
    return loadTextSequences(path, windows.value().steps, windows.value().stride);
}

Result<Dataset> dispatch(const std::string& spec, const Dims& sampleDims) {
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos)
        return Status::error(
            "data spec \"" + spec +
            "\" has no kind (synthetic:digits, synthetic:shapes, synthetic:sequences, "
            "synthetic:text, mnist:DIR, images:DIR, csv:FILE, text:FILE)");
    const std::string kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    if (kind == "mnist")
        return mnist(spec, rest);
    if (kind == "text")
        return text(spec, rest, sampleDims);
    if (rest.empty())
        return Status::error("data spec \"" + spec + "\" names no path");
    if (kind == "images")
        return loadImageFolder(rest, sampleDims);
    if (kind == "csv")
        return loadCsv(rest, product(sampleDims));
    return Status::error("unknown data kind \"" + kind +
                         "\" (synthetic, mnist, images, csv or text)");
}

} // namespace

Result<Dataset> loadDataset(const std::string& spec, const Dims& sampleDims) {
    // Nothing is allocated before the estimate is checked.
    if (spec.rfind("synthetic:", 0) == 0) {
        Result<SyntheticSpec> synthetic = syntheticFor(spec, sampleDims); // the shape first
        if (!synthetic)
            return synthetic.status();
        if (Status fits = checkMemoryFor(spec, synthetic.value().memoryBytes()); !fits)
            return fits;
        Result<Dataset> data = synthetic.value().make();
        if (data)
            data.value().name = spec;
        return data;
    }
    // An estimate that cannot be made (a bad spec, a missing file) leaves the reader to say why.
    if (Result<DatasetSize> size = estimateDatasetSize(spec, sampleDims); size)
        if (Status fits = checkMemoryFor(spec, size.value().memoryBytes); !fits)
            return fits;
    Result<Dataset> data = dispatch(spec, sampleDims);
    if (!data)
        return data;
    const Dims got = data.value().sampleDims();
    const bool csvVector = spec.rfind("csv:", 0) == 0 && product(got) == product(sampleDims);
    if (got != sampleDims && !csvVector)
        return wrongShape(spec, got, sampleDims);
    if (csvVector) // a CSV row is a vector; give it the Input's shape
        data.value().reshapeSamples(sampleDims);
    data.value().name = spec;
    return data;
}

Result<Dataset> loadSample(const std::string& spec, const Dims& sampleDims, std::int64_t index) {
    assert(index >= 0 && "a sample's index");
    if (spec.rfind("synthetic:", 0) != 0) {
        Result<Dataset> data = loadDataset(spec, sampleDims);
        if (!data)
            return data;
        if (index >= data.value().size())
            return pastTheEnd(spec, data.value().size(), index);
        return data.value().rows(index, index + 1);
    }
    Result<SyntheticSpec> synthetic = syntheticFor(spec, sampleDims);
    if (!synthetic)
        return synthetic.status();
    const SyntheticSpec& s = synthetic.value();
    if (index >= s.count())
        return pastTheEnd(spec, s.count(), index);
    if (Status fits = checkMemoryFor(spec, s.rowMemoryBytes(index)); !fits)
        return fits;
    Result<Dataset> row = s.makeRow(index);
    if (row)
        row.value().name = spec;
    return row;
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
