#pragma once
// The "Network summary" dock: per layer its output, parameters, multiply-adds and activation
// values; totals; the training memory at a batch size the user can change; warnings about the
// design (clicking one, or a row, selects its layer); Copy as Markdown or CSV. It follows the
// document's inference within 100 ms (one refresh for a run of edits), and only refreshes
// while it is visible. "Time Layers" measures each
// layer's forward and backward time on the CPU (one thread, made-up inputs at that batch size)
// in the background; an edit or another batch size clears the times.

#include "engine/probe/layertiming.h"
#include "graph_model/ids.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace nc::ui {

class GraphDocument;
class SummaryTableModel;

class SummaryWidget : public QWidget {
    Q_OBJECT

public:
    explicit SummaryWidget(GraphDocument* document, QWidget* parent = nullptr);
    ~SummaryWidget() override;
    void refresh();
    QString markdown() const;
    QString csv() const;
    QTableView* table() const { return m_table; }
    QListWidget* warnings() const { return m_warnings; }
    QPushButton* timeLayersButton() const { return m_timeLayers; }
    QLabel* timingNote() const { return m_timingNote; }

signals:
    void nodeActivated(nc::graph::NodeId id);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void startTiming();
    void showTiming(const nc::core::Result<engine::LayerTiming>& timing, int batch);
    void dropTiming(); // stops a timing under way and clears the times shown

    GraphDocument* m_document;
    QTableView* m_table;
    SummaryTableModel* m_model;
    QTimer* m_refreshSoon;
    QLabel* m_totals;
    QLabel* m_memory;
    QSpinBox* m_batch;
    QListWidget* m_warnings;
    QPushButton* m_timeLayers;
    QLabel* m_timingNote;
    bool m_stale = true;
    bool m_batchChosen = false;
    std::optional<engine::LayerTiming> m_timing;
    quint64 m_timingGeneration = 0;
    std::shared_ptr<std::atomic<bool>> m_timingCancelled;
};

} // namespace nc::ui
