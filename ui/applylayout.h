#pragma once
// The "Auto Layout" action: lays the document's graph out as one undoable move and gives the
// edges their routes. Graphviz (graphvizlayout.h) lays out graphs of up to
// kGraphvizMostLayers layers; larger ones, and any when Graphviz cannot run, take the
// built-in layering (layeredlayout.h), and the returned note says so.

#include "foldedlayout.h"

#include <QString>

namespace nc::ui {

class GraphDocument;
class GraphScene;

// Graphviz takes about 0.1 s here; its time grows much faster than the graph beyond.
constexpr std::size_t kGraphvizMostLayers = 2000;

// `aspect`: the view's width / height. Returns a note for the status bar (empty when Graphviz
// laid the graph out).
QString applyAutoLayout(GraphDocument* document, GraphScene* scene, LayoutDirection direction,
                        double aspect);

} // namespace nc::ui
