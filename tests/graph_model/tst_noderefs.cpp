// Node references (NodeRef parameters) are generic: every one declares what it may name, and
// the graph, topology and inference follow any of them through noderefs.h.

#include "graphbuilder.h"

#include "graph_model/layerregistry.h"
#include "graph_model/noderefs.h"
#include "graph_model/topology.h"

#include <QtTest>
#include <algorithm>

using namespace nc::graph;
using namespace nc::test;

namespace {

// Every NodeRef parameter of the registry, as (layer type, parameter) pairs.
std::vector<std::pair<const LayerSpec*, const ParamSpec*>> nodeRefParams() {
    std::vector<std::pair<const LayerSpec*, const ParamSpec*>> all;
    for (const LayerSpec& spec : LayerRegistry::instance().specs())
        for (const ParamSpec& p : spec.params)
            if (p.kind == ParamKind::NodeRef)
                all.emplace_back(&spec, &p);
    return all;
}

NodeId idOf(const Graph& g, const char* name) {
    const Node* n = g.findByName(name);
    return n ? n->id : kNoNode;
}

} // namespace

class NodeRefsTest : public QObject {
    Q_OBJECT

private slots:
    void registryHasNodeRefs();
    void everyNodeRefDeclaresItsTargets_data();
    void everyNodeRefDeclaresItsTargets();
    void queriesFollowReferences();
    void referencedNodeComesFirst();
    void removingAReferencedNodeLeavesItDangling();
    void wrongTypeIsADiagnosticNamingBoth();
};

void NodeRefsTest::registryHasNodeRefs() {
    const auto all = nodeRefParams();
    const bool tie = std::any_of(all.begin(), all.end(), [](const auto& entry) {
        return entry.first->type == "Deconv2D" && entry.second->name == "tie_weights_to";
    });
    QVERIFY(tie);
}

void NodeRefsTest::everyNodeRefDeclaresItsTargets_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("param");
    for (const auto& [spec, p] : nodeRefParams()) {
        const std::string row = spec->type + "." + p->name;
        QTest::newRow(row.c_str())
            << QString::fromStdString(spec->type) << QString::fromStdString(p->name);
    }
}

void NodeRefsTest::everyNodeRefDeclaresItsTargets() {
    QFETCH(QString, type);
    QFETCH(QString, param);
    const LayerSpec* spec = LayerRegistry::instance().find(type.toStdString());
    QVERIFY(spec);
    const ParamSpec* p = spec->findParam(param.toStdString());
    QVERIFY(p);
    QVERIFY2(!p->refTypes.empty(), "refTypes: which layer types it may name");
    for (const std::string& target : p->refTypes)
        QVERIFY2(LayerRegistry::instance().find(target), target.c_str());
    QVERIFY2(!p->refMeaning.empty(), "refMeaning: what the link means, for display");
    QVERIFY2(!p->refAction.empty(), "refAction: the act, for refusals");
    for (const std::string& follower : p->refFollows) {
        QVERIFY2(spec->findParam(follower), follower.c_str());
        QVERIFY(follower != p->name);
    }
    // A paste clears a reference whose target is gone, so "none" must be a valid value.
    QVERIFY(p->nullable);
    QVERIFY(std::holds_alternative<std::monostate>(p->defaultValue));
}

void NodeRefsTest::queriesFollowReferences() {
    Result<Graph> loaded = loadExample("conv_autoencoder");
    QVERIFY(loaded.isOk());
    Graph g = std::move(loaded).value();
    const NodeId conv1 = idOf(g, "conv1"), conv2 = idOf(g, "conv2");
    const NodeId deconv1 = idOf(g, "deconv1"), deconv2 = idOf(g, "deconv2");
    const Node& d2 = *g.node(deconv2);

    QCOMPARE(nodeReferences(d2), (std::vector<NodeReference>{{deconv2, "tie_weights_to", conv2}}));
    QVERIFY(nodeReferences(*g.node(conv2)).empty());
    QCOMPARE(referencesTo(g, conv2),
             (std::vector<NodeReference>{{deconv2, "tie_weights_to", conv2}}));
    QCOMPARE(referencesTo(g, conv1),
             (std::vector<NodeReference>{{deconv1, "tie_weights_to", conv1}}));
    QVERIFY(referencesTo(g, deconv2).empty());
    QCOMPARE(referencedId(d2, "tie_weights_to"), conv2);
    QCOMPARE(referencedNode(g, d2, "tie_weights_to"), g.node(conv2));
    QCOMPARE(referencedId(d2, "filters"), kNoNode); // not a NodeRef
    QVERIFY(!referencedNode(g, d2, "no_such_param"));
    QCOMPARE(directDependencies(g, d2),
             (std::vector<NodeId>{idOf(g, "up2"), conv2})); // its input, then its reference

    // A second holder of the same target is listed too, in id order.
    QVERIFY(g.setParam(deconv1, "tie_weights_to", conv2));
    QCOMPARE(referencesTo(g, conv2),
             (std::vector<NodeReference>{{deconv2, "tie_weights_to", conv2},
                                         {deconv1, "tie_weights_to", conv2}}));
    QVERIFY(referencesTo(g, conv1).empty());
    // Cleared, it is no reference at all.
    QVERIFY(g.setParam(deconv2, "tie_weights_to", std::monostate{}));
    QVERIFY(nodeReferences(*g.node(deconv2)).empty());
    QCOMPARE(referencedId(*g.node(deconv2), "tie_weights_to"), kNoNode);
    QCOMPARE(referencesTo(g, conv2).size(), std::size_t(1));
}

