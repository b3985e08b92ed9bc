// MainWindow, part four: seeing inside the network. The Probe dock shows the tensor on the
// wire (or card) selected on the canvas; the Filters dock draws a layer's weights; the
// Classifier dock judges the validation set, the Reconstructions dock shows what an
// autoencoder makes of it, Layer Health counts dead units and gradient norms, and Saliency
// explains a prediction. All take their weights from the Probe dock's choice: initial,
// the live run (evaluations once an epoch), or a run's checkpoint.

#include "mainwindow.h"

#include "graphdocument.h"
#include "graphscene.h"
#include "loadedweights.h"

#include "probe/classifierview.h"
#include "probe/filtersview.h"
#include "probe/layerhealthview.h"
#include "probe/probeinput.h"
#include "probe/probepanel.h"
#include "probe/reconstructionview.h"
#include "probe/saliencyview.h"
#include "training/liveweights.h"
#include "training/runspanel.h"
#include "training/trainingcontroller.h"

#include "backgroundpool.h"

#include "engine/checkpoint.h"
#include "engine/probe/edgeprobe.h"
#include "engine/probe/gradientcheck.h"
#include "engine/probe/probeweights.h"
#include "engine/random.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>

namespace nc::ui {

void MainWindow::createProbeDocks() {
    m_probe = new ProbePanel(m_document, &m_training->liveWeights(), m_loadedWeights);
    m_filters = new FiltersView(m_document);
    auto* probe = addDock(tr("Probe"), "probe", m_probe, Qt::RightDockWidgetArea);
    tabifyDockWidget(findChild<QDockWidget*>("training"), probe);
    m_classifier = new ClassifierView(m_document);
    m_reconstructions = new ReconstructionView(m_document);
    auto* filters = addDock(tr("Filters"), "filters", m_filters, Qt::BottomDockWidgetArea);
    tabifyDockWidget(findChild<QDockWidget*>("histograms"), filters);
    auto* classifier =
        addDock(tr("Classifier"), "classifier", m_classifier, Qt::BottomDockWidgetArea);
    tabifyDockWidget(filters, classifier);
    auto* reconstructions = addDock(tr("Reconstructions"), "reconstructions", m_reconstructions,
                                    Qt::BottomDockWidgetArea);
    tabifyDockWidget(classifier, reconstructions);
    m_health = new LayerHealthView(m_document);
    auto* health = addDock(tr("Layer Health"), "layerhealth", m_health, Qt::BottomDockWidgetArea);
    tabifyDockWidget(reconstructions, health);
    connect(m_health, &LayerHealthView::nodeChosen, this, &MainWindow::selectAndShow);
    m_saliency = new SaliencyView;
    auto* saliency = addDock(tr("Saliency"), "saliency", m_saliency, Qt::BottomDockWidgetArea);
    tabifyDockWidget(health, saliency);
    // Explains each probed input, while the Saliency dock is on show.
    auto explain = [this] {
        if (!m_saliency->isVisible() || !m_probe->inputs()->hasInput())
            return;
        const ProbePanel::WeightsChoice choice = m_probe->currentWeights();
        m_saliency->explain(m_document->graph(), choice.weights, choice.seed,
                            m_probe->inputs()->input(), m_probe->edge());
    };
    connect(m_probe, &ProbePanel::probed, this, explain);
    connect(saliency, &QDockWidget::visibilityChanged, this, [explain](bool visible) {
        if (visible)
            explain();
    });
    findChild<QDockWidget*>("inspector")->raise();
    findChild<QDockWidget*>("charts")->raise();

    // A selected wire probes its value; a single selected card probes its first output.
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        const auto edges = m_scene->selectedEdges();
        const auto nodes = m_scene->selectedNodes();
        if (edges.size() == 1 && nodes.empty()) {
            m_probe->setEdge({edges.front().outNode, edges.front().outPort});
        } else if (nodes.size() == 1 && edges.empty() &&
                   m_document->graph().outputCount(nodes.front()) > 0) {
            m_probe->setEdge({nodes.front(), 0});
            const nc::graph::Node* node = m_document->graph().node(nodes.front());
            m_filters->selectLayer(QString::fromStdString(node->name));
        }
    });
    connect(m_scene, &GraphScene::outputPortClicked, this,
            [this](nc::graph::NodeId node, nc::graph::PortIndex port) {
                m_probe->setEdge({node, port});
                if (auto* dock = findChild<QDockWidget*>("probe")) {
                    dock->show();
                    dock->raise();
                }
            });
    connect(m_probe, &ProbePanel::weightsChanged, this, [this] {
        const ProbePanel::WeightsChoice choice = m_probe->currentWeights();
        m_filters->setWeights(choice.weights, choice.seed, choice.label);
        if (m_probe->weights() != ProbePanel::Weights::Live)
            evaluateWeights(choice.weights, choice.seed, choice.label, false);
    });
    // A new data set, another graph or a structural edit: evaluate again, once things settle.
    auto* soon = new QTimer(this);
    soon->setSingleShot(true);
    soon->setInterval(400);
    connect(soon, &QTimer::timeout, this, [this] {
        if (m_training->isActive())
            return; // the run's epochs drive the evaluations
        const ProbePanel::WeightsChoice choice = m_probe->currentWeights();
        evaluateWeights(choice.weights, choice.seed, choice.label, false);
    });
    connect(m_probe->inputs(), &ProbeInputPanel::datasetLoaded, this, [this, soon] {
        m_classifier->setData(m_probe->inputs()->dataset());
        m_reconstructions->setData(m_probe->inputs()->dataset());
        m_health->setData(m_probe->inputs()->dataset());
        soon->start();
    });
    connect(m_document, &GraphDocument::graphReset, soon, qOverload<>(&QTimer::start));
    connect(m_document, &GraphDocument::graphChanged, this, [soon](unsigned mask) {
        using namespace nc::graph;
        if (mask &
            (NodeAdded | NodeRemoved | EdgeAdded | EdgeRemoved | ParamChanged | SettingsChanged))
            soon->start();
    });
    // Once an epoch, the run's weights as the epoch left them.
    connect(m_training, &TrainingController::metricsArrived, this,
            [this](const QString&, MetricBatchPtr batch) {
                if (batch->epochs.empty())
                    return;
                const engine::SnapshotPtr live = m_training->liveWeights().latest();
                if (!live)
                    return;
                const int epoch = batch->epochs.back().report.epoch;
                evaluateWeights(live, 0, tr("epoch %1").arg(epoch), epoch > 1);
            });
    connect(m_classifier, &ClassifierView::sampleChosen, this, [this](int index) {
        m_probe->inputs()->setSampleIndex(index);
        findChild<QDockWidget*>("probe")->raise();
    });
    connect(m_training, &TrainingController::stateChanged, this,
            [this] { m_probe->setTrainingActive(m_training->isActive()); });
    connect(m_runsPanel, &RunsPanel::probeWeightsRequested, this,
            [this](const QString& path, const QString& label) {
                m_probe->useCheckpoint(path, label);
                findChild<QDockWidget*>("probe")->raise();
            });
}

