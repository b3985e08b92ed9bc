#pragma once
// The problems list: every diagnostic of the document; clicking one selects its layer.

#include "graph_model/ids.h"

#include <QListWidget>

namespace nc::ui {

class GraphDocument;

class ProblemsWidget : public QListWidget {
    Q_OBJECT

public:
    explicit ProblemsWidget(GraphDocument* document, QWidget* parent = nullptr);
    void refresh();

signals:
    void nodeActivated(nc::graph::NodeId id);

private:
    GraphDocument* m_document;
};

} // namespace nc::ui
