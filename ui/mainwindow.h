#pragma once
// The editor window: canvas, palette, inspector and problems docks, menus with the standard
// shortcuts, files (New, Open, Open Example, recent files, Save, Save As), autosave with
// crash recovery, and a status bar with the total parameter count.

#include "graphvizlayout.h"
#include "recoverystore.h"

#include "engine/weightsnapshot.h"
#include "graph_model/ids.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QMenu;
class QTimer;

namespace nc::ui {

class GraphDocument;
class GraphScene;
class OrphanedRecovery;
class GraphView;
class InspectorWidget;
class PaletteWidget;
class ProblemsWidget;
class SummaryWidget;
class Minimap;
class QuickAddPopup;
class ChartsPanel;
class ComparisonTable;
class RunLibrary;
class RunsPanel;
class TrainingController;
class TrainingDock;
class ProbePanel;
class FiltersView;
class ClassifierView;
class ReconstructionView;
class SaliencyView;
class LayerHealthView;
class LoadedWeights;
struct TrainingResult;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // `recoveryDirectory`: where autosaves go (tests use a temporary folder).
    explicit MainWindow(const QString& recoveryDirectory = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    GraphDocument* document() const { return m_document; }
    GraphScene* scene() const { return m_scene; }
    GraphView* view() const { return m_view; }
    InspectorWidget* inspector() const { return m_inspector; }
    RecoveryStore& recovery() { return m_recovery; }
    TrainingController* training() const { return m_training; }
    TrainingDock* trainingDock() const { return m_trainingDock; }
    RunLibrary* runLibrary() const { return m_runs; }
    ChartsPanel* charts() const { return m_charts; }
    RunsPanel* runsPanel() const { return m_runsPanel; }
    ComparisonTable* comparison() const { return m_comparison; }
    ProbePanel* probe() const { return m_probe; }
    // The weights loaded for the graph (imported, File > Load Weights, a run's checkpoint).
    LoadedWeights* loadedWeights() const { return m_loadedWeights; }
    FiltersView* filters() const { return m_filters; }
    ClassifierView* classifier() const { return m_classifier; }
    ReconstructionView* reconstructions() const { return m_reconstructions; }
    SaliencyView* saliency() const { return m_saliency; }
    LayerHealthView* layerHealth() const { return m_health; }

    // Opens a graph file; a bad file is reported (in a dialog when `interactive`, and in
    // `error` when given) and the current document stays.
    bool openFile(const QString& path, bool interactive = true, QString* error = nullptr);
    void openExample(const QString& name);
    // Opens a graph recovered after a crash: unsaved, named after its original file (Save asks
    // where, starting from that name). It goes to this window's own recovery file at once, and
    // only then is the orphan deleted; when that write fails the orphan is kept (false).
    bool restore(Recovery recovered, OrphanedRecovery& orphan);
    bool saveTo(const QString& path);
    // Writes unsaved changes to this window's recovery file; a clean document has none.
    void autosaveNow();
    static QStringList exampleNames();
    // Lays the graph out with Graphviz in the chosen direction (an undoable move).
    void autoLayout();
    void setLayoutDirection(LayoutDirection direction); // remembered in the settings
    // Compares a layer's backward pass with finite differences on a small batch (8 samples
    // of the data, train mode, the Probe dock's weights), off the GUI thread; the report
    // (largest relative error per parameter) arrives through gradientCheckFinished.
    void checkGradients(nc::graph::NodeId id);
    // Reads a safetensors file (a checkpoint, or a PyTorch state dict with the graph's tensor
    // names) off the GUI thread and checks it against the graph; when it fits, the Probe dock
    // and its views use it. A missing tensor or a wrong shape is named in a message and
    // nothing changes. weightsLoaded reports either way (`problem` empty on success).
    void loadWeights(const QString& path);
    // Writes the graph with the Probe dock's weights (initial, live or loaded) as an ONNX
    // model, off the GUI thread; onnxExported reports (`problem` empty on success), and the
    // status bar lists what changed (training-only layers, the loss left out).
    void exportOnnx(const QString& path);
    // Reads an ONNX model off the GUI thread as a new, unsaved graph (laid out, its weights in
    // the Probe dock); the caller asks about unsaved changes first. A model that cannot be
    // imported is named in a message and the open graph stays. onnxImported reports.
    void importOnnx(const QString& path);

signals:
    void gradientCheckFinished(const QString& report);
    void weightsLoaded(const QString& path, const QString& problem);
    void onnxExported(const QString& path, const QString& problem);
    void onnxImported(const QString& path, const QString& problem);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createDocks();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* widget,
                         Qt::DockWidgetArea area);
    // mainwindowtraining.cpp: the Training, Charts, Runs and Comparison docks, the Train menu.
    void createTrainingDocks();
    void createTrainMenu();
    // mainwindowprobe.cpp: the Probe, Filters, Classifier and Reconstructions docks.
    void createProbeDocks();
    void evaluateWeights(engine::SnapshotPtr weights, std::uint64_t seed, const QString& label,
                         bool append);
    void onTrainingStateChanged();
    void onTrainingFinished(const TrainingResult& result);
    void showTrainingWarning(const QString& text);
    // Closing during a run: asks, then stops it and waits (false: the user chose to stay).
    bool confirmStopTraining();
    void updateTitle();
    void updateStatus();
    bool maybeSave();
    void save();
    void saveAs();
    void openDialog();
    void newDocument();
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void copySelection();
    void paste();
    void duplicate();
    void deleteSelection();
    struct QuickAddTarget {
        enum Kind { AtPoint, After, Wire } kind = AtPoint;
        QPointF at;
        nc::graph::NodeId node = nc::graph::kNoNode;
        bool output = false;
        nc::graph::PortIndex port = 0;
    };
    void openQuickAdd(QPoint global, QuickAddTarget target, const QStringList& allowed = {});
    QuickAddTarget quickAddHere(QPointF at) const;
    void addFromQuickAdd(const QString& type);
    void startRename(nc::graph::NodeId id);
    void selectAndShow(nc::graph::NodeId id);
    void showMessage(const QString& text);

