#include "trainingsettingscommand.h"

#include "commandids.h"

#include "ui/graphdocument.h"

namespace nc::ui {

SetTrainingSettingsCommand::SetTrainingSettingsCommand(GraphDocument* document,
                                                       nc::graph::TrainingSettings settings,
                                                       const QString& field)
    : m_document(document), m_old(document->graph().training()), m_new(std::move(settings)),
      m_field(field) {
    setText(QObject::tr("Set %1").arg(field));
}

void SetTrainingSettingsCommand::redo() {
    m_document->mutableGraph().setTraining(m_new);
}

void SetTrainingSettingsCommand::undo() {
    m_document->mutableGraph().setTraining(m_old);
}

int SetTrainingSettingsCommand::id() const {
    return kSetTrainingId;
}

bool SetTrainingSettingsCommand::mergeWith(const QUndoCommand* other) {
    auto* next = static_cast<const SetTrainingSettingsCommand*>(other);
    if (next->m_field != m_field)
        return false;
    m_new = next->m_new;
    return true;
}

} // namespace nc::ui
