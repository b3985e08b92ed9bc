#include "nodeeditcommands.h"
#include "replay.h"

#include "commandids.h"

#include "../graphdocument.h"

namespace nc::ui {

using namespace nc::graph;

namespace {

QString nodeName(const GraphDocument* document, NodeId node) {
    const Node* n = document->graph().node(node);
    return n ? QString::fromStdString(n->name) : QString::number(node);
}

} // namespace

// "Set kernel size of conv1": the parameter as people say it, and the layer it belongs to.
SetParamCommand::SetParamCommand(GraphDocument* document, NodeId node, std::string name,
                                 ParamValue value, bool mergeable)
    : QUndoCommand(QObject::tr("Set %1 of %2")
                       .arg(QString::fromStdString(name).replace('_', ' '),
                            nodeName(document, node))),
      m_document(document),
      m_node(node), m_name(std::move(name)),
      m_old(*document->graph().node(node)->params.find(m_name)), m_new(std::move(value)),
      m_mergeable(mergeable) {}

void SetParamCommand::redo() {
    replayed(m_document->mutableGraph().setParam(m_node, m_name, m_new));
}

void SetParamCommand::undo() {
    replayed(m_document->mutableGraph().setParam(m_node, m_name, m_old));
}

int SetParamCommand::id() const {
    return m_mergeable ? kSetParamId : -1;
}

bool SetParamCommand::mergeWith(const QUndoCommand* other) {
    auto* next = static_cast<const SetParamCommand*>(other);
    if (!next->m_mergeable || next->m_node != m_node || next->m_name != m_name)
        return false;
    m_new = next->m_new;
    return true;
}

RenameCommand::RenameCommand(GraphDocument* document, NodeId node, std::string name)
    : QUndoCommand(QObject::tr("Rename %1 to %2")
                       .arg(nodeName(document, node), QString::fromStdString(name))),
      m_document(document), m_node(node), m_old(document->graph().node(node)->name),
      m_new(std::move(name)) {}

void RenameCommand::redo() {
    replayed(m_document->mutableGraph().rename(m_node, m_new));
}

void RenameCommand::undo() {
    replayed(m_document->mutableGraph().rename(m_node, m_old));
}

} // namespace nc::ui
