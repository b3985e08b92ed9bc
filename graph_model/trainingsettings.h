#pragma once
// Optional training settings stored with a graph (DESIGN.md section 4): the defaults that
// `netcanvas-cli train` and the training panel start from. Command-line flags override them.

#include <cstdint>
#include <string>

namespace nc::graph {

struct TrainingSettings {
    std::string data = "synthetic:digits"; // a data spec, see DESIGN.md section 5
    double valSplit = 0.2;                 // the last fraction, unshuffled
    std::int64_t epochs = 10;
    std::int64_t batch = 128;
    std::string optimizer = "nesterov"; // sgd, momentum, nesterov, adam
    double lr = 0.01;
    double momentum = 0.9;
    double weightDecay = 0.0;
    double clipGradNorm = 0.0;         // 0: off; else the gradients' global L2 norm is kept below
    std::string schedule = "constant"; // constant, step, cosine
    std::int64_t seed = 1;
    std::int64_t threads = 0; // CPU threads; 0: every core

    friend bool operator==(const TrainingSettings&, const TrainingSettings&) = default;
};

} // namespace nc::graph
