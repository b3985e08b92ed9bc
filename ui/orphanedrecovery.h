#pragma once
// A recovery file left by a session that ended without saving (see recoverystore.h), claimed
// by this process: its lock is held here until the user's answer is carried out, so a copy of
// the app started at the same moment never offers the same file too.
//
//   for (OrphanedRecovery& orphan : OrphanedRecovery::claimAll()) {
//       auto recovery = orphan.load(&error);
//       // ask the user, then one of:
//       window->restore(*recovery, orphan); // adopts it, then discards the orphan
//       orphan.discard();                   // "Discard": gone for good
//       orphan.release();                   // not now: offered again at the next start
//   }

#include "recoverystore.h"

#include <QDateTime>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

class QLockFile;

namespace nc::ui {

class OrphanedRecovery {
public:
    // Every orphan in `directory` (default: RecoveryStore::defaultDirectory()), newest first:
    // each `recovery-<pid>-<n>.json` whose lock no live process holds, and the single
    // `recovery.json` that versions before per-window files wrote. A live window's file, in
    // this process or another, is never one. Stale locks left without a file are removed.
    static std::vector<OrphanedRecovery> claimAll(QString directory = {});

    OrphanedRecovery(OrphanedRecovery&&) noexcept;
    OrphanedRecovery& operator=(OrphanedRecovery&&) noexcept;
    ~OrphanedRecovery(); // releases: the file stays for the next start

    QString path() const { return m_path; }
    QDateTime lastModified() const { return m_lastModified; }
    std::optional<Recovery> load(QString* error = nullptr) const;
    // Deletes the file and its lock.
    void discard();
    // Leaves the file for a later start and drops the lock.
    void release();

private:
    OrphanedRecovery(QString path, std::unique_ptr<QLockFile> lock);

    QString m_path;
    QDateTime m_lastModified;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace nc::ui
