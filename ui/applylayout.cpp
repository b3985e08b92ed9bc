#include "applylayout.h"

#include "autolayout.h"
#include "canvasstyle.h"
#include "graphdocument.h"
#include "graphscene.h"
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
    auto laidOut = graphvizLayout(graph, direction, card, aspect);
    QString problem;
    std::map<NodeId, Position> positions;
    if (laidOut) {
        positions = laidOut.value().positions;
    } else {
        problem = QCoreApplication::translate("AutoLayout", "%1; used the built-in layout instead")
                      .arg(QString::fromStdString(laidOut.message()));
        positions = layeredLayout(graph);
    }
    document->undoStack()->push(new MoveNodesCommand(
        document, positions, 0, QCoreApplication::translate("AutoLayout", "Auto layout")));
    if (laidOut)
        for (const auto& [edge, route] : laidOut.value().routes)
            scene->setEdgeRoute(edge, route);
    return problem;
}

} // namespace nc::ui
