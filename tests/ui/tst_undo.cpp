// A random sequence of edits, then undo all of them: the document is byte-identical to
// where it started; redo all of them: identical to where it ended.

#include "ui/clipboard.h"
#include "ui/commands/movenodescommand.h"
#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"

#include "graph_model/graphjson.h"
#include "graph_model/layerregistry.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace nc::graph;
using namespace nc::ui;

namespace {

// findByName agrees with the nodes themselves: every name leads to its node, and the names
// that renames left behind lead nowhere.
bool nameLookupMatches(const Graph& g) {
    for (NodeId id : g.nodeIds())
        if (const Node* found = g.findByName(g.node(id)->name); !found || found->id != id)
            return false;
    for (int i = 0; i < 30; ++i) {
        const std::string name = "n" + std::to_string(i);
        if (const Node* found = g.findByName(name); found && found->name != name)
            return false;
    }
    return true;
}

} // namespace

class UndoTest : public QObject {
    Q_OBJECT

private slots:
    void undoingEverythingRestoresTheBytes_data() {
        QTest::addColumn<QString>("example");
        QTest::addColumn<int>("seed");
        QTest::newRow("mnist_cnn") << "mnist_cnn" << 1;
        QTest::newRow("conv_autoencoder") << "conv_autoencoder" << 2;
        QTest::newRow("modified_cnn") << "modified_cnn" << 3;
    }

    void undoingEverythingRestoresTheBytes() {
        QFETCH(QString, example);
        QFETCH(int, seed);
        GraphDocument doc;
        GraphScene scene(&doc); // the scene follows every step too
        QString error;
        QVERIFY(doc.load(QStringLiteral(NC_SOURCE_DIR) + "/resources/examples/" + example + ".json",
                         &error));
        const std::string start = graphToJson(doc.graph());
        QRandomGenerator random{quint32(seed)};
        const auto& specs = LayerRegistry::instance().specs();
        int applied = 0;
        for (int step = 0; step < 150; ++step) {
            const std::vector<NodeId> ids = doc.graph().nodeIds();
            const NodeId a =
                ids.empty() ? kNoNode : ids[std::size_t(random.bounded(int(ids.size())))];
            const NodeId b =
                ids.empty() ? kNoNode : ids[std::size_t(random.bounded(int(ids.size())))];
            const int before = doc.undoStack()->count();
            switch (random.bounded(8)) {
            case 0:
                addLayer(&doc,
                         QString::fromStdString(
                             specs[std::size_t(random.bounded(int(specs.size())))].type),
                         {random.bounded(800.0), random.bounded(600.0)});
                break;
            case 1:
                if (a)
                    deleteItems(&doc, {a}, {});
                break;
            case 2:
                if (a && b)
                    connectPorts(&doc, {a, random.bounded(2), b, random.bounded(2)});
                break;
            case 3:
                if (a)
                    setParameter(&doc, a, "filters", std::int64_t(1 + random.bounded(64)),
                                 random.bounded(2) == 0);
                break;
            case 4:
                if (a)
                    setParameter(&doc, a, "kernel_size",
                                 IntList{1 + random.bounded(5), 1 + random.bounded(5)});
                break;
            case 5:
                if (a)
                    renameNode(&doc, a, QString("n%1").arg(random.bounded(30)));
                break;
            case 6:
                if (a)
                    doc.undoStack()->push(new MoveNodesCommand(
                        &doc, {{a, {random.bounded(900.0), 10.0}}}, 0, "move"));
                break;
            case 7:
                if (a && b)
                    pasteNodes(&doc, copyNodes(doc.graph(), {a, b}), {30, 30}, nullptr);
                break;
            }
            applied += doc.undoStack()->count() != before;
            QCOMPARE(scene.nodeItemCount(), doc.graph().nodeCount());
            QVERIFY(nameLookupMatches(doc.graph()));
        }
        QVERIFY(applied > 60);
        const std::string end = graphToJson(doc.graph());
        QVERIFY(end != start);
        while (doc.undoStack()->canUndo())
            doc.undoStack()->undo();
        QCOMPARE(QString::fromStdString(graphToJson(doc.graph())), QString::fromStdString(start));
        QVERIFY(nameLookupMatches(doc.graph()));
        QVERIFY(!doc.isModified());
        while (doc.undoStack()->canRedo())
            doc.undoStack()->redo();
        QCOMPARE(QString::fromStdString(graphToJson(doc.graph())), QString::fromStdString(end));
        QVERIFY(nameLookupMatches(doc.graph()));
        QCOMPARE(scene.nodeItemCount(), doc.graph().nodeCount());
    }
};

QTEST_MAIN(UndoTest)
#include "tst_undo.moc"
