// The scene mirrors the model through add, remove, connect, undo and redo; the inspector
// edits through the undo stack and explains refusals; pasting keeps ids unique and follows
// node references; references show as dashed links.

#include "ui/clipboard.h"
#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/inspectorwidget.h"

#include "graph_model/graphjson.h"
#include "graph_model/noderefs.h"

#include "uitesting.h"
#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>

#include <QtTest>
#include <set>

using namespace nc::graph;
using namespace nc::ui;
using nc::test::loadExample;

namespace {

// Every node and edge of the model has exactly one item, where the model says.
void expectMirror(const GraphDocument& doc, const GraphScene& scene) {
    QCOMPARE(scene.nodeItemCount(), doc.graph().nodeCount());
    QCOMPARE(scene.edgeItemCount(), doc.graph().edges().size());
    for (NodeId id : doc.graph().nodeIds()) {
        NodeItem* item = scene.nodeItem(id);
        QVERIFY(item);
        QCOMPARE(item->pos(),
                 QPointF(doc.graph().node(id)->position.x, doc.graph().node(id)->position.y));
    }
    for (const Edge& e : doc.graph().edges())
        QVERIFY(scene.edgeItem(e));
}

QString labelOf(const GraphScene& scene, const GraphDocument& doc, const char* from,
                const char* to) {
    const NodeId a = doc.graph().findByName(from)->id, b = doc.graph().findByName(to)->id;
    for (const Edge& e : doc.graph().edgesOutOf(a))
        if (e.inNode == b)
            return scene.edgeItem(e)->label();
    return "no edge";
}

} // namespace

class GraphSceneTest : public QObject {
    Q_OBJECT

private slots:
    void mirrorsEveryEdit() {
        GraphDocument doc;
        GraphScene scene(&doc);
        loadExample(doc, "mnist_cnn");
        expectMirror(doc, scene);

        const NodeId flat = addLayer(&doc, "Flatten", {100, 500});
        expectMirror(doc, scene);
        const NodeId pool2 = doc.graph().findByName("pool2")->id;
        QCOMPARE(connectPorts(&doc, {pool2, 0, flat, 0}), QString());
        expectMirror(doc, scene);
        QCOMPARE(scene.edgeItem({pool2, 0, flat, 0})->label(), QString("32x4x4"));

        deleteItems(&doc, {doc.graph().findByName("conv2")->id}, {});
        expectMirror(doc, scene);
        QCOMPARE(labelOf(scene, doc, "input", "conv1"), QString("1x28x28"));
        QCOMPARE(scene.edgeItem({pool2, 0, flat, 0})->label(),
                 QString("?")); // pool2 lost its input

        for (int i = 0; i < 3; ++i) {
            doc.undoStack()->undo();
            expectMirror(doc, scene);
        }
        QCOMPARE(doc.graph().nodeCount(), std::size_t(10));
        for (int i = 0; i < 3; ++i) {
            doc.undoStack()->redo();
            expectMirror(doc, scene);
        }
        QVERIFY(!doc.graph().findByName("conv2"));
    }

    void inspectorEditUpdatesDownstreamLabels() {
        GraphDocument doc;
        GraphScene scene(&doc);
        InspectorWidget inspector(&doc);
        loadExample(doc, "mnist_cnn");
        const NodeId conv1 = doc.graph().findByName("conv1")->id;
        inspector.setNode(conv1);
        inspector.setNode(kNoNode); // rebuilding reuses the name field (it once was deleted here)
        inspector.setNode(doc.graph().findByName("drop1")->id);
        inspector.setNode(conv1);
        QCOMPARE(qobject_cast<QLineEdit*>(inspector.findChild<QLineEdit*>())->text().isEmpty(),
                 false);
        auto* filters = qobject_cast<QSpinBox*>(inspector.editorFor("filters"));
        QVERIFY(filters);
        QCOMPARE(filters->value(), 32);
        filters->setValue(16); // as if typed
        QCOMPARE(labelOf(scene, doc, "conv1", "pool1"), QString("16x24x24"));
        QCOMPARE(labelOf(scene, doc, "pool1", "conv2"), QString("16x12x12"));
        QCOMPARE(doc.inference().totalParams, std::int64_t(160362 - 16 * 26 - 32 * 16 * 25));
        filters->setValue(8); // spin-box edits merge into one undo step
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.undoStack()->undo();
        QCOMPARE(labelOf(scene, doc, "conv1", "pool1"), QString("32x24x24"));
        QCOMPARE(filters->value(), 32); // the editor follows the model
    }

