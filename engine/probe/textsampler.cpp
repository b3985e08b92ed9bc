#include "textsampler.h"

#include "edgeprobe.h"

#include "../executor.h"

#include "../random.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace nc::engine {

using nc::core::Status;

Status checkTextModel(const Model& model, const Vocabulary& vocabulary) {
    if (!model.classifiesSteps())
        return Status::error("sampling needs a classifier of every time step (logits T x C into "
                             "a SoftmaxCrossEntropy with T targets), like char_lstm.json");
    if (inputDims(model).size() != 1)
        return Status::error("sampling needs an Input of T tokens (shape [T]), this one is " +
                             formatDims(inputDims(model)));
    if (model.classes() != vocabulary.size())
        return Status::error("the classifier has " + std::to_string(model.classes()) +
                             " classes, but the vocabulary has " +
                             std::to_string(vocabulary.size()) + " characters");
    for (const PlanStep& step : model.steps())
        if (isRecurrent(step.kind) && step.attrs.bidirectional)
            return Status::error(std::string(opName(step.kind)) + " \"" + step.name +
                                 "\" is bidirectional: it reads the future, so it cannot "
                                 "generate text one character at a time");
    return Status::ok();
}

namespace {

// A token drawn from softmax(scores / temperature); the largest score at temperature 0.
int drawToken(const float* scores, int classes, double temperature, SplitMix& random) {
    const float* top = std::max_element(scores, scores + classes);
    if (temperature <= 0.0)
        return int(top - scores);
    std::vector<double> weights(static_cast<std::size_t>(classes));
    double total = 0.0;
    for (int c = 0; c < classes; ++c) {
        weights[std::size_t(c)] = std::exp(double(scores[c] - *top) / temperature);
        total += weights[std::size_t(c)];
    }
    double u = random.uniform() * total;
    for (int c = 0; c < classes; ++c) {
        u -= weights[std::size_t(c)];
        if (u < 0.0)
            return c;
    }
    return int(top - scores);
}

} // namespace

Result<std::string> sampleText(Model& model, Backend& backend, const Vocabulary& vocabulary,
                               const SampleRequest& request) {
    if (Status s = checkTextModel(model, vocabulary); !s)
        return s;
    if (!(request.temperature >= 0.0) || !std::isfinite(request.temperature))
        return Status::error("the temperature must be 0 or more");
    Result<std::vector<int>> primed = vocabulary.encode(request.prime, "the prime text");
    if (!primed)
        return primed.status();
    std::vector<int> tokens = primed.value();
    SplitMix random(mix64(request.seed));
    std::int64_t added = 0;
    if (tokens.empty() && request.length > 0) { // a random first character, one of `length`
        tokens.push_back(int(random.below(std::uint64_t(vocabulary.size()))));
        added = 1;
    }

    // One executor for every character: the weights move to the device once.
    if (Status s = moveParametersTo(backend, model.params()); !s)
        return s;
    Executor executor(model, backend);
    RunContext run;
    run.checkFinite = false;
    const Tensor targets = zeroTargets(model, 1);
    const std::int64_t window = inputDims(model)[0];
    const int classes = vocabulary.size();
    const Value& logits = model.values()[std::size_t(model.classifierLogits())];
    Tensor x({1, window});
    for (; added < request.length; ++added) {
        const std::int64_t context = std::min<std::int64_t>(window, std::int64_t(tokens.size()));
        x.fill(0.0f);
        for (std::int64_t t = 0; t < context; ++t)
            x[t] = float(tokens[tokens.size() - std::size_t(context) + std::size_t(t)]);
        if (Status s = executor.forward(x, targets, Mode::Eval, run); !s)
            return s;
        Result<Tensor> out = toHost(backend, executor.value(logits.node, logits.port));
        if (!out)
            return out.status();
        const float* scores = out.value().data() + (context - 1) * classes;
        tokens.push_back(drawToken(scores, classes, request.temperature, random));
    }
    return request.prime +
           vocabulary.decode(std::vector<int>(
               tokens.begin() + std::ptrdiff_t(primed.value().size()), tokens.end()));
}

} // namespace nc::engine
