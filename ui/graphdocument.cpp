#include "graphdocument.h"

#include "commands/commandids.h"
#include "commands/nodeeditcommands.h"

#include "graph_model/graphjson.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace nc::ui {

using namespace nc::graph;

GraphDocument::GraphDocument(QObject* parent) : QObject(parent) {
    m_listener = m_graph.addListener([this](const GraphChange& c) { onGraphChange(c); });
    m_inference.update(m_graph);
    connect(&m_undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
}

GraphDocument::~GraphDocument() {
    m_graph.removeListener(m_listener);
}

void GraphDocument::onGraphChange(const GraphChange& change) {
    m_inference.noteChange(change);
    // Only reset() replaces the graph; it brings inference up to date once and tells the
    // views after (graphReset, then inferenceChanged), instead of every view refreshing for
    // the old items as well.
    if (change.what & GraphReset)
        return;
    m_inference.update(m_graph); // well under a millisecond, even for large graphs
    emit graphChanged(change.what, qint64(change.node));
    if (change.what & (NodeAdded | NodeRemoved | EdgeAdded | EdgeRemoved | ParamChanged |
                       NodeRenamed | GraphReset))
        emit inferenceChanged();
}

QString GraphDocument::displayName() const {
    if (!m_filePath.isEmpty())
        return QFileInfo(m_filePath).fileName();
    return m_untitledName.isEmpty() ? QStringLiteral("untitled.json") : m_untitledName;
}

void GraphDocument::reset(Graph graph, const QString& filePath, const QString& untitledName) {
    m_untitledName = untitledName;
    m_undo.clear();
    m_graph = std::move(graph); // notifies GraphReset through the listener
    m_inference.update(m_graph);
    m_undo.setClean();
    m_filePath = filePath;
    emit graphReset();
    emit inferenceChanged();
    emit filePathChanged(m_filePath);
    emit modifiedChanged(false);
}

// Files go through the core's bounded reader, as in the CLI: a device such as /dev/zero or a
// huge file is refused after 64 MiB instead of being read forever. Built-in examples live in
// Qt resources.
Result<Graph> GraphDocument::read(const QString& path) {
    if (!path.startsWith(":/"))
        return loadGraphFile(path.toStdString());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(path.toStdString() + ": " + file.errorString().toStdString());
    const QByteArray bytes = file.read(qint64(kMaxGraphFileBytes));
    return graphFromJson(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                         path.toStdString());
}

bool GraphDocument::load(const QString& path, QString* error) {
    Result<Graph> graph = read(path);
    if (!graph) {
        *error = QString::fromStdString(graph.message());
        return false;
    }
    reset(std::move(graph).value(), path);
    return true;
}

bool GraphDocument::save(const QString& path, QString* error) {
    QSaveFile file(path);
    const std::string text = graphToJson(m_graph);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit()) {
        *error = "cannot save " + path + ": " + file.errorString();
        return false;
    }
    m_undo.setClean();
    if (m_filePath != path) {
        m_filePath = path;
        emit filePathChanged(path);
    }
    return true;
}

QString GraphDocument::uniqueName(const QString& wanted) const {
    const std::string base = wanted.toStdString();
    if (!m_graph.findByName(base) && validateNodeName(base))
        return wanted;
    for (int n = 2;; ++n) {
        const std::string candidate = base + "_" + std::to_string(n);
        if (!m_graph.findByName(candidate))
            return QString::fromStdString(candidate);
    }
}

bool GraphDocument::refuseStructuralEdit() {
    if (m_structureLock.isEmpty())
        return false;
    emit editRefused(m_structureLock);
    return true;
}

namespace {

// Whether `command` (and every command of a macro) only moves or renames cards.
bool onlyMovesOrRenames(const QUndoCommand* command) {
    if (!command)
        return true;
    if (command->childCount() > 0) {
        for (int i = 0; i < command->childCount(); ++i)
            if (!onlyMovesOrRenames(command->child(i)))
                return false;
        return true;
    }
    return command->id() == kMoveNodesId || dynamic_cast<const RenameCommand*>(command);
}

} // namespace

bool GraphDocument::canUndoNow() const {
    return m_structureLock.isEmpty() || onlyMovesOrRenames(m_undo.command(m_undo.index() - 1));
}

bool GraphDocument::canRedoNow() const {
    return m_structureLock.isEmpty() || onlyMovesOrRenames(m_undo.command(m_undo.index()));
}

} // namespace nc::ui
