#pragma once
// The Training dock: the data (kind, path, a preview), the graph's training settings, the
// device, where a run starts from (fresh weights, or the window's loaded weights: fine-tuning
// an imported model), and the controls: Start (F5), Pause/Resume (F6), Stop (Shift+F5) and
// Resume from checkpoint. A progress bar shows epoch, step, images/s and the time left;
// statusText() carries the same line for the window's status bar.

#include "trainingcontroller.h"

#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace nc::ui {

class DataPreview;
class DataSourcePicker;
class GraphDocument;
class LoadedWeights;
class RunLibrary;
class TrainingSettingsForm;

class TrainingDock : public QWidget {
    Q_OBJECT

public:
    // `loaded`: the window's loaded weights, which a run may start from.
    TrainingDock(GraphDocument* document, TrainingController* controller, RunLibrary* runs,
                 LoadedWeights* loaded, QWidget* parent = nullptr);

    QAction* startAction() const { return m_start; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stopAction() const { return m_stop; }
    QAction* resumeCheckpointAction() const { return m_resumeCheckpoint; }
    DataPreview* preview() const { return m_preview; }
    QString progressText() const;

    // Starts training the document's graph with its settings; false (and a message) when it
    // cannot start. `dataOverride` and `epochsOverride` (> 0) replace the settings for this run.
    bool startTraining(const QString& dataOverride = {}, int epochsOverride = 0);
    // Resumes the run a checkpoint belongs to.
    bool resumeFrom(const QString& checkpointPath);
    QString device() const; // "cpu", "cuda:0"
    // Whether Start fine-tunes the loaded weights (with a fresh optimizer) instead of
    // starting from the seed's; only possible while weights are loaded.
    bool startsFromLoadedWeights() const;
    void setStartFromLoadedWeights(bool fromLoaded);

signals:
    void statusText(const QString& text);
    void message(const QString& text, bool error);

private:
    void fillDevices();
    // Shows the settings' data spec and previews it; `always`: even when the spec is unchanged.
    void refreshData(bool always);
    void onStateChanged(TrainingController::State state);
    // Why GPUs are unavailable (or nothing), in place of a fallback note.
    void showDevicesNote();
    void onMetrics(const QString& folder, const MetricBatchPtr& batch);
    void refreshStartFrom();

    GraphDocument* m_document;
    TrainingController* m_controller;
    RunLibrary* m_runs;
    LoadedWeights* m_loaded;
    DataSourcePicker* m_data;
    DataPreview* m_preview;
    TrainingSettingsForm* m_settings;
    QComboBox* m_device;
    QLabel* m_deviceNote;
    QCheckBox* m_fromLoaded;
    QString m_devicesNote; // why GPUs are unavailable, shown when no fallback note is
    bool m_fallbackShown = false;
    QProgressBar* m_progress;
    QLabel* m_progressLabel;
    QAction* m_start;
    QAction* m_pause;
    QAction* m_stop;
    QAction* m_resumeCheckpoint;
    int m_epochs = 0; // of the current run
    QString m_previewedSpec;
};

} // namespace nc::ui
