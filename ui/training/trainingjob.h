#pragma once
// Everything a training in the window starts from, copied when it starts: the graph as it is
// then (later edits do not reach the run), its training settings, the device, where the
// run folder goes, and the weights a fine-tuning run starts from.

#include "core/status.h"
#include "engine/weightsnapshot.h"
#include "graph_model/graph.h"
#include "graph_model/trainingsettings.h"

#include <QString>

namespace nc::ui {

struct TrainingJob {
    nc::graph::Graph graph;
    QString graphSource; // the graph's file, or its name when it has none
    nc::graph::TrainingSettings settings;
    QString device = "cpu";
    int threads = 0;          // 0: every core
    QString runsRoot;         // a fresh run goes to <runsRoot>/<graph>/<graph>-<time>
    QString resumeCheckpoint; // resume in this checkpoint's folder instead
    // Set by resumeJob when resuming drops later epochs of the run (a backup of an earlier
    // epoch): what would be lost. The run starts only once allowCutBack says the user agreed.
    QString cutBackWarning;
    bool allowCutBack = false;
    // Fine-tune: start from these weights with a fresh optimizer (null: from the seed).
    // Never together with resumeCheckpoint.
    engine::SnapshotPtr initialWeights;
    QString initialWeightsLabel; // where they came from, for messages ("model.onnx")
};

// The folder for a graph's runs under the runs root ("mnist_cnn" for ".../mnist_cnn.json").
QString graphRunsFolder(const QString& runsRoot, const QString& graphSource);

} // namespace nc::ui

namespace nc::ui {

// The job that resumes the run a checkpoint belongs to: that folder's graph.json and the
// settings of its run.json, so it goes on exactly as the run began. An error names the file;
// a checkpoint of another run than the folder's is refused (checkResumeTarget). Reads the
// checkpoint's header only.
nc::core::Result<TrainingJob> resumeJob(const QString& checkpointPath);

} // namespace nc::ui
