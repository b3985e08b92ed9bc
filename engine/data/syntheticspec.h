#pragma once
// A built-in data spec, synthetic:NAME[?...], read once for everything that needs it: the
// shape and the memory of its rows before any is drawn (datasize.h refuses a set that would
// not fit), every row for training, or one row alone for a probe.
//
//   Result<SyntheticSpec> s = SyntheticSpec::parse("synthetic:digits?count=500", {1, 28, 28});
//   s.value().memoryBytes();                    // 500 * (784 + 1) * 4
//   Result<Dataset> seven = s.value().makeRow(7); // sample 7 alone, as in the whole set

#include "dataset.h"

#include "core/status.h"

#include <cstdint>
#include <string>

namespace nc::engine {

class SyntheticSpec {
public:
    // `inputDims`: the graph's Input, whose length sequences and text take unless ?steps= is
    // given. An unknown set, option, task or length is an error naming the spec.
    static nc::core::Result<SyntheticSpec> parse(const std::string& spec, const Dims& inputDims);

    std::int64_t count() const { return m_count; }
    const Dims& sampleDims() const { return m_sampleDims; }
    const Dims& targetDims() const { return m_targetDims; }
    // Every sample and target as float32: what the rows take written out (an export).
    std::uint64_t rowBytes() const;
    // The most memory making the set and holding it takes (text: the story and its tokens).
    std::uint64_t memoryBytes() const;
    // The same for makeRow(index): one row, or a story as far as that window.
    std::uint64_t rowMemoryBytes(std::int64_t index) const;

    nc::core::Result<Dataset> make() const;
    // Sample `index` (below count()) as a set of one row, drawn alone where the set allows.
    nc::core::Result<Dataset> makeRow(std::int64_t index) const;

private:
    // Rows [first, first + rows) (text: windows 0 to first + rows, one story).
    nc::core::Result<Dataset> makeRows(std::int64_t first, std::int64_t rows) const;
    std::uint64_t storyBytes(std::int64_t windows) const;

    std::string m_spec, m_name, m_task;
    std::int64_t m_count = 0, m_steps = 0;
    std::uint64_t m_seed = 1;
    bool m_rows = false; // digits as 28 steps of 28 features
    Dims m_sampleDims, m_targetDims;
};

} // namespace nc::engine
