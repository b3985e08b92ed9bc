#include "orphanedrecovery.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>

#include <algorithm>

namespace nc::ui {

namespace {

constexpr const char* kLegacyName = "recovery.json";

// Takes the lock at `lockPath` when no live process holds it, or returns null. QLockFile
// itself clears a lock whose process is gone (or that predates the last boot). A lock that
// names this very process but that no store here holds was left by an earlier process with
// the same pid (common in containers, where pids repeat); QLockFile takes that for live, so
// it is removed here. removeStaleLockFile() still refuses a lock whose holder keeps it open.
std::unique_ptr<QLockFile> claimLock(const QString& lockPath) {
    auto lock = std::make_unique<QLockFile>(lockPath);
    lock->setStaleLockTime(0); // a live window holds its lock for hours: age proves nothing
    if (lock->tryLock(0))
        return lock;
    qint64 pid = 0;
    if (lock->error() == QLockFile::LockFailedError && lock->getLockInfo(&pid, nullptr, nullptr) &&
        pid == QCoreApplication::applicationPid() && lock->removeStaleLockFile() &&
        lock->tryLock(0))
        return lock;
    return nullptr;
}

} // namespace

OrphanedRecovery::OrphanedRecovery(QString path, std::unique_ptr<QLockFile> lock)
    : m_path(std::move(path)), m_lastModified(QFileInfo(m_path).lastModified()),
      m_lock(std::move(lock)) {}

OrphanedRecovery::OrphanedRecovery(OrphanedRecovery&&) noexcept = default;
OrphanedRecovery& OrphanedRecovery::operator=(OrphanedRecovery&&) noexcept = default;
OrphanedRecovery::~OrphanedRecovery() = default; // QLockFile's destructor unlocks

std::vector<OrphanedRecovery> OrphanedRecovery::claimAll(QString directory) {
    if (directory.isEmpty())
        directory = RecoveryStore::defaultDirectory();
    const QDir dir(directory);
    std::vector<OrphanedRecovery> orphans;

    QStringList names = dir.entryList({"recovery-*.json"}, QDir::Files);
    if (dir.exists(kLegacyName))
        names.append(kLegacyName);
    for (const QString& name : std::as_const(names)) {
        const QString path = dir.absoluteFilePath(name);
        if (RecoveryStore::isOwnedByThisProcess(path))
            continue;
        auto lock = claimLock(path + ".lock");
        // The file may have gone between the listing and the lock: its window closed cleanly.
        if (lock && QFile::exists(path))
            orphans.push_back(OrphanedRecovery(path, std::move(lock)));
    }

    // Locks of windows that ended without writing a file (they never had unsaved changes).
    const QStringList locks = dir.entryList({"recovery-*.json.lock"}, QDir::Files);
    for (const QString& name : locks) {
        const QString lockPath = dir.absoluteFilePath(name);
        const QString path = lockPath.chopped(5); // ".lock"
        if (QFile::exists(path) || RecoveryStore::isOwnedByThisProcess(path))
            continue;
        if (auto lock = claimLock(lockPath))
            lock->unlock();
    }

    std::stable_sort(orphans.begin(), orphans.end(), [](const auto& a, const auto& b) {
        return a.lastModified() > b.lastModified();
    });
    return orphans;
}

std::optional<Recovery> OrphanedRecovery::load(QString* error) const {
    return readRecoveryFile(m_path, error);
}

void OrphanedRecovery::discard() {
    QFile::remove(m_path);
    release();
}

void OrphanedRecovery::release() {
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
}

} // namespace nc::ui
