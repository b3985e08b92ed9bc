#include "applylayout.h"

#include "canvasstyle.h"
#include "graphdocument.h"
#include "graphscene.h"
#include "graphvizlayout.h"
#include "layeredlayout.h"
#include "nodeitem.h"

#include "commands/movenodescommand.h"

#include <QCoreApplication>
#include <QUndoStack>

namespace nc::ui {

using namespace nc::graph;

QString applyAutoLayout(GraphDocument* document, GraphScene* scene, LayoutDirection direction,
                        double aspect) {
    auto card = [scene](NodeId id) {
        const NodeItem* item = scene->nodeItem(id);
        CardGeometry g;
        g.size = item ? item->cardSize() : QSizeF(CanvasStyle::kNodeWidth, 120);
        g.outputPort = [item](PortIndex p) { return item ? item->portOffset({true, p}) : QPointF(); };
        g.inputPort = [item](PortIndex p) { return item ? item->portOffset({false, p}) : QPointF(); };
        return g;
    };
    const Graph& graph = document->graph();
    if (graph.nodeCount() == 0)
        return {};
    QString note;
    GraphLayout layout;
    if (graph.nodeCount() > kGraphvizMostLayers) {
        note = QCoreApplication::translate("AutoLayout",
                                           "%1 layers: laid out by the built-in layering "
                                           "(Graphviz would take minutes at this size)")
                   .arg(graph.nodeCount());
        layout = layeredLayout(graph, direction, card, aspect);
    } else if (auto laidOut = graphvizLayout(graph, direction, card, aspect)) {
        layout = std::move(laidOut).value();
    } else {
        note = QCoreApplication::translate("AutoLayout", "%1; used the built-in layout instead")
                   .arg(QString::fromStdString(laidOut.message()));
        layout = layeredLayout(graph, direction, card, aspect);
    }
    document->undoStack()->push(new MoveNodesCommand(
        document, layout.positions, 0, QCoreApplication::translate("AutoLayout", "Auto layout")));
    for (const auto& [edge, route] : layout.routes)
        scene->setEdgeRoute(edge, route);
    return note;
}

} // namespace nc::ui
