#include "recoverystore.h"

#include "graphdocument.h"

#include "graph_model/graphjson.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace nc::ui {

RecoveryStore::RecoveryStore(QString directory) {
    if (directory.isEmpty())
        directory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(directory);
    m_path = QDir(directory).filePath("recovery.json");
}

// The recovery file: {"original_path": "...", "graph": "<graph file text>"}.
bool RecoveryStore::save(const GraphDocument& document, QString* error) const {
    QJsonObject root;
    root["original_path"] = document.filePath();
    root["graph"] = QString::fromStdString(nc::graph::graphToJson(document.graph()));
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
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    auto graph =
        nc::graph::graphFromJson(root["graph"].toString().toStdString(), m_path.toStdString());
    if (!graph) {
        if (error)
            *error = QString::fromStdString(graph.message());
        return std::nullopt;
    }
    return Recovery{std::move(graph).value(), root["original_path"].toString()};
}

void RecoveryStore::clear() const {
    QFile::remove(m_path);
}

} // namespace nc::ui