namespace {

// The check of one layer's parameters, as text for a message box.
QString gradientReport(const nc::graph::Graph& graph, nc::graph::NodeId id,
                       std::shared_ptr<const engine::Dataset> data, engine::SnapshotPtr weights,
                       std::uint64_t seed, const QString& label) {
    const nc::graph::Node* node = graph.node(id);
    if (!node)
        return QObject::tr("The layer is gone.");
    const QString name = QString::fromStdString(node->name);
    auto model = engine::compileWithWeights(graph, weights, seed, label.toStdString());
    if (!model)
        return QString::fromStdString(model.message());
    engine::Model& m = model.value();
    const engine::PlanStep* step = m.stepOf(id);
    std::vector<std::string> names;
    for (int p : step ? step->params : std::vector<int>{})
        if (m.params().at(p).trainable)
            names.push_back(m.params().at(p).name);
    if (names.empty())
        return QObject::tr("%1 has no weights to check.").arg(name);
    constexpr std::int64_t kBatch = 8;
    engine::Tensor x, y;
    if (data && data->size() >= kBatch && data->sampleDims() == engine::inputDims(m)) {
        const std::vector<std::int64_t> first{0, 1, 2, 3, 4, 5, 6, 7};
        data->gather(first.data(), kBatch, x, y);
    } else {
        engine::Dims dims{kBatch};
        for (auto d : engine::inputDims(m))
            dims.push_back(d);
        x = engine::Tensor(dims);
        engine::SplitMix random(7); // no data yet: uniform noise in [0, 1)
        for (std::int64_t i = 0; i < x.size(); ++i)
            x[i] = float(random.uniform());
        y = engine::zeroTargets(m, kBatch);
    }
    engine::GradientCheckOptions options;
    options.input = false;
    options.epsilon = 1e-3f; // small, so that few ReLUs cross their kink; float32 still resolves it
    auto check = engine::checkGradients(m, x, y, engine::Mode::Train, names, options);
    if (!check)
        return QString::fromStdString(check.message());
    QString text = QObject::tr("%1, backward against finite differences (%2, 8 samples, train "
                               "mode, eps 0.001):")
                       .arg(name, label);
    // An element whose nudge moves a ReLU or a max pool across its kink cannot agree; a
    // tenth of them (at least one) may, before the parameter counts as disagreeing.
    bool agree = true;
    for (const engine::TensorCheck& t : check.value().tensors) {
        agree = agree && t.agreeing >= t.checked - std::max(1, t.checked / 10);
        text += QObject::tr("\n%1: %2 of %3 elements agree within 1e-2; largest relative error "
                            "%4\n    %5")
                    .arg(QString::fromStdString(t.name))
                    .arg(t.agreeing)
                    .arg(t.checked)
                    .arg(t.worstError, 0, 'g', 3)
                    .arg(QString::fromStdString(t.worstAt));
    }
    text += agree ? QObject::tr("\nThey agree (an outlier is a ReLU or max pool nudged across its "
                                "kink).")
                  : QObject::tr("\nThey disagree: backward looks wrong for the parameter named "
                                "above.");
    return text;
}

} // namespace

