#pragma once
// Starts, pauses, resumes and stops the one training of a window, on a worker QThread, and
// says what state it is in. Everything it sends arrives on the GUI thread over queued
// signals; no call here waits for the worker except stopAndWait() (closing the window).
//
//   Idle --start()--> Preparing --(run folder made)--> Running <--pause()/resume()--> Paused
//   Preparing/Running/Paused --stop()--> Stopping --(worker done)--> Idle, runFinished()
//   any --(completed or failed)--> Idle, runFinished()

#include "metricbatch.h"
#include "trainingjob.h"
#include "trainingworker.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QThread;

namespace nc::ui {

class TrainingController : public QObject {
    Q_OBJECT

public:
    enum class State { Idle, Preparing, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override; // stops a run and waits for it

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    QString runFolder() const { return m_folder; } // of the current run, once made

    // Refused (false, with the reason) while a run is active.
    bool start(TrainingJob job, QString* why = nullptr);
    void pause();
    void resume();
    void stop();
    // Stops and waits up to `timeoutMs` for the worker to end (true if it did).
    bool stopAndWait(int timeoutMs);
    // The weights of the run as it trains (the last ones after it ends, until the next start).
    LiveWeights& liveWeights() { return *m_live; }

signals:
    void stateChanged(nc::ui::TrainingController::State state);
    void phase(const QString& text);
    void runStarted(const QString& folder);
    void metricsArrived(const QString& folder, nc::ui::MetricBatchPtr batch);
    void runFinished(const nc::ui::TrainingResult& result);
    void deviceFallback(const QString& message); // TrainingWorker::deviceFallback

private:
    void setState(State state);
    void onWorkerFinished(const TrainingResult& result);

    State m_state = State::Idle;
    QThread* m_thread = nullptr;
    std::shared_ptr<engine::TrainControl> m_control;
    std::shared_ptr<LiveWeights> m_live = std::make_shared<LiveWeights>();
    QString m_folder;
    TrainingResult m_result;
};

} // namespace nc::ui
