#pragma once
// The "Auto Layout" action: lays the document's graph out with Graphviz (graphvizlayout.h)
// as one undoable move, gives the edges their routes, and falls back to the built-in
// layered layout (autolayout.h) when Graphviz cannot run, saying so.

#include "graphvizlayout.h"

#include <QString>

namespace nc::ui {

class GraphDocument;
class GraphScene;

// `aspect`: the view's width / height. Returns a message for the status bar (empty when all
// went well).
QString applyAutoLayout(GraphDocument* document, GraphScene* scene, LayoutDirection direction,
                        double aspect);

} // namespace nc::ui
