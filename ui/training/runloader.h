#pragma once
// Reads a run folder back into RunData: run.json, metrics.csv (the epochs, as the checkpoint
// has them) and the TensorBoard event file (every step scalar and the histograms). A run
// killed mid-write loads what was written before the damage, with a warning.

#include "rundata.h"

#include "core/status.h"

#include <QString>

namespace nc::ui {

struct LoadedRun {
    RunData run;
    QString warning; // a damaged event file, a missing metrics.csv; empty when all is well
};

enum class RunParts { All, InfoAndMetrics }; // InfoAndMetrics: no event file (scalars)

nc::core::Result<LoadedRun> loadRunFolder(const QString& folder, RunParts parts = RunParts::All);

} // namespace nc::ui
