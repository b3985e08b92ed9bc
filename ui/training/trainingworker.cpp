#include "trainingworker.h"

#include "engine/backendlist.h"
#include "engine/data/dataspec.h"
#include "engine/model.h"
#include "engine/run/initialweights.h"
#include "engine/run/resumetarget.h"
#include "engine/run/runsession.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <ctime>

namespace nc::ui {

using engine::RunStatus;
using nc::core::Status;

namespace {

constexpr auto kBatchInterval = std::chrono::milliseconds(50);

double wallNow() {
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

engine::TrainConfig trainConfig(const nc::graph::TrainingSettings& s, int threads) {
    engine::TrainConfig c;
    c.epochs = int(s.epochs);
    c.batch = s.batch;
    c.lr = s.lr;
    c.optimizer.kind = s.optimizer;
    c.optimizer.momentum = s.momentum;
    c.optimizer.weightDecay = s.weightDecay;
    c.optimizer.clipGradNorm = s.clipGradNorm;
    c.schedule = s.schedule;
    c.seed = std::uint64_t(s.seed);
    c.threads = threads;
    return c;
}

TrainingResult failure(const QString& message, const nc::graph::Graph& graph,
                       const QString& folder = {}) {
    TrainingResult r;
    r.status = RunStatus::Failed;
    r.message = message;
    r.node = nodeNamedIn(graph, message);
    r.folder = folder;
    return r;
}

} // namespace

QString nodeNamedIn(const nc::graph::Graph& graph, const QString& message) {
    static const QRegularExpression quoted("\"([^\"]+)\"");
    for (auto it = quoted.globalMatch(message); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (graph.findByName(name.toStdString()))
            return name;
    }
    return {};
}

TrainingWorker::TrainingWorker(TrainingJob job, std::shared_ptr<engine::TrainControl> control,
                               std::shared_ptr<LiveWeights> live)
    : m_job(std::move(job)), m_control(std::move(control)), m_live(std::move(live)) {}

void TrainingWorker::run() {
    TrainingResult result = train();
    flush(true);
    emit finished(result);
}

void TrainingWorker::flush(bool force) {
    if (!m_pending || m_pending->empty())
        return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - m_lastFlush < kBatchInterval)
        return;
    m_lastFlush = now;
    m_pending->sequence = ++m_sequence;
    emit metrics(m_folder, std::move(m_pending));
    m_pending = std::make_shared<MetricBatch>();
}

TrainingResult TrainingWorker::train() {
    const nc::graph::Graph& graph = m_job.graph;
    emit phase(tr("Compiling the graph..."));
    auto model = engine::Model::compile(graph);
    if (!model)
        return failure(QString::fromStdString(model.message()), graph);
    auto backend = engine::createBackend(m_job.device.toStdString());
    if (!backend)
        return failure(QString::fromStdString(backend.message()), graph);

    std::optional<engine::ResumePoint> resumed;
    if (!m_job.resumeCheckpoint.isEmpty()) {
        emit phase(tr("Reading %1...").arg(m_job.resumeCheckpoint));
        auto point = engine::readResumePoint(m_job.resumeCheckpoint.toStdString());
        if (!point)
            return failure(QString::fromStdString(point.message()), graph);
        resumed = std::move(point).value();
        // Again here: the folder may have changed since the job was made.
        auto effect = engine::checkResumeTarget(
            QFileInfo(m_job.resumeCheckpoint).absolutePath().toStdString(),
            m_job.resumeCheckpoint.toStdString(), resumed->checkpoint.metadata, resumed->epoch);
        if (!effect)
            return failure(QString::fromStdString(effect.message()), graph);
        if (effect.value().cutsBack() && !m_job.allowCutBack)
            return failure(QString::fromStdString(effect.value().cutBackMessage()), graph);
    }
    if (m_job.initialWeights)
        if (Status st = engine::checkInitialWeights(*m_job.initialWeights, model.value(),
                                                    m_job.initialWeightsLabel.toStdString());
            !st)
            return failure(QString::fromStdString(st.message()), graph);

    const nc::graph::TrainingSettings& s = m_job.settings;
    emit phase(tr("Loading %1...").arg(QString::fromStdString(s.data)));
    const engine::Model& compiled = model.value();
    auto data = engine::loadDataset(
        s.data, compiled.values()[std::size_t(compiled.inputStep().outputs[0])].perSample);
    if (!data)
        return failure(QString::fromStdString(data.message()), graph);
    if (Status st = engine::checkDataFits(compiled, data.value()); !st)
        return failure(QString::fromStdString(st.message()), graph);
    auto [train, validation] = engine::splitTail(data.value(), s.valSplit);
    if (m_control->isCancelled()) {
        TrainingResult r;
        r.status = RunStatus::Stopped;
        r.message = tr("Stopped before training began; no run folder was made.");
        return r;
    }

    std::string folderPath;
    if (resumed) {
        folderPath = QFileInfo(m_job.resumeCheckpoint).absolutePath().toStdString();
    } else {
        const QString parent = graphRunsFolder(m_job.runsRoot, m_job.graphSource);
        if (!QDir().mkpath(parent))
            return failure(tr("Cannot create the runs folder %1").arg(parent), graph);
        auto fresh = engine::RunFolder::claimFreshPath(
            parent.toStdString(), QFileInfo(parent).fileName().toStdString(), std::time(nullptr));
        if (!fresh)
            return failure(QString::fromStdString(fresh.message()), graph);
        folderPath = fresh.value();
    }
    auto folder = engine::RunFolder::open(folderPath, resumed.has_value());
    if (!folder)
        return failure(QString::fromStdString(folder.message()), graph);
    m_folder = QFileInfo(QString::fromStdString(folderPath)).absoluteFilePath();

    engine::RunRequest request;
    request.info.graphSource = m_job.graphSource.toStdString();
    request.info.data = s.data;
    request.info.valSplit = s.valSplit;
    request.info.config = trainConfig(s, m_job.threads);
    request.info.device = m_job.device.toStdString();
    request.info.threads = m_job.threads;
    request.resumed = resumed ? &*resumed : nullptr;
    request.initialWeights = m_job.initialWeights;
    if (m_job.initialWeights)
        request.info.initialWeights = m_job.initialWeightsLabel.toStdString();
    request.initialWeightsSource = m_job.initialWeightsLabel.toStdString();
    request.saveWeightsOnStop = true;

    m_pending = std::make_shared<MetricBatch>();
    m_lastFlush = std::chrono::steady_clock::now();
    engine::RunHooks hooks;
    hooks.onStarted = [this](const engine::RunInfo&) { emit started(m_folder); };
    hooks.onStep = [this](const engine::StepReport& r) {
        m_pending->steps.push_back({r, wallNow()});
        flush(false);
        if (m_trainer && m_live->due())
            m_trainer->requestSnapshot();
    };
    hooks.onSnapshot = [this](const engine::SnapshotPtr& snapshot) { m_live->publish(snapshot); };
    hooks.onFallback = [this](const std::string& message) {
        emit deviceFallback(QString::fromStdString(message));
    };
    hooks.trainer = &m_trainer;
    hooks.onEpoch = [this](const engine::EpochReport& r) {
        m_pending->epochs.push_back({r, wallNow()});
    };
    hooks.onHistograms = [this](int epoch, const auto& histograms) {
        const double wall = wallNow();
        for (const auto& [tag, histogram] : histograms)
            m_pending->histograms.push_back({tag, epoch, histogram, wall});
        flush(true);
    };
    emit phase(tr("Training..."));
    engine::RunOutcome outcome = engine::trainIntoRun(model.value(), *backend.value(), train,
                                                      validation.size() > 0 ? &validation : nullptr,
                                                      folder.value(), request, *m_control, hooks);

    TrainingResult r;
    r.status = outcome.status;
    r.folder = m_folder;
    r.savedEpoch = outcome.savedEpoch;
    r.stoppedWeights = QString::fromStdString(outcome.stoppedWeights);
    if (outcome.status == RunStatus::Failed) {
        r.message = QString::fromStdString(outcome.error.message());
        r.node = nodeNamedIn(graph, r.message);
    } else if (outcome.status == RunStatus::Stopped) {
        r.message = outcome.savedEpoch > 0
                        ? tr("Stopped; the checkpoint holds epoch %1.").arg(outcome.savedEpoch)
                        : tr("Stopped before the first epoch ended.");
        if (!r.stoppedWeights.isEmpty())
            r.message += tr(" The weights it stopped with are in %1.")
                             .arg(QFileInfo(r.stoppedWeights).fileName());
        else if (!outcome.error)
            r.message += " " + QString::fromStdString(outcome.error.message());
    }
    if (!outcome.finishError) {
        r.message += (r.message.isEmpty() ? "" : " ") +
                     QString::fromStdString(outcome.finishError.message());
        if (r.status == RunStatus::Completed)
            r.status = RunStatus::Failed;
    }
    return r;
}

} // namespace nc::ui
