#include "visualizesetup.h"

#include "exitcodes.h"
#include "graphloading.h"

#include "engine/data/dataspec.h"
#include "engine/probe/edgeprobe.h"
#include "engine/vis/imagefiles.h"

#include <iostream>

namespace nc::cli {

using nc::engine::Dataset;

void visualizeError(const VisualizeRun& run, const std::string& message) {
    printError("visualize " + run.kind, message);
}

std::optional<InputSample> readInputSample(const VisualizeRun& run, int& exitCode) {
    const Options& o = *run.options;
    const nc::engine::Dims dims = nc::engine::inputDims(*run.model);
    InputSample sample;
    if (o.has("image")) {
        auto x = nc::vis::readImageSample(o.text("image"), dims);
        if (!x) {
            exitCode = reportFailure("visualize " + run.kind, x.status());
            return std::nullopt;
        }
        sample.x = std::move(x).value();
        sample.source = o.text("image");
        return sample;
    }
    if (!o.has("input")) {
        visualizeError(run, "needs --input SPEC#INDEX or --image FILE (see --help)");
        exitCode = kExitUsage;
        return std::nullopt;
    }
    auto [spec, index] = nc::engine::splitSampleIndex(o.text("input"));
    if (index < 0) {
        visualizeError(run, "--input needs SPEC#INDEX, e.g. synthetic:digits#0");
        exitCode = kExitUsage;
        return std::nullopt;
    }
    auto data = nc::engine::loadSample(spec, dims, index);
    if (!data) {
        exitCode = reportFailure("visualize " + run.kind, data.status());
        return std::nullopt;
    }
    nc::engine::Tensor y;
    const std::int64_t row = 0;
    data.value().gather(&row, 1, sample.x, y);
    if (data.value().classes > 0)
        sample.label = int(y[0]);
    sample.source = o.text("input");
    return sample;
}

std::optional<Dataset> readEvaluationSet(const VisualizeRun& run, int& exitCode) {
    const Options& o = *run.options;
    const auto& training = run.model->graph().training();
    const nc::graph::TrainingSettings settings =
        training ? *training : nc::graph::TrainingSettings{};
    auto split = o.number("val-split", settings.valSplit, 0.0, 1.0);
    if (!split) {
        visualizeError(run, split.message());
        exitCode = kExitUsage;
        return std::nullopt;
    }
    auto data =
        nc::engine::loadDataset(o.text("data", settings.data), nc::engine::inputDims(*run.model));
    if (!data) {
        exitCode = reportFailure("visualize " + run.kind, data.status());
        return std::nullopt;
    }
    if (split.value() <= 0.0)
        return std::move(data).value();
    Dataset validation = nc::engine::splitTail(data.value(), split.value()).second;
    if (validation.size() == 0) {
        visualizeError(run, "the validation split of " + data.value().name + " is empty");
        exitCode = kExitInvalid;
        return std::nullopt;
    }
    return validation;
}

bool readMapStyle(const VisualizeRun& run, nc::vis::MapStyle& style) {
    const Options& o = *run.options;
    if (o.has("colormap")) {
        auto map = nc::vis::parseColormap(o.text("colormap"));
        if (!map) {
            visualizeError(run, "--colormap must be gray, viridis, inferno or diverging, got '" +
                                    o.text("colormap") + "'");
            return false;
        }
        style.colormap = *map;
    }
    style.sharedScale = style.sharedScale || o.has("shared");
    style.zeroCentred = style.zeroCentred || o.has("zero-centred");
    auto scale = o.integer("scale", style.scale, 0, 64);
    auto columns = o.integer("columns", style.columns, 0, 4096);
    if (!scale || !columns) {
        visualizeError(run, !scale ? scale.message() : columns.message());
        return false;
    }
    style.scale = int(scale.value());
    style.columns = int(columns.value());
    return true;
}

int finishPicture(const VisualizeRun& run, const cv::Mat& picture, nlohmann::ordered_json figures) {
    const Options& o = *run.options;
    if (o.has("out")) {
        if (nc::core::Status s = nc::vis::writePng(o.text("out"), picture); !s) {
            visualizeError(run, s.message());
            return kExitUsage;
        }
        figures["out"] = o.text("out");
        figures["width"] = picture.cols;
        figures["height"] = picture.rows;
    }
    figures["weights"] = run.weightsSource;
    if (o.has("json")) {
        std::cout << figures.dump() << '\n';
        return kExitOk;
    }
    for (const auto& [key, value] : figures.items())
        std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump())
                  << '\n';
    return kExitOk;
}

} // namespace nc::cli
