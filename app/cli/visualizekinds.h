#pragma once
// The five pictures of `netcanvas-cli visualize`, one function each; each returns the exit
// code. The same engine/vis calls draw them in the app.

#include "visualizesetup.h"

namespace nc::cli {

int visualizeActivations(const VisualizeRun& run);
int visualizeFilters(const VisualizeRun& run);
int visualizeReconstructions(const VisualizeRun& run);
int visualizeConfusion(const VisualizeRun& run);
int visualizeSaliency(const VisualizeRun& run);

} // namespace nc::cli
