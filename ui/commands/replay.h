#pragma once
// Undo commands replay edits that the graph accepted when they were first made, so a refusal
// on undo or redo is a bug: it is reported loudly (and stops debug builds) rather than ignored.

#include "core/status.h"

#include <QtGlobal>

namespace nc::ui {

inline void replayed(const nc::core::Status& status) {
    if (!status)
        qWarning("undo/redo could not replay an edit: %s", status.message().c_str());
    Q_ASSERT(status.isOk());
}

} // namespace nc::ui
