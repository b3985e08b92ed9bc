#pragma once
// Text drawn from a trained character-level model: the model reads the last T characters
// (T is the Input's length; a shorter context sits at the start of the window, which a
// forward-running recurrent model never looks past) and its per-step classifier gives the
// next character's scores, divided by the temperature before the softmax. Temperature 0
// takes the likeliest character every time.
//
//   SampleRequest request{.prime = "The ", .length = 200, .temperature = 0.8, .seed = 1};
//   Result<std::string> text = sampleText(model, *backend, vocabulary, request);

#include "../backend.h"
#include "../data/vocabulary.h"
#include "../model.h"

#include <cstdint>
#include <string>

namespace nc::engine {

struct SampleRequest {
    std::string prime;         // the text to continue; empty: a random first character starts it
    std::int64_t length = 200; // characters to add
    double temperature = 1.0;
    std::uint64_t seed = 1;
};

// Whether `model` can generate text over `vocabulary`: tokens in, a per-step classifier over
// the vocabulary out, and no layer that reads the sequence backwards.
nc::core::Status checkTextModel(const Model& model, const Vocabulary& vocabulary);

// The prime followed by `length` sampled characters.
Result<std::string> sampleText(Model& model, Backend& backend, const Vocabulary& vocabulary,
                               const SampleRequest& request);

} // namespace nc::engine
