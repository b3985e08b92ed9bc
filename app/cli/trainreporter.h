#pragma once
// What `netcanvas-cli train` shows while it trains: a progress bar on a terminal and one line
// (or JSON object) per epoch on stdout. The run folder's files are the engine's RunRecorder's.

#include "engine/trainer.h"

#include <string>
#include <vector>

namespace nc::cli {

class TrainReporter {
public:
    TrainReporter(bool json, bool progressBar);

    void step(const nc::engine::StepReport& report);
    void epoch(const nc::engine::EpochReport& report);
    // Clears the progress bar (before a message on stderr).
    void clearProgress();

private:
    bool m_json;
    bool m_progressBar;
    int m_lastDrawnPercent = -1;
};

} // namespace nc::cli
