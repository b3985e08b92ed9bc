#pragma once
// Autosave and crash recovery. While a document has unsaved changes it is written, every
// so often, to a recovery file (atomically) together with the path it belongs to; a clean
// exit removes it. A recovery file found at start-up means the last session ended without
// saving, and the window offers to restore it.

#include "graph_model/graph.h"

#include <QString>
#include <optional>

namespace nc::ui {

class GraphDocument;

struct Recovery {
    nc::graph::Graph graph;
    QString originalPath; // empty for a document that was never saved
};

class RecoveryStore {
public:
    // `directory`: where the recovery file lives (default: the app-data location).
    explicit RecoveryStore(QString directory = {});

    QString path() const { return m_path; }
    bool save(const GraphDocument& document, QString* error = nullptr) const;
    bool exists() const;
    // The recovered graph, or nullopt (with `error`) for an unreadable file.
    std::optional<Recovery> load(QString* error = nullptr) const;
    void clear() const;

private:
    QString m_path;
};

} // namespace nc::ui
