#include "runloader.h"

#include "core/atomicwrite.h"
#include "engine/run/eventreader.h"
#include "engine/run/runmetrics.h"

#include <QDir>
#include <QFileInfo>

namespace nc::ui {

using nc::core::Result;
using nc::core::Status;

namespace {

constexpr std::size_t kMaxSmallFile = std::size_t(64) << 20;

// Steps per epoch: the last step event before the first epoch event is the first epoch's end.
std::int64_t stepsPerEpoch(const std::vector<engine::DecodedEvent>& events) {
    std::int64_t last = 0;
    for (const engine::DecodedEvent& e : events) {
        if (e.find("epoch/train_loss"))
            return last;
        if (e.find("step/train_loss"))
            last = e.step;
    }
    return last;
}

void addEvents(RunData& run, const std::vector<engine::DecodedEvent>& events) {
    run.stepsPerEpoch = stepsPerEpoch(events);
    const int epochsKept = run.epochs.empty() ? 0 : run.epochs.back().epoch;
    for (const engine::DecodedEvent& e : events) {
        const bool epochEvent = !e.values.empty() && e.values.front().tag.starts_with("epoch/");
        const bool histogramEvent = !e.values.empty() && e.values.front().histogram;
        if ((epochEvent || histogramEvent) && e.step > epochsKept)
            continue; // an epoch the checkpoint does not cover
        for (const engine::DecodedValue& v : e.values) {
            if (v.histogram) {
                addHistogram(run, v.tag, int(e.step), *v.histogram, e.wallTime);
                continue;
            }
            if (!v.simpleValue)
                continue;
            SeriesPoint p;
            p.wall = e.wallTime;
            p.value = *v.simpleValue;
            if (epochEvent) {
                p.epoch = double(e.step);
                p.step = double(e.step * run.stepsPerEpoch);
            } else {
                p.step = double(e.step);
                p.epoch = run.stepsPerEpoch > 0 ? double(e.step) / double(run.stepsPerEpoch) : 0;
            }
            run.scalars[v.tag].append(p);
        }
    }
}

} // namespace

Result<LoadedRun> loadRunFolder(const QString& folder, RunParts parts) {
    LoadedRun loaded;
    RunData& run = loaded.run;
    run.folder = QFileInfo(folder).absoluteFilePath();
    run.name = QFileInfo(folder).fileName();
    const std::string path = QDir(folder).filePath("run.json").toStdString();
    auto json = nc::core::readWholeFile(path, kMaxSmallFile);
    if (!json)
        return json.status();
    auto info = engine::parseRunInfo(json.value(), path);
    if (!info)
        return info.status();
    run.info = std::move(info).value();

    const std::string metricsPath = QDir(folder).filePath("metrics.csv").toStdString();
    if (auto csv = nc::core::readWholeFile(metricsPath, kMaxSmallFile))
        run.epochs = engine::RunMetrics::parse(csv.value(), 1 << 30).reports();
    else
        loaded.warning = QString::fromStdString(csv.message());
    for (engine::EpochReport& r : run.epochs)
        r.epochs = run.info.config.epochs;

    if (parts == RunParts::All && !run.info.eventsFile.empty()) {
        const std::string eventsPath =
            QDir(folder).filePath(QString::fromStdString(run.info.eventsFile)).toStdString();
        auto events = engine::readEventFilePrefix(eventsPath);
        if (!events) {
            loaded.warning = QString::fromStdString(events.message());
        } else {
            addEvents(run, events.value().events);
            if (!events.value().damage.empty())
                loaded.warning = QString::fromStdString(events.value().damage);
        }
    }
    return loaded;
}

} // namespace nc::ui
