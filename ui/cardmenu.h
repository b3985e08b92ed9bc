#pragma once
// The context menus of the canvas: on a card (rename, duplicate, delete, disconnect inputs,
// insert a layer after it, bypass it, check its gradients) and on empty canvas (add a layer, paste,
// lay out, fit). The window supplies what only it can do (rename in place, duplicate, quick-add).

#include "graph_model/ids.h"

#include <QPoint>
#include <QPointF>
#include <functional>

class QMenu;
class QWidget;

namespace nc::ui {

class GraphDocument;

struct CardMenuHooks {
    std::function<void(nc::graph::NodeId)> rename;
    std::function<void()> duplicateSelection;
    std::function<void()> deleteSelection;
    std::function<void(nc::graph::NodeId)> insertAfter; // opens quick-add
    std::function<void(const QString&)> message;
    std::function<void(nc::graph::NodeId)> checkGradients; // backward vs finite differences
};

// A menu for the card `id`, deleted when closed.
QMenu* createCardMenu(QWidget* parent, GraphDocument* document, nc::graph::NodeId id,
                      const CardMenuHooks& hooks);

} // namespace nc::ui
