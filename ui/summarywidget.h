#pragma once
// The "Network summary" dock: per layer its output, parameters, multiply-adds and activation
// values; totals; the training memory at a batch size the user can change; warnings about the
// design (clicking one, or a row, selects its layer); Copy as Markdown or CSV. It follows the
// document's inference, and only refreshes while it is visible.

#include "graph_model/ids.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QSpinBox;
class QTableWidget;

namespace nc::ui {

class GraphDocument;

class SummaryWidget : public QWidget {
    Q_OBJECT

public:
    explicit SummaryWidget(GraphDocument* document, QWidget* parent = nullptr);
    void refresh();
    QString markdown() const;
    QString csv() const;
    QTableWidget* table() const { return m_table; }
    QListWidget* warnings() const { return m_warnings; }

signals:
    void nodeActivated(nc::graph::NodeId id);

protected:
    void showEvent(QShowEvent* event) override;

private:
    GraphDocument* m_document;
    QTableWidget* m_table;
    QLabel* m_totals;
    QLabel* m_memory;
    QSpinBox* m_batch;
    QListWidget* m_warnings;
    bool m_stale = true;
    bool m_batchChosen = false;
};

} // namespace nc::ui