void MainWindow::checkGradients(nc::graph::NodeId id) {
    const ProbePanel::WeightsChoice choice = m_probe->currentWeights();
    showMessage(tr("Checking gradients..."));
    QPointer<MainWindow> self(this);
    backgroundPool().start(
        [self, id, graph = m_document->graph(), data = m_probe->inputs()->dataset(), choice] {
            engine::ThreadScope oneThread(1);
            const QString report =
                gradientReport(graph, id, data, choice.weights, choice.seed, choice.label);
            QMetaObject::invokeMethod(
                qApp,
                [self, report] {
                    if (!self)
                        return;
                    self->showMessage(report.section('\n', -1));
                    emit self->gradientCheckFinished(report);
                    if (!self->isVisible() || self->testAttribute(Qt::WA_DontShowOnScreen))
                        return;
                    auto* box = new QMessageBox(QMessageBox::Information, tr("Gradient Check"),
                                                report, QMessageBox::Ok, self);
                    box->setAttribute(Qt::WA_DeleteOnClose);
                    box->open();
                },
                Qt::QueuedConnection);
        });
}

void MainWindow::evaluateWeights(engine::SnapshotPtr weights, std::uint64_t seed,
                                 const QString& label, bool append) {
    m_classifier->evaluate(weights, seed, label, append);
    m_reconstructions->refresh(weights, seed, label);
    m_health->refresh(weights, seed, label);
}

namespace {

// The file's weights when its tensors fit the graph, else what is wrong with them.
struct CheckedWeights {
    engine::SnapshotPtr weights;
    QString problem;
};

CheckedWeights readWeightsFor(const nc::graph::Graph& graph, const QString& path) {
    auto checkpoint = engine::readCheckpoint(path.toStdString());
    if (!checkpoint)
        return {nullptr, QString::fromStdString(checkpoint.message())};
    auto model = engine::Model::compile(graph);
    if (!model)
        return {nullptr, QObject::tr("The graph cannot run yet, so no weights fit it: %1")
                             .arg(QString::fromStdString(model.message()))};
    if (nc::core::Status s = engine::applyWeights(checkpoint.value(), model.value()); !s)
        return {nullptr, QString::fromStdString(s.message())};
    return {engine::checkpointWeights(checkpoint.value()), {}};
}

} // namespace

void MainWindow::loadWeights(const QString& path) {
    showMessage(tr("Reading %1...").arg(path));
    QPointer<MainWindow> self(this);
    backgroundPool().start([self, path, graph = m_document->graph()] {
        CheckedWeights checked = readWeightsFor(graph, path);
        QMetaObject::invokeMethod(
            qApp,
            [self, path, checked] {
                if (!self)
                    return;
                const QString& problem = checked.problem;
                emit self->weightsLoaded(path, problem);
                if (!problem.isEmpty()) {
                    self->showMessage(tr("Weights not loaded: %1").arg(problem));
                    if (!self->isVisible() || self->testAttribute(Qt::WA_DontShowOnScreen))
                        return;
                    auto* box = new QMessageBox(
                        QMessageBox::Warning, tr("Load Weights"),
                        tr("These weights do not fit the graph.\n\n%1").arg(problem),
                        QMessageBox::Ok, self);
                    box->setAttribute(Qt::WA_DeleteOnClose);
                    box->open();
                    return;
                }
                const QString name = QFileInfo(path).fileName();
                self->m_loadedWeights->set(checked.weights, name);
                self->findChild<QDockWidget*>("probe")->raise();
                self->showMessage(tr("Probing with the weights in %1").arg(name));
            },
            Qt::QueuedConnection);
    });
}

} // namespace nc::ui