    void refusalsAreExplained() {
        GraphDocument doc;
        GraphScene scene(&doc);
        InspectorWidget inspector(&doc);
        loadExample(doc, "mnist_cnn");
        const NodeId loss = doc.graph().findByName("loss")->id,
                     fc1 = doc.graph().findByName("fc1")->id;
        QCOMPARE(
            connectPorts(&doc, {loss, 0, fc1, 0}),
            QString(
                "\"loss\" of SoftmaxCrossEntropy \"loss\" is a loss; a loss feeds no other layer"));
        const NodeId logits = doc.graph().findByName("logits")->id;
        QCOMPARE(connectPorts(&doc, {logits, 0, doc.graph().findByName("conv1")->id, 0}),
                 QString("connecting Dense \"logits\" to Conv2D \"conv1\" would make a loop"));
        QCOMPARE(doc.undoStack()->count(), 0);

        inspector.setNode(doc.graph().findByName("drop1")->id);
        const QString refused = inspector.apply("rate", 1.5, false);
        QCOMPARE(refused, QString("Dropout \"drop1\": rate: 1.5 is outside 0..0.99"));
        QCOMPARE(inspector.errorText(), refused);
        QCOMPARE(doc.undoStack()->count(), 0);
        QCOMPARE(renameNode(&doc, fc1, "conv1"),
                 QString("the name \"conv1\" is already used by Conv2D \"conv1\""));
    }

    void rewiringAnInputReplacesTheEdge() {
        GraphDocument doc;
        GraphScene scene(&doc);
        loadExample(doc, "mnist_cnn");
        const NodeId input = doc.graph().findByName("input")->id,
                     conv2 = doc.graph().findByName("conv2")->id;
        QCOMPARE(connectPorts(&doc, {input, 0, conv2, 0}), QString());
        QCOMPARE(doc.graph().edgeInto(conv2, 0)->outNode, input);
        expectMirror(doc, scene);
        doc.undoStack()->undo();
        QCOMPARE(doc.graph().edgeInto(conv2, 0)->outNode, doc.graph().findByName("pool1")->id);
        expectMirror(doc, scene);
    }

    void pasteKeepsIdsUniqueAndFollowsTies() {
        GraphDocument doc;
        GraphScene scene(&doc);
        loadExample(doc, "conv_autoencoder");
        const Graph& g = doc.graph();
        const std::vector<NodeId> picked{g.findByName("conv2")->id, g.findByName("pool2")->id,
                                         g.findByName("deconv2")->id, g.findByName("up1")->id};
        const std::string text = copyNodes(g, picked);
        const std::size_t before = g.nodeCount();
        std::vector<NodeId> first = pasteNodes(&doc, text, {40, 40}, nullptr);
        std::vector<NodeId> second = pasteNodes(&doc, text, {80, 80}, nullptr);
        QCOMPARE(first.size(), std::size_t(4));
        QCOMPARE(g.nodeCount(), before + 8);
        const std::vector<NodeId> all = g.nodeIds();
        std::set<NodeId> ids(all.begin(), all.end());
        QCOMPARE(ids.size(), g.nodeCount());
        std::set<std::string> names;
        for (NodeId id : g.nodeIds())
            names.insert(g.node(id)->name);
        QCOMPARE(names.size(), g.nodeCount());
        // conv2 -> pool2 came along; the pasted deconv2 is tied to the pasted conv2.
        QVERIFY(g.edgeInto(first[1], 0) && g.edgeInto(first[1], 0)->outNode == first[0]);
        QCOMPARE(std::get<std::int64_t>(*g.node(first[2])->params.find("tie_weights_to")),
                 first[0]);
        expectMirror(doc, scene);
        QVERIFY(!planPaste(g, "not json", {0, 0}));
    }

