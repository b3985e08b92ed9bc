#pragma once
// Autosave and crash recovery. Each window owns one recovery file, `recovery-<pid>-<n>.json`
// in the app-data folder, and holds a QLockFile beside it (`<file>.lock`) for as long as the
// window lives. While the document has unsaved changes it is written there, every so often,
// atomically, together with the path it belongs to; once the document is clean again, and on
// a clean close, the file goes away (the lock too, on close).
//
// A recovery file whose lock no live process holds is an orphan: the session that wrote it
// ended without saving. OrphanedRecovery (orphanedrecovery.h) finds and claims those at
// start-up; a running copy of the app never sees another live copy's file as one.
//
//   RecoveryStore store(directory);       // takes recovery-<pid>-<n>.json and its lock
//   store.save(graph, originalPath);      // autosave
//   store.release();                      // clean close: the file and the lock go

#include "graph_model/graph.h"

#include <QString>
#include <memory>
#include <optional>

class QLockFile;

namespace nc::ui {

struct Recovery {
    nc::graph::Graph graph;
    QString originalPath; // empty for a document that was never saved
};

// Reads a recovery file; nullopt (with `error`) when it is missing or unreadable.
std::optional<Recovery> readRecoveryFile(const QString& path, QString* error = nullptr);

class RecoveryStore {
public:
    // `directory`: where recovery files live (default: defaultDirectory()).
    explicit RecoveryStore(QString directory = {});
    ~RecoveryStore(); // drops the lock but keeps the file: a window gone without a close
    RecoveryStore(const RecoveryStore&) = delete;
    RecoveryStore& operator=(const RecoveryStore&) = delete;

    static QString defaultDirectory();
    // Whether `path` is the file of a RecoveryStore alive in this process. Such a file is never
    // an orphan, even when its lock names this process's pid.
    static bool isOwnedByThisProcess(const QString& path);

    QString path() const { return m_path; }
    // Whether this store holds its lock; without it another copy could take the file for an
    // orphan (an unwritable folder, say).
    bool isLocked() const;
    // Atomic. `originalPath`: the file the graph belongs to (empty: never saved).
    bool save(const nc::graph::Graph& graph, const QString& originalPath,
              QString* error = nullptr) const;
    bool exists() const;
    std::optional<Recovery> load(QString* error = nullptr) const;
    // Removes the file; the lock stays (the window goes on).
    void clear() const;
    // Removes the file and the lock: the window closed cleanly.
    void release();

private:
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace nc::ui
