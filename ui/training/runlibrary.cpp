#include "runlibrary.h"

#include "runloader.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QThreadPool>

#include "ui/backgroundpool.h"

#include <algorithm>

namespace nc::ui {

namespace {

const char* const kRootKey = "runs/root";
const char* const kNamesKey = "runs/names";
const char* const kOverlaidKey = "runs/overlaid";

// The run folders under `root`: <root>/<run>/run.json and <root>/<graph>/<run>/run.json.
QStringList runFolders(const QString& root) {
    QStringList folders;
    const QDir top(root);
    for (const QFileInfo& level1 : top.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (QFileInfo::exists(QDir(level1.filePath()).filePath("run.json"))) {
            folders << level1.absoluteFilePath();
            continue;
        }
        for (const QFileInfo& level2 :
             QDir(level1.filePath()).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (QFileInfo::exists(QDir(level2.filePath()).filePath("run.json")))
                folders << level2.absoluteFilePath();
    }
    return folders;
}

} // namespace

RunLibrary::RunLibrary(QObject* parent) : QObject(parent) {
    QSettings settings;
    m_root = settings.value(kRootKey, defaultRoot()).toString();
    const QVariantMap names = settings.value(kNamesKey).toMap();
    for (auto it = names.begin(); it != names.end(); ++it)
        m_names[it.key()] = it.value().toString();
    m_overlaid = settings.value(kOverlaidKey).toStringList();
}

QString RunLibrary::defaultRoot() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("runs");
}

void RunLibrary::setRoot(const QString& root) {
    m_root = QFileInfo(root).absoluteFilePath();
    QSettings().setValue(kRootKey, m_root);
    rescan();
}

const RunData* RunLibrary::find(const QString& folder) const {
    for (const auto& run : m_runs)
        if (run->folder == folder)
            return run.get();
    return nullptr;
}

RunData* RunLibrary::findMutable(const QString& folder) {
    return const_cast<RunData*>(find(folder));
}

void RunLibrary::rescan() {
    loadInBackground({}, true);
}

void RunLibrary::reload(const QString& folder) {
    loadInBackground({folder}, false);
}

void RunLibrary::loadInBackground(const QStringList& folders, bool replaceAll) {
    ++m_pendingLoads;
    QPointer<RunLibrary> self(this);
    const QString root = m_root;
    backgroundPool().start([self, root, folders, replaceAll] {
        std::vector<std::shared_ptr<RunData>> loaded;
        QStringList warnings;
        for (const QString& folder : replaceAll ? runFolders(root) : folders) {
            auto run = loadRunFolder(folder);
            if (!run) {
                warnings << QString::fromStdString(run.message());
                continue;
            }
            if (!run.value().warning.isEmpty())
                warnings << run.value().warning;
            loaded.push_back(std::make_shared<RunData>(std::move(run.value().run)));
        }
        // Back on the GUI thread, where `self` may be checked.
        QMetaObject::invokeMethod(
            qApp,
            [self, loaded = std::move(loaded), warnings, replaceAll]() mutable {
                if (self)
                    self->adopt(std::move(loaded), warnings, replaceAll);
            },
            Qt::QueuedConnection);
    });
}

void RunLibrary::adopt(std::vector<std::shared_ptr<RunData>> loaded, QStringList warnings,
                       bool replaceAll) {
    --m_pendingLoads;
    if (replaceAll) {
        m_warnings = warnings;
        std::erase_if(m_runs, [&](const auto& run) { return run->folder != m_live; });
    } else {
        m_warnings << warnings;
    }
    for (auto& run : loaded) {
        if (run->folder == m_live)
            continue; // the live run's own points are newer than its files
        std::erase_if(m_runs, [&](const auto& r) { return r->folder == run->folder; });
        m_runs.push_back(std::move(run));
    }
    std::stable_sort(m_runs.begin(), m_runs.end(), [](const auto& a, const auto& b) {
        return a->info.started < b->info.started;
    });
    assignColorsAndNames();
    emit runsChanged();
    if (m_pendingLoads == 0)
        emit scanFinished();
}

QColor RunLibrary::colorFor(int index) {
    // Tableau 10: distinct on white and for the common colour-vision deficiencies.
    static const QColor palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                     "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return palette[index % 10];
}

void RunLibrary::assignColorsAndNames() {
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        RunData& run = *m_runs[i];
        run.color = colorFor(int(i));
        run.name = m_names.value(run.folder, QFileInfo(run.folder).fileName());
        run.live = run.folder == m_live;
    }
}