    void pasteRemapsOrClearsReferences() {
        GraphDocument doc;
        loadExample(doc, "conv_autoencoder");
        const Graph& g = doc.graph();
        const NodeId conv2 = g.findByName("conv2")->id, deconv2 = g.findByName("deconv2")->id;
        auto tieOf = [](const Node& n) { return referencedId(n, "tie_weights_to"); };

        // With its target: the copy references the pasted copy of the target.
        Result<PastePlan> both = planPaste(g, copyNodes(g, {conv2, deconv2}), {40, 40});
        QVERIFY(both.isOk());
        QCOMPARE(both.value().nodes.size(), std::size_t(2));
        QCOMPARE(tieOf(both.value().nodes[1]), both.value().nodes[0].id);
        QVERIFY(both.value().nodes[0].id != conv2);

        // Alone, into the same graph: the target still exists there, so the reference stays.
        const std::string alone = copyNodes(g, {deconv2});
        Result<PastePlan> same = planPaste(g, alone, {40, 40});
        QVERIFY(same.isOk());
        QCOMPARE(tieOf(same.value().nodes[0]), conv2);

        // Alone, into a graph without the target: the reference is cleared.
        Result<PastePlan> elsewhere = planPaste(Graph{}, alone, {0, 0});
        QVERIFY(elsewhere.isOk());
        QCOMPARE(tieOf(elsewhere.value().nodes[0]), kNoNode);
        QVERIFY(std::holds_alternative<std::monostate>(
            *elsewhere.value().nodes[0].params.find("tie_weights_to")));
    }

    void referencesAreDashedLinks() {
        GraphDocument doc;
        GraphScene scene(&doc);
        loadExample(doc, "conv_autoencoder");
        const Graph& g = doc.graph();
        const NodeId conv2 = g.findByName("conv2")->id, deconv2 = g.findByName("deconv2")->id;
        auto linksTo = [&scene](NodeId target) {
            std::vector<NodeReference> found;
            for (const ReferenceItem* item : scene.referenceItems())
                if (item->target() == target)
                    found.push_back(item->reference());
            return found;
        };
        QCOMPARE(scene.referenceItems().size(), std::size_t(2)); // deconv1, deconv2
        QCOMPARE(linksTo(conv2), referencesTo(g, conv2));
        QVERIFY(scene.referenceItems().front()->toolTip().contains("ties weights to"));

        // Removing the target drops the link; undo brings it back.
        deleteItems(&doc, {conv2}, {});
        QVERIFY(linksTo(conv2).empty());
        doc.undoStack()->undo();
        QCOMPARE(linksTo(conv2), referencesTo(g, conv2));

        // Untying through the inspector drops it too; the picker lists only Conv2D layers.
        InspectorWidget inspector(&doc);
        inspector.setNode(deconv2);
        auto* picker = qobject_cast<QComboBox*>(inspector.editorFor("tie_weights_to"));
        QVERIFY(picker);
        QStringList choices;
        for (int i = 1; i < picker->count(); ++i)
            choices << picker->itemText(i);
        QCOMPARE(choices, (QStringList{"conv1", "conv2"}));
        QCOMPARE(picker->currentText(), QString("conv2"));
        QVERIFY(!inspector.editorFor("kernel_size")->isEnabled()); // follows conv2
        QCOMPARE(inspector.apply("tie_weights_to", std::monostate{}, false), QString());
        QVERIFY(linksTo(conv2).empty());
        QVERIFY(inspector.editorFor("kernel_size")->isEnabled());
        QVERIFY(inspector.editorFor("padding")->isEnabled());
    }
};

QTEST_MAIN(GraphSceneTest)
#include "tst_graphscene.moc"
