#pragma once
// The Classifier dock: how the network does on the validation set, per class. A confusion
// matrix (engine/vis, the same picture as `netcanvas-cli visualize confusion`) with a slider
// across the epochs of the run being watched, per-class precision and recall, and a gallery
// of the misclassified samples, most confident first; clicking one probes it.
// Evaluations run off the GUI thread, once per weights change (each epoch while training).

#include "engine/probe/classifiereval.h"
#include "engine/weightsnapshot.h"

#include <QWidget>

#include <memory>

class QLabel;
class QListWidget;
class QSlider;
class QTableWidget;

namespace nc::ui {

class GraphDocument;
class PictureView;

class ClassifierView : public QWidget {
    Q_OBJECT

public:
    explicit ClassifierView(GraphDocument* document, QWidget* parent = nullptr);

    // The graph's whole data set; the validation part is its tail (the training split).
    void setData(std::shared_ptr<const engine::Dataset> dataset);
    // Evaluates `weights` (null: initial for `seed`); `label` names the entry ("epoch 3").
    // `append` keeps the earlier entries (a run's epochs), else they are replaced.
    void evaluate(engine::SnapshotPtr weights, std::uint64_t seed, const QString& label,
                  bool append);
    int entries() const { return int(m_history.size()); }
    void showEntry(int index);
    const engine::ClassifierReport* shown() const;
    QImage picture() const;
    QString statusText() const;
    int evaluationsDone() const { return m_done; }

signals:
    // A misclassified sample was clicked: its index in the whole data set.
    void sampleChosen(int index);

private:
    // A report with the data set it was made on: the set may be replaced (another graph,
    // other data) while older reports stay on the slider, and their samples are its rows.
    struct Entry {
        QString label;
        std::shared_ptr<const engine::ClassifierReport> report;
        std::shared_ptr<const engine::Dataset> data;
        std::int64_t validationStart = 0; // the first validation row of `data`
    };
    void present(int index);

    GraphDocument* m_document;
    QSlider* m_slider;
    QLabel* m_entryLabel;
    PictureView* m_matrix;
    QTableWidget* m_perClass;
    QListWidget* m_gallery;
    QLabel* m_status;
    std::shared_ptr<const engine::Dataset> m_data;
    std::vector<Entry> m_history;
    std::int64_t m_validationStart = 0; // of the entry shown
    quint64 m_generation = 0;
    int m_done = 0;
};

} // namespace nc::ui
