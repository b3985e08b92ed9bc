#pragma once
// A document: the graph model, its undo stack, its file and its modified state. Interaction
// code changes the graph only by pushing undo commands (ui/commands/); the document adapts
// the model's plain C++ listener to Qt signals and keeps shape inference up to date, so a
// view that hears inferenceChanged() can repaint every label in the same frame.
//
//   GraphDocument doc;
//   doc.undoStack()->push(new AddNodeCommand(&doc, "Conv2D", {100, 40}));
//   doc.inference().totalParams;

#include "graph_model/graph.h"
#include "graph_model/shapeinference.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

namespace nc::ui {

class GraphDocument : public QObject {
    Q_OBJECT

public:
    explicit GraphDocument(QObject* parent = nullptr);
    ~GraphDocument() override;

    const nc::graph::Graph& graph() const { return m_graph; }
    // For undo commands only: every change must be undoable.
    nc::graph::Graph& mutableGraph() { return m_graph; }
    QUndoStack* undoStack() { return &m_undo; }
    const nc::graph::InferenceResult& inference() const { return m_inference.result(); }
    // What the last inferenceChanged() may have changed (IncrementalInference::lastTouched).
    const std::vector<nc::graph::NodeId>& inferenceTouched() const {
        return m_inference.lastTouched();
    }
    bool inferenceTouchedAll() const { return m_inference.lastTouchedAll(); }

    QString filePath() const { return m_filePath; }
    // The file name for titles: "mnist_cnn.json", or "untitled.json".
    QString displayName() const;
    bool isModified() const { return !m_undo.isClean(); }

    // Replaces the whole graph (New, Open, Restore); clears the undo history. `untitledName`
    // names a document without a file ("mnist_cnn.json" for an opened example).
    void reset(nc::graph::Graph graph, const QString& filePath, const QString& untitledName = {});
    // On failure the document is left exactly as it was and `error` says why.
    bool load(const QString& path, QString* error);
    // Atomic (QSaveFile); marks the document clean and remembers the path.
    bool save(const QString& path, QString* error);
    static nc::core::Result<nc::graph::Graph> read(const QString& path);

    // A free name for a node of `type` or based on `wanted` ("conv1" -> "conv1_2").
    QString uniqueName(const QString& wanted) const;

    // While a run trains this graph, edits that change what is trained (layers, wires,
    // parameters) are refused with `reason`; moving and renaming cards stay allowed. An empty
    // reason lifts the lock.
    void setStructureLock(const QString& reason) { m_structureLock = reason; }
    QString structureLock() const { return m_structureLock; }
    // True (and editRefused() with the reason) when a structural edit must be refused now.
    bool refuseStructuralEdit();
    // Whether the next undo (or redo) only moves or renames cards, or settings are unlocked.
    bool canUndoNow() const;
    bool canRedoNow() const;

signals:
    void graphChanged(unsigned mask, qint64 node);
    // The whole graph was replaced (never announced through graphChanged); inferenceChanged()
    // always follows, with every node touched.
    void graphReset();
    void inferenceChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);
    void editRefused(const QString& reason);

private:
    void onGraphChange(const nc::graph::GraphChange& change);

    nc::graph::Graph m_graph;
    nc::graph::IncrementalInference m_inference;
    nc::graph::Graph::ListenerId m_listener = 0;
    QUndoStack m_undo;
    QString m_filePath;
    QString m_untitledName;
    QString m_structureLock;
};

} // namespace nc::ui
