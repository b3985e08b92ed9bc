#include "recoverystore.h"

#include "graph_model/graphjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QMutex>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

namespace nc::ui {

namespace {

// Files of the stores alive in this process, and the counter that names the next one.
QMutex ownedMutex;
QSet<QString> ownedFiles;
int nextNumber = 1;

constexpr int kMaxNameTries = 1000;

} // namespace

// The recovery file: {"original_path": "...", "graph": "<graph file text>"}.
std::optional<Recovery> readRecoveryFile(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + ": " + file.errorString();
        return std::nullopt;
    }
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    auto graph =
        nc::graph::graphFromJson(root["graph"].toString().toStdString(), path.toStdString());
    if (!graph) {
        if (error)
            *error = QString::fromStdString(graph.message());
        return std::nullopt;
    }
    return Recovery{std::move(graph).value(), root["original_path"].toString()};
}

QString RecoveryStore::defaultDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

bool RecoveryStore::isOwnedByThisProcess(const QString& path) {
    const QMutexLocker locker(&ownedMutex);
    return ownedFiles.contains(QFileInfo(path).absoluteFilePath());
}

// The name is this process's pid and a number; a name whose lock is taken (a dead process
// that had the same pid and left its lock, say) is skipped, so it stays an orphan.
RecoveryStore::RecoveryStore(QString directory) {
    if (directory.isEmpty())
        directory = defaultDirectory();
    QDir().mkpath(directory);
    const QDir dir(directory);
    const QString pid = QString::number(QCoreApplication::applicationPid());
    const QMutexLocker locker(&ownedMutex);
    for (int tries = 0; tries < kMaxNameTries; ++tries) {
        const QString path =
            dir.absoluteFilePath(QStringLiteral("recovery-%1-%2.json").arg(pid).arg(nextNumber++));
        if (QFile::exists(path))
            continue;
        auto lock = std::make_unique<QLockFile>(path + ".lock");
        lock->setStaleLockTime(0);
        if (lock->tryLock(0)) {
            m_path = path;
            m_lock = std::move(lock);
            break;
        }
        m_path = path; // no lock can be had: write the file all the same, unlocked
        if (lock->error() != QLockFile::LockFailedError)
            break;
    }
    ownedFiles.insert(m_path);
}

RecoveryStore::~RecoveryStore() {
    const QMutexLocker locker(&ownedMutex);
    ownedFiles.remove(m_path);
}

bool RecoveryStore::isLocked() const {
    return m_lock && m_lock->isLocked();
}

bool RecoveryStore::save(const nc::graph::Graph& graph, const QString& originalPath,
                         QString* error) const {
    QJsonObject root;
    root["original_path"] = originalPath;
    root["graph"] = QString::fromStdString(nc::graph::graphToJson(graph));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 ||
        !file.commit()) {
        if (error)
            *error = QObject::tr("cannot write the recovery file %1: %2")
                         .arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool RecoveryStore::exists() const {
    return QFile::exists(m_path);
}

std::optional<Recovery> RecoveryStore::load(QString* error) const {
    return readRecoveryFile(m_path, error);
}

void RecoveryStore::clear() const {
    QFile::remove(m_path);
}

void RecoveryStore::release() {
    clear();
    if (m_lock)
        m_lock->unlock();
}

} // namespace nc::ui
