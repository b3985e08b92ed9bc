#pragma once
// The steps train and probe share: a valid graph compiled to a model, and a dataset of the
// shape its Input expects.

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

// The per-sample shape of the model's Input.x.
nc::engine::Dims inputSampleDims(const nc::engine::Model& model);

} // namespace nc::cli
