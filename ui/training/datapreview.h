#pragma once
// A preview of the training data: the first samples as thumbnails with their labels, the
// sample count, shape and class count, and a warning when the data does not fit the graph's
// Input (or cannot be read at all). The data is read off the GUI thread; a newer request
// replaces an older one still loading.

#include "graph_model/graph.h"

#include <QWidget>

class QGridLayout;
class QLabel;

namespace nc::ui {

class DataPreview : public QWidget {
    Q_OBJECT

public:
    explicit DataPreview(QWidget* parent = nullptr);
    // Loads `spec` for the Input of `graph` (a copy is taken).
    void preview(const QString& spec, const nc::graph::Graph& graph);
    bool isLoading() const { return m_loading; }
    QString summary() const; // what the summary line says
    QString warning() const; // empty when the data fits
    int thumbnails() const { return m_shown; }

signals:
    void loaded(); // the preview shows the latest request's result

private:
    struct Result;
    void present(const Result& result);

    QLabel* m_summary;
    QLabel* m_warning;
    QGridLayout* m_grid;
    QWidget* m_gridHost;
    quint64 m_generation = 0;
    bool m_loading = false;
    int m_shown = 0;
};

} // namespace nc::ui
