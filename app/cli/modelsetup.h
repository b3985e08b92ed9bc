#pragma once
// The steps the commands share: a valid graph compiled to a model, its weights from a file,
// and a dataset of the shape its Input expects.

#include "engine/data/dataset.h"
#include "engine/model.h"

#include <optional>
#include <string>

namespace nc::cli {

struct ModelSetup {
    std::optional<nc::engine::Model> model;
    int exitCode = 0;
};

ModelSetup compileGraphFile(const std::string& command, const std::string& path);

// Reads a weights file into the model, checked tensor by tensor; prints why it does not fit.
// kExitOk, else the exit code (I/O error 2, weights that do not fit 1).
int applyWeightsFile(const std::string& command, const std::string& path, nc::engine::Model& model);

// The per-sample shape of the model's Input.x.
nc::engine::Dims inputSampleDims(const nc::engine::Model& model);

} // namespace nc::cli
