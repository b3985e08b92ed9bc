#pragma once
// The graph's training settings as a form: validation split, batch, epochs, optimizer,
// learning rate, momentum, weight decay, schedule, seed and CPU threads. Each edit is an undo
// command on the document (saved with the graph); undo, redo and opening another graph show
// up in the form at once. Locked (read-only) while a run trains.

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace nc::ui {

class GraphDocument;

class TrainingSettingsForm : public QWidget {
    Q_OBJECT

public:
    explicit TrainingSettingsForm(GraphDocument* document, QWidget* parent = nullptr);
    void setLocked(bool locked);
    // Shows the document's settings (or the defaults when it has none).
    void refresh();

private:
    template <typename Edit> void commit(const QString& field, Edit edit);

    GraphDocument* m_document;
    QDoubleSpinBox* m_valSplit;
    QSpinBox* m_batch;
    QSpinBox* m_epochs;
    QComboBox* m_optimizer;
    QDoubleSpinBox* m_lr;
    QDoubleSpinBox* m_momentum;
    QDoubleSpinBox* m_weightDecay;
    QDoubleSpinBox* m_clipGradNorm;
    QComboBox* m_schedule;
    QSpinBox* m_seed;
    QSpinBox* m_threads;
    bool m_refreshing = false;
    bool m_locked = false;
};

} // namespace nc::ui
