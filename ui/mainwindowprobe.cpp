// MainWindow, part four: seeing inside the network. The Probe dock shows the tensor on the
// wire (or card) selected on the canvas; the Filters dock draws a layer's weights. Both take
// their weights from the same choice: initial, the live run, or a run's checkpoint.

#include "mainwindow.h"

#include "graphdocument.h"
#include "graphscene.h"

#include "probe/filtersview.h"
#include "probe/probepanel.h"
#include "training/runspanel.h"
#include "training/trainingcontroller.h"

#include <QDockWidget>

namespace nc::ui {

void MainWindow::createProbeDocks() {
    m_probe = new ProbePanel(m_document, &m_training->liveWeights());
    m_filters = new FiltersView(m_document);
    auto* probe = addDock(tr("Probe"), "probe", m_probe, Qt::RightDockWidgetArea);
    tabifyDockWidget(findChild<QDockWidget*>("training"), probe);
    auto* filters = addDock(tr("Filters"), "filters", m_filters, Qt::BottomDockWidgetArea);
    tabifyDockWidget(findChild<QDockWidget*>("histograms"), filters);
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
    auto followWeights = [this] {
        const ProbePanel::WeightsChoice choice = m_probe->currentWeights();
        m_filters->setWeights(choice.weights, choice.seed, choice.label);
    };
    connect(m_probe, &ProbePanel::weightsChanged, this, followWeights);
    connect(m_training, &TrainingController::stateChanged, this,
            [this] { m_probe->setTrainingActive(m_training->isActive()); });
    connect(m_runsPanel, &RunsPanel::probeWeightsRequested, this,
            [this](const QString& path, const QString& label) {
                m_probe->useCheckpoint(path, label);
                findChild<QDockWidget*>("probe")->raise();
            });
}

} // namespace nc::ui
