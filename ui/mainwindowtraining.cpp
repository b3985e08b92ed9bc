// MainWindow, part three: training in the window. The Training dock (data, settings, device,
// controls), the Charts, Runs, Comparison and Histograms docks, the Train menu, the status bar's
// progress, the structure lock while a run trains, and what a run's end shows.

#include "mainwindow.h"

#include "graphdocument.h"
#include "loadedweights.h"
#include "graphscene.h"
#include "graphview.h"

#include "training/chartspanel.h"
#include "training/comparisontable.h"
#include "training/histogramview.h"
#include "training/runlibrary.h"
#include "training/runspanel.h"
#include "training/trainingcontroller.h"
#include "training/trainingdock.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QStatusBar>

namespace nc::ui {

void MainWindow::createTrainingDocks() {
    m_training = new TrainingController(this);
    // Weights belong to the graph they were made for: opening another forgets the loaded ones
    // and a finished run's last live ones. Connected before any dock that shows them, so that
    // each sees them gone when it hears of the new graph.
    connect(m_document, &GraphDocument::graphReset, this, [this] {
        m_loadedWeights->clear();
        if (!m_training->isActive())
            m_training->liveWeights().clear();
    });
    m_runs = new RunLibrary(this);
    m_trainingDock = new TrainingDock(m_document, m_training, m_runs, m_loadedWeights);
    m_charts = new ChartsPanel(m_runs);
    m_runsPanel = new RunsPanel(m_runs);
    m_comparison = new ComparisonTable(m_runs);
    m_trainingLabel = new QLabel;
    statusBar()->insertPermanentWidget(0, m_trainingLabel);

    auto dock = [this](const QString& title, const QString& name, QWidget* widget,
                       Qt::DockWidgetArea area) { return addDock(title, name, widget, area); };
    auto* training = dock(tr("Training"), "training", m_trainingDock, Qt::RightDockWidgetArea);
    tabifyDockWidget(findChild<QDockWidget*>("inspector"), training);
    findChild<QDockWidget*>("inspector")->raise();
    auto* charts = dock(tr("Charts"), "charts", m_charts, Qt::BottomDockWidgetArea);
    auto* runs = dock(tr("Runs"), "runs", m_runsPanel, Qt::BottomDockWidgetArea);
    auto* comparison = dock(tr("Comparison"), "comparison", m_comparison, Qt::BottomDockWidgetArea);
    auto* histograms =
        dock(tr("Histograms"), "histograms", new HistogramView(m_runs), Qt::BottomDockWidgetArea);
    splitDockWidget(findChild<QDockWidget*>("problems"), charts, Qt::Horizontal);
    tabifyDockWidget(charts, runs);
    tabifyDockWidget(runs, comparison);
    tabifyDockWidget(comparison, histograms);
    charts->raise();

    connect(m_training, &TrainingController::runStarted, m_runs, &RunLibrary::beginLive);
    connect(m_training, &TrainingController::metricsArrived, m_runs, &RunLibrary::append);
    connect(m_training, &TrainingController::stateChanged, this,
            &MainWindow::onTrainingStateChanged);
    connect(m_training, &TrainingController::runFinished, this, &MainWindow::onTrainingFinished);
    connect(m_trainingDock, &TrainingDock::statusText, m_trainingLabel, &QLabel::setText);
    connect(m_trainingDock, &TrainingDock::message, this, [this](const QString& text, bool error) {
        showMessage(text);
        if (error)
            showTrainingWarning(text);
    });
    connect(m_document, &GraphDocument::editRefused, this, &MainWindow::showMessage);
    connect(m_runsPanel, &RunsPanel::resumeRequested, this, [this](const QString& checkpoint) {
        findChild<QDockWidget*>("training")->raise();
        m_trainingDock->resumeFrom(checkpoint);
    });
    connect(m_runsPanel, &RunsPanel::openGraphRequested, this,
            [this](const QString& path) { openFile(path); });
    m_runs->rescan();
}

void MainWindow::createTrainMenu() {
    QMenu* train = menuBar()->addMenu(tr("&Train"));
    train->addAction(m_trainingDock->startAction());
    train->addAction(m_trainingDock->pauseAction());
    train->addAction(m_trainingDock->stopAction());
    train->addSeparator();
    train->addAction(m_trainingDock->resumeCheckpointAction());
    train->addSeparator();
    train->addAction(tr("Runs &Folder..."), this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Where runs are kept"), m_runs->root());
        if (!folder.isEmpty())
            m_runs->setRoot(folder);
    });
    train->addAction(tr("&Reload Runs"), m_runs, &RunLibrary::rescan);
}

void MainWindow::onTrainingStateChanged() {
    const bool active = m_training->isActive();
    m_document->setStructureLock(
        active ? tr("A training run is using this graph: layers, wires and parameters cannot "
                    "change until it stops (Train ▸ Stop). Moving and renaming are fine.")
               : QString());
    if (auto* history = findChild<QDockWidget*>("history"))
        history->widget()->setEnabled(!active);
}

void MainWindow::onTrainingFinished(const TrainingResult& result) {
    if (!result.folder.isEmpty())
        m_runs->endLive(result.folder);
    m_trainingLabel->clear();
    switch (result.status) {
    case engine::RunStatus::Completed:
        showMessage(tr("Training finished: %1").arg(QDir::toNativeSeparators(result.folder)));
        return;
    case engine::RunStatus::Stopped:
        showMessage(result.message);
        return;
    default:
        break;
    }
    // A failure: name it, select the node it is about, and keep everything else as it was.
    if (!result.node.isEmpty())
        if (const nc::graph::Node* node = m_document->graph().findByName(result.node.toStdString()))
            selectAndShow(node->id);
    const QString text = tr("Training stopped with an error:\n%1").arg(result.message);
    showMessage(text.section('\n', 1));
    showTrainingWarning(text);
}

void MainWindow::showTrainingWarning(const QString& text) {
    if (!isVisible() || testAttribute(Qt::WA_DontShowOnScreen))
        return;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Training"), text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal, and no nested event loop: the run's signals keep flowing
}

bool MainWindow::confirmStopTraining() {
    if (!m_training || !m_training->isActive())
        return true;
    if (isVisible() && !testAttribute(Qt::WA_DontShowOnScreen)) {
        const auto answer = QMessageBox::question(
            this, tr("Training"),
            tr("A training run is still going. Stop it and close?\nThe last finished epoch's "
               "checkpoint stays, and the weights it stops with are saved too."),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return false;
    }
    showMessage(tr("Stopping the training..."));
    m_training->stopAndWait(-1);
    return true;
}

} // namespace nc::ui
