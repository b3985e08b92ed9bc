#include "rundata.h"

#include <QFileInfo>

#include <cmath>

namespace nc::ui {

double RunData::bestValAccuracy() const {
    double best = std::nan("");
    for (const engine::EpochReport& e : epochs)
        if (!std::isnan(e.valAccuracy) && (std::isnan(best) || e.valAccuracy > best))
            best = e.valAccuracy;
    return best;
}

double RunData::trainingSeconds() const {
    double seconds = 0;
    for (const engine::EpochReport& e : epochs)
        seconds += e.seconds;
    return seconds;
}

QString RunData::graphName() const {
    return QFileInfo(QString::fromStdString(info.graphSource)).fileName();
}

namespace {

void addScalar(RunData& run, const std::string& tag, const SeriesPoint& at, double value) {
    if (std::isnan(value))
        return;
    SeriesPoint p = at;
    p.value = value;
    run.scalars[tag].append(p);
}

} // namespace

void addEpoch(RunData& run, const engine::EpochReport& r, double wallTime) {
    std::erase_if(run.epochs, [&](const engine::EpochReport& e) { return e.epoch >= r.epoch; });
    run.epochs.push_back(r);
    const SeriesPoint at{double(std::int64_t(r.epoch) * run.stepsPerEpoch), double(r.epoch),
                         wallTime, 0};
    addScalar(run, "epoch/train_loss", at, r.trainLoss);
    addScalar(run, "epoch/train_accuracy", at, r.trainAccuracy);
    addScalar(run, "epoch/val_loss", at, r.valLoss);
    addScalar(run, "epoch/val_accuracy", at, r.valAccuracy);
    addScalar(run, "epoch/seconds", at, r.seconds);
    addScalar(run, "epoch/images_per_s", at, r.imagesPerSecond);
    addScalar(run, "epoch/lr", at, r.lr);
}

void addStep(RunData& run, const engine::StepReport& r, double wallTime) {
    if (r.steps > 0)
        run.stepsPerEpoch = r.steps;
    const double epoch = double(r.epoch - 1) + (r.steps > 0 ? double(r.step) / double(r.steps) : 0);
    const SeriesPoint at{double(r.globalStep), epoch, wallTime, 0};
    addScalar(run, "step/batch_loss", at, r.windowLoss);
    addScalar(run, "step/batch_accuracy", at, r.windowAccuracy);
    addScalar(run, "step/train_loss", at, r.loss);
    addScalar(run, "step/lr", at, r.lr);
    addScalar(run, "step/images_per_s", at, r.imagesPerSecond);
}

void addHistogram(RunData& run, const std::string& tag, int epoch, engine::Histogram histogram,
                  double wallTime) {
    const std::string gradients = "gradients/";
    if (tag.starts_with(gradients)) {
        const SeriesPoint at{double(std::int64_t(epoch) * run.stepsPerEpoch), double(epoch),
                             wallTime, 0};
        addScalar(run, "gradient_norm/" + tag.substr(gradients.size()), at,
                  std::sqrt(histogram.sumSquares));
    }
    auto& list = run.histograms[tag];
    std::erase_if(list, [&](const EpochHistogram& h) { return h.epoch >= epoch; });
    list.push_back({epoch, std::move(histogram)});
}

} // namespace nc::ui