    GraphDocument* m_document;
    GraphScene* m_scene;
    GraphView* m_view;
    QDialog* m_shortcutSheet = nullptr;
    SummaryWidget* m_summary = nullptr;
    Minimap* m_minimap = nullptr;
    LayoutDirection m_layoutDirection = LayoutDirection::LeftToRight;
    PaletteWidget* m_palette = nullptr;
    InspectorWidget* m_inspector = nullptr;
    ProblemsWidget* m_problems = nullptr;
    QuickAddPopup* m_quickAdd;
    QuickAddTarget m_quickAddTarget;
    QLabel* m_paramsLabel;
    QLabel* m_trainingLabel = nullptr;
    TrainingController* m_training = nullptr;
    TrainingDock* m_trainingDock = nullptr;
    RunLibrary* m_runs = nullptr;
    ChartsPanel* m_charts = nullptr;
    RunsPanel* m_runsPanel = nullptr;
    ComparisonTable* m_comparison = nullptr;
    ProbePanel* m_probe = nullptr;
    LoadedWeights* m_loadedWeights = nullptr;
    FiltersView* m_filters = nullptr;
    ClassifierView* m_classifier = nullptr;
    ReconstructionView* m_reconstructions = nullptr;
    SaliencyView* m_saliency = nullptr;
    LayerHealthView* m_health = nullptr;
    QLabel* m_zoomLabel;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QTimer* m_autosave;
    RecoveryStore m_recovery;
    QString m_recoveredFrom; // the original file of a restored graph, until the next reset
    int m_pasteCount = 0;
    bool m_dockSizesPending = false; // no saved layout: docks sized when first shown
};

} // namespace nc::ui
