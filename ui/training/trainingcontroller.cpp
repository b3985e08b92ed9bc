#include "trainingcontroller.h"

#include <QCoreApplication>
#include <QThread>

namespace nc::ui {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<MetricBatchPtr>();
    qRegisterMetaType<TrainingResult>();
}

TrainingController::~TrainingController() {
    stopAndWait(-1);
}

void TrainingController::setState(State state) {
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

bool TrainingController::start(TrainingJob job, QString* why) {
    if (isActive()) {
        if (why)
            *why = tr("A training is already running in this window; stop it first.");
        return false;
    }
    m_control = std::make_shared<engine::TrainControl>();
    m_folder.clear();
    m_result = {};
    m_live->clear();
    m_thread = new QThread(this);
    m_thread->setObjectName("training");
    auto* worker = new TrainingWorker(std::move(job), m_control, m_live);
    worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, worker, &TrainingWorker::run);
    connect(worker, &TrainingWorker::phase, this, &TrainingController::phase);
    connect(worker, &TrainingWorker::deviceFallback, this, &TrainingController::deviceFallback);
    connect(worker, &TrainingWorker::started, this, [this](const QString& folder) {
        m_folder = folder;
        if (m_state == State::Preparing)
            setState(m_control->isPaused() ? State::Paused : State::Running);
        emit runStarted(folder);
    });
    connect(worker, &TrainingWorker::metrics, this, &TrainingController::metricsArrived);
    connect(worker, &TrainingWorker::finished, this,
            [this](const TrainingResult& result) { m_result = result; });
    // Direct: quit() is thread-safe, and stopAndWait() blocks the thread m_thread lives in.
    connect(worker, &TrainingWorker::finished, m_thread, &QThread::quit, Qt::DirectConnection);
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(m_thread, &QThread::finished, this, [this] { onWorkerFinished(m_result); });
    setState(State::Preparing);
    m_thread->start();
    return true;
}

void TrainingController::pause() {
    if (m_state != State::Running && m_state != State::Preparing)
        return;
    m_control->pause();
    if (m_state == State::Running)
        setState(State::Paused);
}

void TrainingController::resume() {
    if (m_state != State::Paused)
        return;
    m_control->resume();
    setState(State::Running);
}

void TrainingController::stop() {
    if (!isActive() || m_state == State::Stopping)
        return;
    m_control->cancel();
    m_control->resume(); // a paused trainer wakes up to see the cancel
    setState(State::Stopping);
}

bool TrainingController::stopAndWait(int timeoutMs) {
    if (!m_thread)
        return true;
    stop();
    const bool ended = timeoutMs < 0 ? m_thread->wait() : m_thread->wait(timeoutMs);
    if (ended) // deliver what the worker sent while we waited, then finish
        QCoreApplication::sendPostedEvents(this);
    if (ended && m_thread)
        onWorkerFinished(m_result);
    return ended;
}

void TrainingController::onWorkerFinished(const TrainingResult& result) {
    if (!m_thread)
        return;
    m_thread->deleteLater();
    m_thread = nullptr;
    m_control.reset();
    setState(State::Idle);
    emit runFinished(result);
}

} // namespace nc::ui
