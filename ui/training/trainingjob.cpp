#include "trainingjob.h"

#include "core/atomicwrite.h"
#include "engine/run/resumepoint.h"
#include "engine/run/resumetarget.h"
#include "engine/run/runinfo.h"
#include "engine/safetensors.h"
#include "graph_model/graphjson.h"

#include <QDir>
#include <QFileInfo>

namespace nc::ui {

QString graphRunsFolder(const QString& runsRoot, const QString& graphSource) {
    QString stem = QFileInfo(graphSource).completeBaseName();
    if (stem.isEmpty())
        stem = "untitled";
    return QDir(runsRoot).filePath(stem);
}

nc::core::Result<TrainingJob> resumeJob(const QString& checkpointPath) {
    const QDir folder = QFileInfo(checkpointPath).absoluteDir();
    const std::string infoPath = folder.filePath("run.json").toStdString();
    auto text = nc::core::readWholeFile(infoPath, std::size_t(1) << 24);
    if (!text)
        return nc::core::Status::error(
            text.message() + " (a checkpoint resumes in its own run folder, next to run.json)");
    auto info = engine::parseRunInfo(text.value(), infoPath);
    if (!info)
        return info.status();
    auto graph = nc::graph::loadGraphFile(folder.filePath("graph.json").toStdString());
    if (!graph)
        return graph.status();
    const std::string checkpoint = checkpointPath.toStdString();
    auto metadata = engine::readSafetensorsMetadata(checkpoint);
    if (!metadata)
        return metadata.status();
    auto epoch = engine::checkpointEpoch(metadata.value(), checkpoint);
    if (!epoch)
        return epoch.status();
    auto effect = engine::checkResumeTarget(folder.absolutePath().toStdString(), checkpoint,
                                            metadata.value(), epoch.value());
    if (!effect)
        return effect.status();
    const engine::RunInfo& r = info.value();
    TrainingJob job;
    if (effect.value().cutsBack())
        job.cutBackWarning = QString::fromStdString(effect.value().cutBackMessage());
    job.graph = std::move(graph).value();
    job.graphSource = QString::fromStdString(r.graphSource);
    job.settings.data = r.data;
    job.settings.valSplit = r.valSplit;
    job.settings.epochs = r.config.epochs;
    job.settings.batch = r.config.batch;
    job.settings.optimizer = r.config.optimizer.kind;
    job.settings.lr = r.config.lr;
    job.settings.momentum = r.config.optimizer.momentum;
    job.settings.weightDecay = r.config.optimizer.weightDecay;
    job.settings.clipGradNorm = r.config.optimizer.clipGradNorm;
    job.settings.schedule = r.config.schedule;
    job.settings.seed = std::int64_t(r.config.seed);
    job.settings.threads = r.threads;
    job.device = QString::fromStdString(r.device);
    job.threads = r.threads;
    job.resumeCheckpoint = QFileInfo(checkpointPath).absoluteFilePath();
    return job;
}

} // namespace nc::ui
