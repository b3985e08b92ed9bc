#pragma once
// Edits on one card, from its context menu and from quick-add with a card selected: each is
// one undo step, or a refusal in words (an empty string when it went through).

#include "graph_model/graph.h"

#include <QString>

namespace nc::ui {

class GraphDocument;

// A new layer of `type` right after `after`: after -> new -> what `after` fed, placed in free
// space to its right. Returns the new id (kNoNode and `refusal` set when it cannot be added).
nc::graph::NodeId insertLayerAfter(GraphDocument* document, nc::graph::NodeId after,
                                   const QString& type, QString* refusal);
// Removes every wire into the layer.
QString disconnectInputs(GraphDocument* document, nc::graph::NodeId node);
// Removes a one-input layer and wires what fed it to what it fed.
QString bypassLayer(GraphDocument* document, nc::graph::NodeId node);
// A new loss is wired to the Input's target when there is exactly one Input.
void wireLossTarget(GraphDocument* document, nc::graph::NodeId loss);

// The layer types that can take a wire dropped from `node`'s port (an output: the new layer
// reads it; an input: the new layer feeds it) with shapes that fit, for quick-add's list.
QStringList compatibleLayers(const nc::graph::Graph& graph, nc::graph::NodeId node, bool output,
                             nc::graph::PortIndex port);
// Adds a layer near `position` wired to that port (one undo step); `refusal` says why the
// wire could not be made, if it could not.
nc::graph::NodeId addWiredLayer(GraphDocument* document, const QString& type,
                                nc::graph::Position position, nc::graph::NodeId node, bool output,
                                nc::graph::PortIndex port, QString* refusal);

} // namespace nc::ui
