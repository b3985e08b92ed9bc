// Character-level text for next-character prediction. The text's distinct characters are the
// vocabulary (vocabulary.h); sample s is the window of `steps` tokens starting at s * stride,
// and its targets are the same window one character later:
//   x = tokens[s*stride .. s*stride + steps),  y = tokens[s*stride + 1 .. s*stride + steps + 1)
// so a per-step classifier (Embedding -> LSTM with return_sequences -> Dense per_step ->
// SoftmaxCrossEntropy) learns to predict every next character at once.

#include "loaders.h"

#include "core/atomicwrite.h"

namespace nc::engine {

using nc::core::Status;

namespace {

constexpr std::size_t kMaxTextBytes = std::size_t(256) << 20;

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
    const std::int64_t count = (length - steps - 1) / stride + 1;
    Dataset data;
    data.samples = Tensor({count, steps});
    data.targets = Tensor({count, steps});
    for (std::int64_t s = 0; s < count; ++s)
        for (std::int64_t t = 0; t < steps; ++t) {
            const std::size_t at = std::size_t(s * stride + t);
            data.samples[s * steps + t] = float(tokens.value()[at]);
            data.targets[s * steps + t] = float(tokens.value()[at + 1]);
        }
    data.classes = vocabulary.size();
    data.vocabulary = vocabulary;
    return data;
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
