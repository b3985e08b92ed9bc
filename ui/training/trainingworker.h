#pragma once
// Runs one training on a worker QThread (the controller moves it there): compiles the job's
// graph, loads the data, opens the run folder and trains into it (engine/run/runsession.h).
// Reports reach the window batched (metricbatch.h); nothing here touches a widget.

#include "liveweights.h"
#include "metricbatch.h"
#include "trainingjob.h"

#include "engine/run/runinfo.h"
#include "engine/traincontrol.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace nc::ui {

struct TrainingResult {
    engine::RunStatus status = engine::RunStatus::Failed;
    QString message;        // why it failed, or what a stop left; empty when it completed
    QString node;           // the graph node the error names, if any
    QString folder;         // the run folder; empty if none was made
    QString stoppedWeights; // where a stop saved the weights it had
    int savedEpoch = 0;     // the epoch the folder's checkpoint holds (this session)
};

class TrainingWorker : public QObject {
    Q_OBJECT

public:
    TrainingWorker(TrainingJob job, std::shared_ptr<engine::TrainControl> control,
                   std::shared_ptr<LiveWeights> live);

public slots:
    void run();

signals:
    void phase(const QString& text); // "Loading synthetic:digits...", for the status bar
    void started(const QString& folder);
    void metrics(const QString& folder, nc::ui::MetricBatchPtr batch);
    void finished(const nc::ui::TrainingResult& result);
    // The GPU ran out of memory and training went on on the CPU; the message says where.
    void deviceFallback(const QString& message);

private:
    TrainingResult train();
    void flush(bool force);

    TrainingJob m_job;
    std::shared_ptr<engine::TrainControl> m_control;
    std::shared_ptr<LiveWeights> m_live;
    engine::Trainer* m_trainer = nullptr; // while it trains (training thread only)
    QString m_folder;
    std::shared_ptr<MetricBatch> m_pending;
    std::uint64_t m_sequence = 0;
    std::chrono::steady_clock::time_point m_lastFlush;
};

// The first node of `graph` that `message` names in double quotes, or an empty string.
QString nodeNamedIn(const nc::graph::Graph& graph, const QString& message);

} // namespace nc::ui

Q_DECLARE_METATYPE(nc::ui::TrainingResult)
