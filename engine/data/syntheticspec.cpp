#include "syntheticspec.h"

#include "loaders.h"
#include "specquery.h"

#include <limits>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

Result<SyntheticSpec> SyntheticSpec::parse(const std::string& spec, const Dims& inputDims) {
    const std::string rest = spec.substr(spec.find(':') + 1);
    const std::size_t mark = rest.find('?');
    SyntheticSpec s;
    s.m_spec = spec;
    s.m_name = rest.substr(0, mark);
    const std::string query = mark == std::string::npos ? "" : rest.substr(mark + 1);
    const std::string& name = s.m_name;
    if (name != "digits" && name != "shapes" && name != "sequences" && name != "text")
        return Status::error("unknown synthetic dataset \"" + name +
                             "\" (digits, shapes, sequences or text)");
    Result<SpecQuery> options =
        name == "sequences" ? SpecQuery::parse(spec, query, {"task", "steps", "count", "seed"})
        : name == "text"    ? SpecQuery::parse(spec, query, {"steps", "count", "seed"})
        : name == "digits"  ? SpecQuery::parse(spec, query, {"count", "seed", "rows"})
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
    s.m_count = count.value();
    s.m_seed = std::uint64_t(seed.value());
    s.m_targetDims = {1};
    if (name == "digits") {
        s.m_rows = q.has("rows"); // 28 steps of 28 features, like mnist:DIR?rows
        s.m_sampleDims = s.m_rows ? Dims{kSyntheticDigitSide, kSyntheticDigitSide}
                                  : Dims{1, kSyntheticDigitSide, kSyntheticDigitSide};
        return s;
    }
    if (name == "shapes") {
        s.m_sampleDims = {3, kSyntheticShapeSide, kSyntheticShapeSide};
        return s;
    }
    Result<std::int64_t> steps = q.integer("steps", inputSequenceLength(inputDims), 1, 100'000);
    if (!steps)
        return steps.status();
    s.m_steps = steps.value();
    if (name == "text") { // `count` windows of `steps` characters, one after another
        s.m_sampleDims = s.m_targetDims = {s.m_steps};
        return s;
    }
    s.m_task = q.text("task", "adding");
    Result<Dims> dims = syntheticSequenceDims(s.m_task, s.m_steps);
    if (!dims)
        return dims.status();
    s.m_sampleDims = dims.value();
    s.m_steps = s.m_sampleDims[0];
    return s;
}

std::uint64_t SyntheticSpec::rowBytes() const {
    return std::uint64_t(m_count) * std::uint64_t(product(m_sampleDims) + product(m_targetDims)) *
           sizeof(float);
}

std::uint64_t SyntheticSpec::memoryBytes() const {
    return m_name == "text" ? storyBytes(m_count) : rowBytes();
}

std::uint64_t SyntheticSpec::rowMemoryBytes(std::int64_t index) const {
    return m_name == "text"
               ? storyBytes(index + 1)
               : std::uint64_t(product(m_sampleDims) + product(m_targetDims)) * sizeof(float);
}

// `windows` windows of text: the story, then its tokens (textsequences.cpp); the windows are
// not stored.
std::uint64_t SyntheticSpec::storyBytes(std::int64_t windows) const {
    const std::uint64_t characters = std::uint64_t(windows) * std::uint64_t(m_steps) + 1;
    return characters + kStoryOvershoot + characters * sizeof(int);
}

Result<Dataset> SyntheticSpec::make() const {
    return makeRows(0, m_count);
}

Result<Dataset> SyntheticSpec::makeRow(std::int64_t index) const {
    return makeRows(index, 1);
}

Result<Dataset> SyntheticSpec::makeRows(std::int64_t first, std::int64_t rows) const {
    if (m_name == "digits") {
        Result<Dataset> digits = makeSyntheticDigits(first, rows, m_seed);
        if (digits && m_rows)
            digits.value().reshapeSamples(m_sampleDims);
        return digits;
    }
    if (m_name == "shapes")
        return makeSyntheticShapes(first, rows, m_seed);
    if (m_name == "sequences")
        return makeSyntheticSequences(m_task, first, rows, m_steps, m_seed);
    // Text windows come from one story, told from its start.
    Result<Vocabulary> alphabet = Vocabulary::fromText(storyAlphabet(), m_spec);
    if (!alphabet)
        return alphabet.status();
    const auto characters = std::size_t((first + rows) * m_steps + 1);
    std::string stories = makeSyntheticStories(characters, m_seed);
    stories.resize(characters); // ASCII: exactly first + rows windows
    Result<Dataset> text = makeTextSequences(stories, alphabet.value(), m_spec, m_steps, m_steps);
    if (!text)
        return text;
    return text.value().rows(first, first + rows);
}

} // namespace nc::engine
