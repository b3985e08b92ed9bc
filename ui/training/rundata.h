#pragma once
// What the app knows of one training run: where it lives, how the user calls it, its
// run.json, its scalars (every point; TensorBoard's tags: "step/batch_loss", "epoch/val_loss",
// ... and "gradient_norm/<param>" from the gradient histograms), its epochs' rows and the
// weight and gradient histograms per epoch. Filled from disk (runloader.h) or live from the
// training worker (metricbatch.h).

#include "runseries.h"

#include "engine/run/histogram.h"
#include "engine/run/runinfo.h"
#include "engine/trainer.h"

#include <QColor>
#include <QString>

#include <map>
#include <string>
#include <vector>

namespace nc::ui {

struct EpochHistogram {
    int epoch = 0;
    engine::Histogram histogram;
};

struct RunData {
    QString folder; // absolute; the run's identity
    QString name;   // shown in the panels; the folder's name unless renamed
    QColor color;
    engine::RunInfo info;
    std::int64_t stepsPerEpoch = 0; // 0 until known
    std::map<std::string, RunSeries> scalars;
    std::vector<engine::EpochReport> epochs; // in epoch order
    // "weights/<param>" and "gradients/<param>" -> one histogram per epoch
    std::map<std::string, std::vector<EpochHistogram>> histograms;
    bool live = false; // being trained in this window now

    // The best validation accuracy of any epoch, or NaN.
    double bestValAccuracy() const;
    // Seconds from the first to the last epoch's end, summed over epochs.
    double trainingSeconds() const;
    QString graphName() const; // the graph file's name without folder
};

// Adds an epoch's row and its scalars ("epoch/..." tags) at the run's x coordinates.
void addEpoch(RunData& run, const engine::EpochReport& report, double wallTime);
// Adds a step report's scalars ("step/..." tags).
void addStep(RunData& run, const engine::StepReport& report, double wallTime);
// Adds an epoch's histogram under `tag`; a gradient also adds "gradient_norm/<param>".
void addHistogram(RunData& run, const std::string& tag, int epoch, engine::Histogram histogram,
                  double wallTime);

} // namespace nc::ui