void NodeRefsTest::referencedNodeComesFirst() {
    // The holder has the smaller id and no edges: only the reference orders the two.
    Graph g;
    const NodeId deconv = g.addNode("Deconv2D").value();
    const NodeId conv = g.addNode("Conv2D").value();
    QCOMPARE(dependencyOrder(g).order, (std::vector<NodeId>{deconv, conv}));
    QVERIFY(g.setParam(deconv, "tie_weights_to", conv));
    DependencyOrder order = dependencyOrder(g);
    QCOMPARE(order.order, (std::vector<NodeId>{conv, deconv}));
    QVERIFY(order.cyclic.empty());
    // The reference is a dependency when refusing loops: feeding the holder's output into its
    // target would make the target depend on itself.
    QVERIFY(g.canConnect({deconv, 0, conv, 0}).message().find("would make a loop") !=
            std::string::npos);
}

void NodeRefsTest::removingAReferencedNodeLeavesItDangling() {
    Result<Graph> loaded = loadExample("conv_autoencoder");
    QVERIFY(loaded.isOk());
    Graph g = std::move(loaded).value();
    const NodeId conv2 = idOf(g, "conv2"), deconv2 = idOf(g, "deconv2");
    const Node removed = *g.node(conv2);
    QVERIFY(g.removeNode(conv2));

    // The reference stays (so that undo restores the link) but resolves to nothing, no longer
    // orders the holder, and inference names the holder, the parameter and the missing id.
    QCOMPARE(referencedId(*g.node(deconv2), "tie_weights_to"), conv2);
    QVERIFY(!referencedNode(g, *g.node(deconv2), "tie_weights_to"));
    QCOMPARE(referencesTo(g, conv2).size(), std::size_t(1));
    DependencyOrder order = dependencyOrder(g);
    QVERIFY(order.cyclic.empty());
    QCOMPARE(order.order.size(), g.nodeCount());
    const InferenceResult result = inferShapes(g);
    const NodeInference& d2 = *result.node(deconv2);
    QVERIFY(!d2.diagnostics.empty());
    QCOMPARE(QString::fromStdString(d2.diagnostics[0].message),
             QString("Deconv2D \"deconv2\": tie_weights_to names node %1, which does not exist")
                 .arg(conv2));

    // Setting a reference to a removed node is refused; re-inserting the node restores it.
    QVERIFY(!g.setParam(idOf(g, "deconv1"), "tie_weights_to", conv2));
    QVERIFY(g.insertNode(removed));
    QCOMPARE(referencedNode(g, *g.node(deconv2), "tie_weights_to"), g.node(conv2));
}

void NodeRefsTest::wrongTypeIsADiagnosticNamingBoth() {
    // Only a file can hold such a reference: setParam refuses it.
    Graph g;
    const NodeId dense = g.addNode("Dense", {}, "code").value();
    const NodeId deconv = g.addNode("Deconv2D", {}, "up").value();
    const Status refused = g.setParam(deconv, "tie_weights_to", dense);
    QCOMPARE(QString::fromStdString(refused.message()),
             QString("Deconv2D \"up\": tie_weights_to: Dense \"code\" is not a Conv2D"));

    Node loadedDeconv = *g.node(deconv);
    QVERIFY(g.removeNode(deconv));
    loadedDeconv.params.set("tie_weights_to", dense);
    QVERIFY(g.insertNode(loadedDeconv)); // as the file reader does
    const InferenceResult result = inferShapes(g);
    const NodeInference& inf = *result.node(deconv);
    QVERIFY(!inf.diagnostics.empty());
    QCOMPARE(inf.diagnostics[0].severity, Severity::Error);
    QCOMPARE(QString::fromStdString(inf.diagnostics[0].message),
             QString("Deconv2D \"up\": tie_weights_to must name a Conv2D, but node %1 is Dense "
                     "\"code\"")
                 .arg(dense));
    QVERIFY(!inf.outputs[0]);
}

QTEST_APPLESS_MAIN(NodeRefsTest)
#include "tst_noderefs.moc"
