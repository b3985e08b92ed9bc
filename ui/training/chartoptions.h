#pragma once
// How every chart of the Charts panel draws: smoothing (TensorBoard's EMA weight, or a
// window for the moving average and the envelope), the x axis and log scales. Shared by the
// charts so they stay comparable; the panel's toolbar edits it.

#include "runseries.h"
#include "smoothing.h"

#include <QString>

#include <string>
#include <vector>

namespace nc::ui {

struct ChartOptions {
    SmoothingMode smoothing = SmoothingMode::Ema;
    double emaWeight = 0.6; // TensorBoard's default slider position
    int window = 25;        // points, for the moving average and the envelope
    XAxis xAxis = XAxis::Step;
    bool logX = false;
    bool logY = false;

    friend bool operator==(const ChartOptions&, const ChartOptions&) = default;
};

// A chart's content: a title and the scalar tags it overlays for every chosen run.
struct ChartSpec {
    QString title;
    std::vector<std::string> tags;
};

// Whether `tag` has a point per step (smoothed and drawn as a line) rather than per epoch
// (drawn as is, with a marker at each epoch).
inline bool isStepTag(const std::string& tag) {
    return tag.starts_with("step/");
}

} // namespace nc::ui
