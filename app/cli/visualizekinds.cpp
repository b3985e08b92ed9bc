#include "visualizekinds.h"

#include "exitcodes.h"
#include "statsjson.h"

#include "engine/probe/classifiereval.h"
#include "engine/probe/edgeprobe.h"
#include "engine/probe/reconstruction.h"
#include "engine/probe/saliency.h"
#include "engine/probe/tensorstats.h"
#include "engine/vis/confusionpicture.h"
#include "engine/vis/featuremaps.h"
#include "engine/vis/filters.h"
#include "engine/vis/samplepictures.h"

#include <cmath>
#include <numeric>

namespace nc::cli {

using nc::engine::EdgeRef;
using nc::engine::Tensor;

namespace {

std::optional<EdgeRef> readEdge(const VisualizeRun& run, const std::string& option) {
    auto edge = nc::engine::parseEdgeRef(run.model->graph(), run.options->text(option));
    if (!edge) {
        visualizeError(run, "--" + option + ": " + edge.message());
        return std::nullopt;
    }
    return edge.value();
}

// NaN (no such samples) becomes null in JSON.
nlohmann::ordered_json share(double v) {
    return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
}

Tensor firstSample(const Tensor& batch) {
    Tensor one = batch;
    one.reshape(nc::engine::Dims(batch.dims().begin() + 1, batch.dims().end()));
    return one;
}

} // namespace

int visualizeActivations(const VisualizeRun& run) {
    const Options& o = *run.options;
    if (!o.has("edge")) {
        visualizeError(run, "needs --edge NODE[:PORT] (see --help)");
        return kExitUsage;
    }
    const std::optional<EdgeRef> edge = readEdge(run, "edge");
    const std::string mode = o.text("mode", "eval");
    auto channel = o.integer("channel", -1, -1, 1 << 20);
    nc::vis::MapStyle style;
    if (!edge || (mode != "eval" && mode != "train") || !channel || !readMapStyle(run, style)) {
        if (mode != "eval" && mode != "train")
            visualizeError(run, "--mode must be eval or train, got '" + mode + "'");
        else if (!channel)
            visualizeError(run, channel.message());
        return kExitUsage;
    }
    int exitCode = 0;
    const std::optional<InputSample> input = readInputSample(run, exitCode);
    if (!input)
        return exitCode;
    nc::engine::ProbeOptions options;
    options.mode = mode == "train" ? nc::engine::Mode::Train : nc::engine::Mode::Eval;
    auto probed =
        nc::engine::probeEdges(*run.model, *run.backend, input->x, std::span(&*edge, 1), options);
    if (!probed) {
        visualizeError(run, probed.message());
        return kExitInvalid;
    }
    const Tensor value = firstSample(probed.value()[0]);
    const auto s = nc::engine::tensorStats(value, nc::engine::saturationBandOf(*run.model, *edge));
    nlohmann::ordered_json j;
    j["edge"] = nc::engine::describeEdge(run.model->graph(), *edge);
    j["input"] = input->source;
    j["mode"] = mode;
    j["shape"] = value.dims();
    addStats(j, s);
    return finishPicture(run, nc::vis::renderEdgeValue(value, style, int(channel.value())), j);
}

int visualizeFilters(const VisualizeRun& run) {
    const Options& o = *run.options;
    if (!o.has("layer")) {
        visualizeError(run, "needs --layer NODE (a Conv2D, Deconv2D or Dense)");
        return kExitUsage;
    }
    const nc::graph::Node* node = run.model->graph().findByName(o.text("layer"));
    const nc::engine::PlanStep* step = node ? run.model->stepOf(node->id) : nullptr;
    if (!step || step->params.empty()) {
        visualizeError(run, "--layer: no layer with weights named \"" + o.text("layer") + "\"");
        return kExitUsage;
    }
    auto channel = o.integer("channel", -1, -1, 1 << 20);
    nc::vis::FilterStyle style;
    if (!channel || !readMapStyle(run, style.map)) {
        if (!channel)
            visualizeError(run, channel.message());
        return kExitUsage;
    }
    style.channel = int(channel.value());
    const nc::engine::Parameter& weight = run.model->params().at(step->params[0]);
    const nc::engine::Dims fedBy = run.model->values()[std::size_t(step->inputs[0])].perSample;
    auto picture = nc::vis::renderFilters(weight.value, style, fedBy);
    if (!picture) {
        visualizeError(run, node->name + ": " + picture.message());
        return kExitInvalid;
    }
    nlohmann::ordered_json j;
    j["layer"] = node->name;
    j["weight"] = weight.name;
    j["shape"] = weight.value.dims();
    const auto s = nc::engine::tensorStats(weight.value);
    j["min"] = s.min;
    j["max"] = s.max;
    j["std"] = s.stddev;
    return finishPicture(run, picture.value(), j);
}

int visualizeReconstructions(const VisualizeRun& run) {
    const std::optional<EdgeRef> edge = nc::engine::reconstructionEdge(*run.model);
    if (!edge) {
        visualizeError(run, "the graph reconstructs nothing: no MSE loss compares an output "
                            "with the Input's x");
        return kExitInvalid;
    }
    auto count = run.options->integer("count", 8, 1, 256);
    nc::vis::MapStyle style;
    if (!count || !readMapStyle(run, style)) {
        if (!count)
            visualizeError(run, count.message());
        return kExitUsage;
    }
    int exitCode = 0;
    const std::optional<nc::engine::Dataset> data = readEvaluationSet(run, exitCode);
    if (!data)
        return exitCode;
    const std::int64_t n = std::min<std::int64_t>(count.value(), data->size());
    std::vector<std::int64_t> indices(static_cast<std::size_t>(n));
    std::iota(indices.begin(), indices.end(), 0);
    Tensor x, y;
    data->gather(indices.data(), n, x, y);
    auto out = nc::engine::probeEdges(*run.model, *run.backend, x, std::span(&*edge, 1));
    if (!out) {
        visualizeError(run, out.message());
        return kExitInvalid;
    }
    const Tensor& r = out.value()[0];
    double squared = 0;
    for (std::int64_t i = 0; i < r.size(); ++i)
        squared += double(r[i] - x[i]) * double(r[i] - x[i]);
    nlohmann::ordered_json j;
    j["edge"] = nc::engine::describeEdge(run.model->graph(), *edge);
    j["samples"] = n;
    j["mse"] = squared / double(r.size());
    const int scale = style.scale > 0 ? style.scale : 3;
    return finishPicture(
        run, nc::vis::renderReconstructions(x, r, style.columns > 0 ? style.columns : 4, scale), j);
}

int visualizeConfusion(const VisualizeRun& run) {
    int exitCode = 0;
    const std::optional<nc::engine::Dataset> data = readEvaluationSet(run, exitCode);
    if (!data)
        return exitCode;
    auto report = nc::engine::evaluateClassifier(*run.model, *run.backend, *data);
    if (!report) {
        visualizeError(run, report.message());
        return kExitInvalid;
    }
    const nc::engine::ClassifierReport& r = report.value();
    nlohmann::ordered_json j;
    j["samples"] = r.samples;
    j["accuracy"] = double(r.correct) / double(std::max<std::int64_t>(r.samples, 1));
    j["classes"] = r.classes;
    nlohmann::ordered_json matrix = nlohmann::ordered_json::array();
    nlohmann::ordered_json precision = nlohmann::ordered_json::array();
    nlohmann::ordered_json recall = nlohmann::ordered_json::array();
    for (int t = 0; t < r.classes; ++t) {
        matrix.push_back(std::vector<std::int64_t>(r.confusion.begin() + t * r.classes,
                                                   r.confusion.begin() + (t + 1) * r.classes));
        precision.push_back(share(r.precision(t)));
        recall.push_back(share(r.recall(t)));
    }
    j["matrix"] = matrix;
    j["precision"] = precision;
    j["recall"] = recall;
    j["misclassified"] = r.misclassified.size();
    return finishPicture(run, nc::vis::renderConfusion(r.confusion, r.classes, {}), j);
}

int visualizeSaliency(const VisualizeRun& run) {
    const Options& o = *run.options;
    std::optional<EdgeRef> edge;
    if (o.has("edge") && !(edge = readEdge(run, "edge")))
        return kExitUsage;
    nc::vis::MapStyle style;
    style.colormap = nc::vis::Colormap::Inferno;
    auto chosen = o.integer("class", -1, -1, 1 << 20);
    if (!chosen || !readMapStyle(run, style)) {
        if (!chosen)
            visualizeError(run, chosen.message());
        return kExitUsage;
    }
    int exitCode = 0;
    const std::optional<InputSample> input = readInputSample(run, exitCode);
    if (!input)
        return exitCode;
    int classIndex = int(chosen.value());
    if (classIndex < 0 && run.model->classifierLogits() >= 0) {
        const auto& v = run.model->values()[std::size_t(run.model->classifierLogits())];
        const EdgeRef logits{v.node, v.port};
        auto z = nc::engine::probeEdges(*run.model, *run.backend, input->x, std::span(&logits, 1));
        if (!z) {
            visualizeError(run, z.message());
            return kExitInvalid;
        }
        const Tensor& row = z.value()[0];
        classIndex = int(std::max_element(row.data(), row.data() + row.size()) - row.data());
    }
    auto evidence = nc::engine::classEvidence(*run.model, *run.backend, input->x,
                                              std::max(classIndex, 0), edge);
    if (!evidence) {
        visualizeError(run, evidence.message());
        return kExitInvalid;
    }
    const nc::engine::ClassEvidence& e = evidence.value();
    nlohmann::ordered_json j;
    j["input"] = input->source;
    if (input->label >= 0)
        j["label"] = input->label;
    j["class"] = e.classIndex;
    j["probability"] = e.probability;
    j["method"] = edge ? "grad-cam" : "saliency";
    if (edge)
        j["edge"] = nc::engine::describeEdge(run.model->graph(), *edge);
    const Tensor sample = firstSample(input->x);
    return finishPicture(
        run,
        nc::vis::renderEvidence(sample, edge ? e.gradCam : e.saliency, style.colormap, style.scale),
        j);
}

} // namespace nc::cli
