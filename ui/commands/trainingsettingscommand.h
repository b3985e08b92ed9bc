#pragma once
// Editing the graph's training settings (the Training dock's form). Consecutive edits of the
// same field (a spin box's steps) merge into one undo step.

#include "graph_model/trainingsettings.h"

#include <QUndoCommand>

#include <optional>

namespace nc::ui {

class GraphDocument;

class SetTrainingSettingsCommand : public QUndoCommand {
public:
    // `field` names what changed ("learning rate"): the undo text, and what merges.
    SetTrainingSettingsCommand(GraphDocument* document, nc::graph::TrainingSettings settings,
                               const QString& field);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphDocument* m_document;
    std::optional<nc::graph::TrainingSettings> m_old;
    nc::graph::TrainingSettings m_new;
    QString m_field;
};

} // namespace nc::ui
