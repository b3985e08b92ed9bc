#pragma once
// What `netcanvas-cli train` shows and writes while it trains: a progress bar on a terminal,
// one line (or JSON object) per epoch on stdout, and metrics.csv in the run folder.

#include "engine/trainer.h"

#include <string>
#include <vector>

namespace nc::cli {

class TrainReporter {
public:
    TrainReporter(bool json, bool progressBar, std::string metricsPath);

    // Keeps the rows of an earlier run (resuming into the same folder) up to `epochs`.
    void continueFrom(const std::string& existingCsv, int epochs);
    void step(const nc::engine::StepReport& report);
    // Prints the epoch and rewrites metrics.csv (atomically).
    nc::core::Status epoch(const nc::engine::EpochReport& report);

private:
    bool m_json;
    bool m_progressBar;
    std::string m_metricsPath;
    std::string m_csv;
    int m_lastDrawnPercent = -1;
};

} // namespace nc::cli
