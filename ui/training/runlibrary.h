#pragma once
// The runs the app knows: every run folder under the runs root (<root>/<graph>/<run>/), read
// in the background at start-up and after a run ends, and the live run being trained, fed from
// the worker's batches. Names the user gives runs and which runs are overlaid on the charts
// are remembered in the settings; each run's colour follows its place in the list.
//
//   RunLibrary library;                 // the root from the settings, or the default
//   library.rescan();                   // runsChanged() when the folders are read
//   connect(&controller, &TrainingController::metricsArrived, &library, &RunLibrary::append);

#include "metricbatch.h"
#include "rundata.h"

#include <QMap>
#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace nc::ui {

class RunLibrary : public QObject {
    Q_OBJECT

public:
    explicit RunLibrary(QObject* parent = nullptr);

    // The user's data folder's "runs" unless the settings name another one.
    static QString defaultRoot();
    QString root() const { return m_root; }
    void setRoot(const QString& root); // remembered; rescans

    const std::vector<std::shared_ptr<RunData>>& runs() const { return m_runs; }
    const RunData* find(const QString& folder) const;
    QStringList warnings() const { return m_warnings; } // from the last scan

    // Reads every run folder under the root again, off the GUI thread.
    void rescan();
    // Reads one folder again (a run that ended), off the GUI thread.
    void reload(const QString& folder);
    bool isScanning() const { return m_pendingLoads > 0; }

    // Adds a run made elsewhere (read from disk by the caller, or made up by a benchmark).
    void add(std::shared_ptr<RunData> run);

    // A run being trained in this window: its folder was just made (or resumed).
    void beginLive(const QString& folder);
    void append(const QString& folder, const MetricBatchPtr& batch);
    void endLive(const QString& folder);

    bool rename(const QString& folder, const QString& name);
    // Deletes the folder (moves it to the trash where there is one); a live run is refused.
    bool remove(const QString& folder, QString* error);

    bool isOverlaid(const QString& folder) const { return m_overlaid.contains(folder); }
    void setOverlaid(const QString& folder, bool overlaid);
    QStringList overlaid() const { return m_overlaid; }

    static QColor colorFor(int index);

signals:
    void runsChanged();                     // added, removed, renamed, re-read
    void runUpdated(const QString& folder); // new points of a live run
    void overlayChanged();
    void scanFinished();

private:
    void loadInBackground(const QStringList& folders, bool replaceAll);
    void adopt(std::vector<std::shared_ptr<RunData>> loaded, QStringList warnings, bool replaceAll);
    void assignColorsAndNames();
    RunData* findMutable(const QString& folder);
    void saveSettings() const;

    QString m_root;
    std::vector<std::shared_ptr<RunData>> m_runs; // by start time
    QStringList m_warnings;
    QStringList m_overlaid;
    QMap<QString, QString> m_names; // folder -> name the user gave
    QString m_live;
    int m_pendingLoads = 0;
};

} // namespace nc::ui
