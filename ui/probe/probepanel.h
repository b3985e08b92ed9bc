#pragma once
// The Probe dock: the tensor on one edge for one input, before, during or after training.
// Pick the edge on the canvas, the input below (a data sample, an image file or a drawing)
// and the weights (initial, the live run's latest snapshot, or a run's checkpoint). Maps show
// as a grid with one map enlarged, vectors as bars or a strip with the top entries, plus
// statistics and a histogram; a train/eval switch shows what dropout and batch norm do.
// Export writes the tensor as .npy or the picture as PNG. The work runs off the GUI thread
// (ProbeRunner); during training it refreshes from the live weights about twelve times a
// second, or every N steps as the user sets it.

#include "proberunner.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTimer;

namespace nc::ui {

class FeatureMapView;
class GraphDocument;
class LiveWeights;
class LoadedWeights;
class ProbeInputPanel;
class TensorHistogram;
class SequenceView;
class VectorView;

class ProbePanel : public QWidget {
    Q_OBJECT

public:
    enum class Weights { Initial, Live, Checkpoint };

    // `loaded` holds the window's loaded weights (the "Checkpoint" choice); the panel only
    // shows and probes with them.
    ProbePanel(GraphDocument* document, LiveWeights* live, LoadedWeights* loaded,
               QWidget* parent = nullptr);

    void setEdge(engine::EdgeRef edge);
    engine::EdgeRef edge() const { return m_edge; }
    bool hasEdge() const { return m_edge.node != nc::graph::kNoNode; }
    // Reads a checkpoint off the GUI thread and probes with it ("after training").
    void useCheckpoint(const QString& path, const QString& label);
    // Probes with weights already read (File > Load Weights checks them first); they become
    // the window's loaded weights.
    void useCheckpointWeights(engine::SnapshotPtr weights, const QString& label);
    void setWeights(Weights weights);
    Weights weights() const;
    struct WeightsChoice {
        engine::SnapshotPtr weights; // null: initial weights for `seed`
        std::uint64_t seed = 1;
        QString label;
    };
    WeightsChoice currentWeights() const;
    void setTrainMode(bool train);
    // How often live weights refresh the probe: every N training steps, 0 for about 12 Hz.
    void setLiveEverySteps(int steps);
    // Whether a live run is training (Live weights then refresh by themselves).
    void setTrainingActive(bool active);
    // Pinned wires are probed together with the one on show, in one run of their ancestors.
    void pinEdge(engine::EdgeRef edge);
    void unpinEdge(engine::EdgeRef edge);
    const std::vector<engine::EdgeRef>& pinned() const { return m_pinned; }
    static constexpr int kMaxPinned = 6;

    ProbeInputPanel* inputs() const { return m_inputs; }
    FeatureMapView* maps() const { return m_maps; }
    VectorView* vectors() const { return m_vectors; }
    SequenceView* sequences() const { return m_sequences; }
    TensorHistogram* histogram() const { return m_histogram; }
    ProbeRunner* runner() const { return m_runner; }
    ProbeResultPtr lastResult() const { return m_result; }
    QString statusText() const;
    // The picture on show (the map grid, the sequence heatmap or the vector strip).
    QImage picture() const;
    int probesDone() const { return m_done; }

    bool exportNpy(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path, QString* error = nullptr) const;

public slots:
    void reprobe();

signals:
    void probed();
    void weightsChanged();

private:
    QWidget* makeHeader();
    void show(const ProbeResultPtr& result);
    void refreshLiveWeights();
    void showPinned(const ProbeResult& result);
    void updateWeightsChoices();
    void onLoadedWeightsChanged();

    GraphDocument* m_document;
    LiveWeights* m_live;
    LoadedWeights* m_loaded;
    ProbeRunner* m_runner;
    engine::EdgeRef m_edge;
    QLabel* m_edgeLabel;
    QComboBox* m_weights;
    QSpinBox* m_everySteps;
    QCheckBox* m_train;
    QPushButton* m_export;
    ProbeInputPanel* m_inputs;
    QStackedWidget* m_views;
    FeatureMapView* m_maps;
    VectorView* m_vectors;
    SequenceView* m_sequences;
    TensorHistogram* m_histogram;
    QLabel* m_stats;
    QListWidget* m_pinnedList;
    QTimer* m_liveTimer;
    std::vector<engine::EdgeRef> m_pinned;
    engine::SnapshotPtr m_liveShown; // the live snapshot the last probe used
    ProbeResultPtr m_result;
    bool m_trainingActive = false;
    int m_done = 0;
};

} // namespace nc::ui
