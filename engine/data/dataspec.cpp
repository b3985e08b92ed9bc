#include "dataspec.h"

#include "loaders.h"
#include "specquery.h"

#include <charconv>
#include <limits>
#include <map>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

// A sequence's length from the Input's shape: T of T x F features or of T tokens.
std::int64_t defaultSteps(const Dims& sampleDims) {
    return sampleDims.size() == 2 || sampleDims.size() == 1 ? sampleDims[0] : 0;
}

// "digits?count=5" -> ("digits", "count=5").
std::pair<std::string, std::string> splitQuery(const std::string& text) {
    const std::size_t q = text.find('?');
    return {text.substr(0, q), q == std::string::npos ? "" : text.substr(q + 1)};
}

Result<Dataset> synthetic(const std::string& spec, const std::string& rest,
                          const Dims& sampleDims) {
    const auto [name, query] = splitQuery(rest);
    const bool sequences = name == "sequences";
    if (name != "digits" && name != "shapes" && !sequences && name != "text")
        return Status::error("unknown synthetic dataset \"" + name +
                             "\" (digits, shapes, sequences or text)");
    Result<SpecQuery> options =
        sequences          ? SpecQuery::parse(spec, query, {"task", "steps", "count", "seed"})
        : name == "text"   ? SpecQuery::parse(spec, query, {"steps", "count", "seed"})
        : name == "digits" ? SpecQuery::parse(spec, query, {"count", "seed", "rows"})
                           : SpecQuery::parse(spec, query, {"count", "seed"});
    if (!options)
        return options.status();
    const SpecQuery& q = options.value();
    Result<std::int64_t> count =
        q.integer("count", name == "shapes" || name == "text" ? 2000 : 10000, 1, 10'000'000);
    Result<std::int64_t> seed = q.integer("seed", 1, 0, std::numeric_limits<std::int64_t>::max());
    if (!count)
        return count.status();
    if (!seed)
        return seed.status();
    if (name == "digits") {
        Result<Dataset> digits = makeSyntheticDigits(count.value(), std::uint64_t(seed.value()));
        if (digits && q.has("rows")) { // 28 steps of 28 features, like mnist:DIR?rows
            Dataset& d = digits.value();
            d.samples.reshape({d.size(), d.samples.dim(2), d.samples.dim(3)});
        }
        return digits;
    }
    if (name == "shapes")
        return makeSyntheticShapes(count.value(), std::uint64_t(seed.value()));
    // Sequences take their length from the Input (T x F, or T tokens) unless ?steps= says
    // otherwise.
    Result<std::int64_t> steps = q.integer("steps", defaultSteps(sampleDims), 1, 100'000);
    if (!steps)
        return steps.status();
    if (name == "text") { // `count` windows of `steps` characters, one after another
        Result<Vocabulary> alphabet = Vocabulary::fromText(storyAlphabet(), spec);
        if (!alphabet)
            return alphabet.status();
        const auto characters = std::size_t(count.value() * steps.value() + 1);
        std::string stories = makeSyntheticStories(characters, std::uint64_t(seed.value()));
        stories.resize(characters); // ASCII: exactly `count` windows
        return makeTextSequences(stories, alphabet.value(), spec, steps.value(), steps.value());
    }
    return makeSyntheticSequences(q.text("task", "adding"), count.value(), steps.value(),
                                  std::uint64_t(seed.value()));
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
    Result<SpecQuery> options = SpecQuery::parse(spec, query, {"steps", "stride"});
    if (!options)
        return options.status();
    if (path.empty())
        return Status::error("data spec \"" + spec + "\" names no path");
    Result<std::int64_t> steps =
        options.value().integer("steps", defaultSteps(sampleDims), 1, 100'000);
    if (!steps)
        return steps.status();
    Result<std::int64_t> stride = options.value().integer("stride", steps.value(), 1, 100'000);
    if (!stride)
        return stride.status();
    return loadTextSequences(path, steps.value(), stride.value());
}

Result<Dataset> dispatch(const std::string& spec, const Dims& sampleDims) {
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos)
        return Status::error(
            "data spec \"" + spec +
            "\" has no kind (synthetic:digits, synthetic:shapes, synthetic:sequences, "
            "synthetic:text, mnist:DIR, images:DIR, csv:FILE, text:FILE)");
    const std::string kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    if (kind == "synthetic")
        return synthetic(spec, rest, sampleDims);
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
