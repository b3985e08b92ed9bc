// Character-level text for next-character prediction. The text's distinct characters are the
// vocabulary (vocabulary.h); sample s is the window of `steps` tokens starting at s * stride,
// and its targets are the same window one character later:
//   x = tokens[s*stride .. s*stride + steps),  y = tokens[s*stride + 1 .. s*stride + steps + 1)
// so a per-step classifier (Embedding -> LSTM with return_sequences -> Dense per_step ->
// SoftmaxCrossEntropy) learns to predict every next character at once. The tokens are held
// once and a window is written out only when a batch gathers it: 4 bytes a character, whatever
// the stride (stored windows took 8 * steps / stride bytes a character: 512 for 64 steps at
// stride 1).

#include "loaders.h"
#include "specquery.h"

#include "core/atomicwrite.h"

#include <memory>

namespace nc::engine {

using nc::core::Status;

namespace {

constexpr std::size_t kMaxTextBytes = std::size_t(256) << 20;

class TextWindows final : public SampleSource {
public:
    TextWindows(std::vector<int> tokens, std::int64_t steps, std::int64_t stride,
                std::int64_t classes)
        : m_tokens(std::move(tokens)), m_steps(steps), m_stride(stride),
          m_classes(classes), m_dims{steps},
          m_count((std::int64_t(m_tokens.size()) - steps - 1) / stride + 1) {}

    std::int64_t size() const override { return m_count; }
    const Dims& sampleDims() const override { return m_dims; }
    const Dims& targetDims() const override { return m_dims; }
    void read(std::int64_t row, float* x, float* y) const override {
        const int* window = m_tokens.data() + row * m_stride;
        for (std::int64_t t = 0; t < m_steps; ++t) {
            x[t] = float(window[t]);
            y[t] = float(window[t + 1]);
        }
    }
    bool targetsAreClassIndicesBelow(std::int64_t classes) const override {
        return m_classes <= classes;
    }

private:
    std::vector<int> m_tokens;
    std::int64_t m_steps, m_stride, m_classes;
    Dims m_dims;
    std::int64_t m_count;
};

} // namespace

Result<Dataset> makeTextSequences(std::string_view text, const Vocabulary& vocabulary,
                                  const std::string& name, std::int64_t steps,
                                  std::int64_t stride) {
    if (steps < 1)
        return Status::error(name + ": the window length must be at least 1 (the Input's shape "
                                    "is the number of steps, e.g. [64])");
    if (stride < 1)
        return Status::error(name + ": stride must be at least 1");
    Result<std::vector<int>> tokens = vocabulary.encode(text, name);
    if (!tokens)
        return tokens.status();
    const auto length = std::int64_t(tokens.value().size());
    if (length < steps + 1)
        return Status::error(name + ": " + std::to_string(length) +
                             " characters are too few for one window of " + std::to_string(steps) +
                             " steps and its next character");
    Dataset data(std::make_shared<const TextWindows>(std::move(tokens).value(), steps, stride,
                                                     vocabulary.size()));
    data.classes = vocabulary.size();
    data.vocabulary = vocabulary;
    return data;
}

Result<TextWindowing> parseTextWindowing(const std::string& spec, const std::string& query,
                                         const Dims& inputDims) {
    Result<SpecQuery> options = SpecQuery::parse(spec, query, {"steps", "stride"});
    if (!options)
        return options.status();
    Result<std::int64_t> steps =
        options.value().integer("steps", inputSequenceLength(inputDims), 1, 100'000);
    if (!steps)
        return steps.status();
    Result<std::int64_t> stride = options.value().integer("stride", steps.value(), 1, 100'000);
    if (!stride)
        return stride.status();
    return TextWindowing{steps.value(), stride.value()};
}

Result<Dataset> loadTextSequences(const std::string& path, std::int64_t steps,
                                  std::int64_t stride) {
    Result<std::string> text = nc::core::readWholeFile(path, kMaxTextBytes);
    if (!text)
        return text.status();
    Result<Vocabulary> vocabulary = Vocabulary::fromText(text.value(), path);
    if (!vocabulary)
        return vocabulary.status();
    return makeTextSequences(text.value(), vocabulary.value(), path, steps, stride);
}

} // namespace nc::engine
