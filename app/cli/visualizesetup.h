#pragma once
// What every `visualize` picture needs: the compiled graph with its weights on a backend,
// the options, and helpers to read an input sample, an evaluation set and a picture style,
// and to write the picture and the figures.

#include "options.h"

#include "engine/backend.h"
#include "engine/data/dataset.h"
#include "engine/model.h"
#include "engine/vis/mapgrid.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include <memory>
#include <optional>
#include <string>

namespace nc::cli {

struct VisualizeRun {
    std::string kind; // "activations", ...
    const Options* options = nullptr;
    nc::engine::Model* model = nullptr;
    nc::engine::Backend* backend = nullptr;
    std::string weightsSource; // the checkpoint, or "initial weights (seed S)"
};

struct InputSample {
    nc::engine::Tensor x; // [1, ...Input.shape]
    int label = -1;       // the sample's class, when the data has classes
    std::string source;   // "synthetic:digits#7" or the image file
};

// --image FILE (resized to the Input) or --input SPEC#I; exit code on failure.
std::optional<InputSample> readInputSample(const VisualizeRun& run, int& exitCode);
// --data SPEC (default: the graph's training data) and its validation tail, --val-split F
// (default: the graph's); exit code on failure.
std::optional<nc::engine::Dataset> readEvaluationSet(const VisualizeRun& run, int& exitCode);
// --colormap, --shared, --zero-centred, --scale, --columns over `style`; false after a
// usage error has been printed.
bool readMapStyle(const VisualizeRun& run, nc::vis::MapStyle& style);
// Writes --out as PNG (when given) and prints the figures as JSON (--json) or as
// `key: value` lines. Returns the exit code.
int finishPicture(const VisualizeRun& run, const cv::Mat& picture, nlohmann::ordered_json figures);

void visualizeError(const VisualizeRun& run, const std::string& message);

} // namespace nc::cli
