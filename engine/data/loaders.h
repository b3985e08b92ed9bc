#pragma once
// The dataset readers behind the data specs (dataspec.h). Each returns the whole set or an
// error naming the file and the problem; a file or folder that cannot be read at all is an
// I/O error (Status::isIoError).

#include "dataset.h"

#include "core/status.h"

#include <string>
#include <string_view>

namespace nc::engine {

using nc::core::Result;

// MNIST or Fashion-MNIST IDX files in `dir`, gzipped or raw: the train pair if present,
// otherwise the t10k pair.
Result<Dataset> loadMnist(const std::string& dir);
// The same, each image as a sequence of its rows: [n, 28, 28] ("sequential MNIST").
Result<Dataset> loadMnistRows(const std::string& dir);

// Numeric CSV: features then a label column ("label" when there is a header, else the last).
// Each sample remembers its line (Dataset::sourceLines) for later messages.
Result<Dataset> loadCsv(const std::string& path, std::int64_t features);
// The same from text in memory; `name` stands for the file in messages.
Result<Dataset> readCsvBytes(std::string_view text, const std::string& name, std::int64_t features);

// A sequence's length from the graph's Input: T of [T, F] features or of [T] tokens; 0 for
// other shapes. Sequences and text take it unless their spec says ?steps=.
inline std::int64_t inputSequenceLength(const Dims& inputDims) {
    return inputDims.size() == 1 || inputDims.size() == 2 ? inputDims[0] : 0;
}

// The built-in sets give rows [first, first + count) of an endless set: sample i depends on
// (seed, i) alone, so a probe of sample i draws that sample only.
// 28x28 hand-drawn-looking digits 0-9.
inline constexpr std::int64_t kSyntheticDigitSide = 28;
Result<Dataset> makeSyntheticDigits(std::int64_t first, std::int64_t count, std::uint64_t seed);
// RGB 3x64x64 pictures of two classes (round "cats", angular "dogs").
inline constexpr std::int64_t kSyntheticShapeSide = 64;
Result<Dataset> makeSyntheticShapes(std::int64_t first, std::int64_t count, std::uint64_t seed);
// The classic recurrent tasks (syntheticsequences.cpp): "adding", "parity", "recall" or "sine",
// as [count, steps, features] sequences; steps 0 takes the task's default.
Result<Dataset> makeSyntheticSequences(const std::string& task, std::int64_t first,
                                       std::int64_t count, std::int64_t steps, std::uint64_t seed);
// A task's sample shape {steps, features} (steps 0: its default), or why the task or the
// length is not one it has.
Result<Dims> syntheticSequenceDims(const std::string& task, std::int64_t steps);
// Character-level text (textsequences.cpp): windows of `steps` tokens every `stride`
// characters, each with the same window one character on as its targets; the text's
// characters become Dataset::vocabulary. The set holds the tokens once (4 bytes a character)
// and writes a window out only when it is gathered.
Result<Dataset> loadTextSequences(const std::string& path, std::int64_t steps, std::int64_t stride);
// The options of text:FILE?steps=T&stride=S: T defaults to the Input's length (`inputDims`
// [T] or [T, F]), S to T.
struct TextWindowing {
    std::int64_t steps = 0, stride = 0;
};
Result<TextWindowing> parseTextWindowing(const std::string& spec, const std::string& query,
                                         const Dims& inputDims);
Result<Dataset> makeTextSequences(std::string_view text, const Vocabulary& vocabulary,
                                  const std::string& name, std::int64_t steps, std::int64_t stride);
// Built in (synthetictext.cpp): short stories from a small grammar, at least `characters`
// long (and less than kStoryOvershoot more: they end with a whole paragraph), and every
// character they can hold.
inline constexpr std::size_t kStoryOvershoot = 2048;
std::string makeSyntheticStories(std::size_t characters, std::uint64_t seed);
std::string storyAlphabet();
// One subfolder per class, decoded and resized to channels x height x width.
Result<Dataset> loadImageFolder(const std::string& dir, const Dims& sampleDims);

} // namespace nc::engine
