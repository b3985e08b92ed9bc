// synthetic:sequences: the classic recurrent-network tasks, built in. Samples are T x F
// sequences (T from ?steps=, else from the Input's shape, else the task's default); sample i
// depends only on (seed, i). What a model that solves the task reaches, and chance:
//   adding  (T x 2)  a value in [0, 1) and a marker per step; two steps are marked, one in each
//                    half; the target is the sum of the two marked values (regression). Solved:
//                    MSE below 0.01; always guessing 1 gives 0.167.
//   parity  (T x 1)  bits; the class is their parity (2 classes). Solved: 100 %; chance 50 %.
//   recall  (T x 9)  one of 8 symbols (one-hot) at step 0, random symbols after it, and a recall
//                    marker (feature 8) at the last step; the class is the first symbol.
//                    Solved: 100 %; chance 12.5 %.
//   sine    (T x 1)  a sine of 1, 2, 3 or 4 cycles over the sequence, random phase and
//                    amplitude, plus noise (sigma 0.3); the class is the frequency. Solved: about
//                    99 %; chance 25 %.

#include "loaders.h"

#include "syntheticset.h"

#include <cmath>
#include <numbers>

namespace nc::engine {

using nc::core::Status;

namespace {

constexpr std::uint64_t kStream = 0x5e9;
constexpr int kSymbols = 8;

struct Task {
    const char* name;
    std::int64_t features;
    std::int64_t defaultSteps;
    std::int64_t minSteps;
};

const Task kTasks[] = {
    {"adding", 2, 50, 2},
    {"parity", 1, 10, 1},
    {"recall", kSymbols + 1, 20, 2},
    {"sine", 1, 32, 8},
};

void drawParity(int label, SplitMix& r, std::int64_t steps, float* out) {
    int parity = 0;
    for (std::int64_t t = 0; t + 1 < steps; ++t) {
        const int bit = int(r.below(2));
        parity ^= bit;
        out[t] = float(bit);
    }
    out[steps - 1] = float(parity ^ label); // uniform over the sequences of this parity
}

void drawRecall(int label, SplitMix& r, std::int64_t steps, float* out) {
    const std::int64_t f = kSymbols + 1;
    std::fill(out, out + steps * f, 0.0f);
    out[label] = 1.0f;
    for (std::int64_t t = 1; t + 1 < steps; ++t)
        out[t * f + std::int64_t(r.below(kSymbols))] = 1.0f;
    out[(steps - 1) * f + kSymbols] = 1.0f;
}

void drawSine(int label, SplitMix& r, std::int64_t steps, float* out) {
    const double cycles = label + 1, phase = between(r, 0.0, 2.0 * std::numbers::pi),
                 amplitude = between(r, 0.5, 1.5);
    for (std::int64_t t = 0; t < steps; ++t)
        out[t] =
            float(amplitude * std::sin(2.0 * std::numbers::pi * cycles * double(t) / double(steps) +
                                       phase) +
                  0.3 * r.normal());
}

Dataset makeAdding(std::int64_t first, std::int64_t count, std::int64_t steps, std::uint64_t seed) {
    Tensor samples({count, steps, 2}), targets({count, 1});
    const std::int64_t half = steps / 2;
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < count; ++i) {
        SplitMix r(hashKey(seed, kStream, std::uint64_t(first + i)));
        float* out = samples.data() + i * steps * 2;
        for (std::int64_t t = 0; t < steps; ++t) {
            out[2 * t] = float(r.uniform());
            out[2 * t + 1] = 0.0f;
        }
        const std::int64_t a = std::int64_t(r.below(std::uint64_t(half)));
        const std::int64_t b = half + std::int64_t(r.below(std::uint64_t(steps - half)));
        out[2 * a + 1] = out[2 * b + 1] = 1.0f;
        targets[i] = out[2 * a] + out[2 * b];
    }
    Dataset data(std::move(samples), std::move(targets));
    data.name = "synthetic:sequences?task=adding";
    return data;
}

const Task* findTask(const std::string& task) {
    for (const Task& t : kTasks)
        if (task == t.name)
            return &t;
    return nullptr;
}

} // namespace

Result<Dims> syntheticSequenceDims(const std::string& task, std::int64_t steps) {
    const Task* found = findTask(task);
    if (!found)
        return Status::error("synthetic:sequences: unknown task \"" + task +
                             "\" (adding, parity, recall or sine)");
    if (steps == 0)
        steps = found->defaultSteps;
    if (steps < found->minSteps || steps > 100'000)
        return Status::error("synthetic:sequences: task " + task + " needs " +
                             std::to_string(found->minSteps) + " to 100000 steps, not " +
                             std::to_string(steps));
    return Dims{steps, found->features};
}

Result<Dataset> makeSyntheticSequences(const std::string& task, std::int64_t first,
                                       std::int64_t count, std::int64_t steps, std::uint64_t seed) {
    Result<Dims> dims = syntheticSequenceDims(task, steps);
    if (!dims)
        return dims.status();
    steps = dims.value()[0];
    if (task == "adding")
        return makeAdding(first, count, steps, seed);
    auto draw = [&](auto drawOne) {
        return
            [steps, drawOne](int label, SplitMix& r, float* out) { drawOne(label, r, steps, out); };
    };
    if (task == "parity")
        return makeSyntheticSet("synthetic:sequences?task=parity", 2, dims.value(), first, count,
                                seed, kStream, draw(drawParity));
    if (task == "recall")
        return makeSyntheticSet("synthetic:sequences?task=recall", kSymbols, dims.value(), first,
                                count, seed, kStream, draw(drawRecall));
    return makeSyntheticSet("synthetic:sequences?task=sine", 4, dims.value(), first, count, seed,
                            kStream, draw(drawSine));
}

} // namespace nc::engine