void RunLibrary::add(std::shared_ptr<RunData> run) {
    std::erase_if(m_runs, [&](const auto& r) { return r->folder == run->folder; });
    m_runs.push_back(std::move(run));
    assignColorsAndNames();
    emit runsChanged();
}

void RunLibrary::beginLive(const QString& folder) {
    m_live = folder;
    RunData* run = findMutable(folder);
    if (!run) {
        auto fresh = std::make_shared<RunData>();
        fresh->folder = folder;
        fresh->info.started = engine::isoUtcTime(std::time(nullptr));
        m_runs.push_back(std::move(fresh));
        run = m_runs.back().get();
    }
    if (run->scalars.empty()) {
        // A fresh run (or one not read yet): its folder holds a few small files.
        if (auto loaded = loadRunFolder(folder))
            *run = std::move(loaded.value().run);
    } else if (auto loaded = loadRunFolder(folder, RunParts::InfoAndMetrics)) {
        // A resumed run: run.json and metrics.csv say which epochs the checkpoint kept; the
        // points already in memory are cut back to those, not read again from the events.
        RunData kept = std::move(loaded.value().run);
        kept.stepsPerEpoch = run->stepsPerEpoch;
        kept.scalars = std::move(run->scalars);
        kept.histograms = std::move(run->histograms);
        const int epochs = kept.epochs.empty() ? 0 : kept.epochs.back().epoch;
        for (auto& [tag, series] : kept.scalars)
            series.truncateAfterEpoch(epochs);
        for (auto& [tag, list] : kept.histograms)
            std::erase_if(list, [&](const EpochHistogram& h) { return h.epoch > epochs; });
        *run = std::move(kept);
    }
    run->info.status = engine::RunStatus::Running;
    if (!m_overlaid.contains(folder))
        m_overlaid << folder;
    assignColorsAndNames();
    saveSettings();
    emit runsChanged();
    emit overlayChanged();
}

void RunLibrary::append(const QString& folder, const MetricBatchPtr& batch) {
    RunData* run = findMutable(folder);
    if (!run || !batch)
        return;
    for (const TimedStep& s : batch->steps)
        addStep(*run, s.report, s.wall);
    for (const TimedEpoch& e : batch->epochs) {
        addEpoch(*run, e.report, e.wall);
        run->info.epochsDone = e.report.epoch;
    }
    for (const TimedHistogram& h : batch->histograms)
        addHistogram(*run, h.tag, h.epoch, h.histogram, h.wall);
    emit runUpdated(folder);
}

void RunLibrary::endLive(const QString& folder) {
    if (m_live == folder)
        m_live.clear();
    if (RunData* run = findMutable(folder))
        run->live = false;
    reload(folder); // its final status and anything the batches did not carry
}

bool RunLibrary::rename(const QString& folder, const QString& name) {
    RunData* run = findMutable(folder);
    if (!run)
        return false;
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed == QFileInfo(folder).fileName())
        m_names.remove(folder);
    else
        m_names[folder] = trimmed;
    assignColorsAndNames();
    saveSettings();
    emit runsChanged();
    return true;
}

bool RunLibrary::remove(const QString& folder, QString* error) {
    if (folder == m_live) {
        *error = tr("The run is still training; stop it first.");
        return false;
    }
    if (!QFileInfo::exists(QDir(folder).filePath("run.json"))) {
        *error =
            tr("%1 is not a run folder (it has no run.json); nothing was deleted.").arg(folder);
        return false;
    }
    if (!QFile::moveToTrash(folder) && !QDir(folder).removeRecursively()) {
        *error = tr("Could not delete %1 (permissions?).").arg(folder);
        return false;
    }
    std::erase_if(m_runs, [&](const auto& run) { return run->folder == folder; });
    m_names.remove(folder);
    m_overlaid.removeAll(folder);
    assignColorsAndNames();
    saveSettings();
    emit runsChanged();
    emit overlayChanged();
    return true;
}

void RunLibrary::setOverlaid(const QString& folder, bool overlaid) {
    if (overlaid == m_overlaid.contains(folder))
        return;
    if (overlaid)
        m_overlaid << folder;
    else
        m_overlaid.removeAll(folder);
    saveSettings();
    emit overlayChanged();
}

void RunLibrary::saveSettings() const {
    QSettings settings;
    QVariantMap names;
    for (auto it = m_names.begin(); it != m_names.end(); ++it)
        names[it.key()] = it.value();
    settings.setValue(kNamesKey, names);
    settings.setValue(kOverlaidKey, m_overlaid);
}

} // namespace nc::ui
