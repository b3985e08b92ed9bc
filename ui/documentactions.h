#pragma once
// Edits as the user asks for them: each checks first, then pushes one undo command, or
// returns the reason it is refused (an empty string when it went through).

#include "graph_model/graph.h"

#include <QString>
#include <vector>

namespace nc::ui {

class GraphDocument;

// Connects out -> in; an input that is already fed is re-wired (one undo step).
QString connectPorts(GraphDocument* document, nc::graph::Edge edge);
QString setParameter(GraphDocument* document, nc::graph::NodeId node, const std::string& name,
                     const nc::graph::ParamValue& value, bool mergeable = false);
QString renameNode(GraphDocument* document, nc::graph::NodeId node, const QString& name);
nc::graph::NodeId addLayer(GraphDocument* document, const QString& type,
                           nc::graph::Position position);
void deleteItems(GraphDocument* document, const std::vector<nc::graph::NodeId>& nodes,
                 const std::vector<nc::graph::Edge>& edges);
// Pastes graph JSON (from the clipboard) shifted by `offset`; returns the new ids.
std::vector<nc::graph::NodeId> pasteNodes(GraphDocument* document, const std::string& text,
                                          nc::graph::Position offset, QString* error);

} // namespace nc::ui
