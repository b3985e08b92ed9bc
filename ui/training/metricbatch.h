#pragma once
// What the training worker hands the window at a time: the reports since its last batch,
// each with the wall time it was made at. Batches go over queued signals at most about 20
// times a second, whatever the step rate, and arrive in order.

#include "engine/run/histogram.h"
#include "engine/trainer.h"

#include <QMetaType>

#include <memory>
#include <string>
#include <vector>

namespace nc::ui {

struct TimedStep {
    engine::StepReport report;
    double wall = 0;
};

struct TimedEpoch {
    engine::EpochReport report;
    double wall = 0;
};

struct TimedHistogram {
    std::string tag; // "weights/<param>" or "gradients/<param>"
    int epoch = 0;
    engine::Histogram histogram;
    double wall = 0;
};

struct MetricBatch {
    std::uint64_t sequence = 0; // 1, 2, 3, ... per run: a gap would mean a lost batch
    std::vector<TimedStep> steps;
    std::vector<TimedEpoch> epochs;
    std::vector<TimedHistogram> histograms;

    bool empty() const { return steps.empty() && epochs.empty() && histograms.empty(); }
};

using MetricBatchPtr = std::shared_ptr<const MetricBatch>;

} // namespace nc::ui

Q_DECLARE_METATYPE(nc::ui::MetricBatchPtr)
