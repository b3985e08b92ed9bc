#pragma once
// Editing one node: a parameter, the name. Consecutive edits of the same parameter from a
// spin box merge into one undo step.

#include "graph_model/node.h"

#include <QUndoCommand>

namespace nc::ui {

class GraphDocument;

class SetParamCommand : public QUndoCommand {
public:
    // The caller has checked the value with Graph::canSetParam. `mergeable`: later edits of
    // the same parameter fold into this one (spin boxes, sliders).
    SetParamCommand(GraphDocument* document, nc::graph::NodeId node, std::string name,
                    nc::graph::ParamValue value, bool mergeable);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphDocument* m_document;
    nc::graph::NodeId m_node;
    std::string m_name;
    nc::graph::ParamValue m_old;
    nc::graph::ParamValue m_new;
    bool m_mergeable;
};

class RenameCommand : public QUndoCommand {
public:
    RenameCommand(GraphDocument* document, nc::graph::NodeId node, std::string name);
    void redo() override;
    void undo() override;

private:
    GraphDocument* m_document;
    nc::graph::NodeId m_node;
    std::string m_old;
    std::string m_new;
};

} // namespace nc::ui
