#pragma once
// QUndoCommand ids of the commands that merge with their predecessor.

namespace nc::ui {

enum CommandId {
    kSetParamId = 1001,    // spin-box edits of one parameter
    kMoveNodesId = 1002,   // one drag
    kSetTrainingId = 1003, // spin-box edits of one training setting
};

} // namespace nc::ui
