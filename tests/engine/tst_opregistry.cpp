// The op registry against the layer registry: every layer type the editor offers has a
// lowering and a CPU kernel, or a stated reason why not; the same for the CUDA backend and
// the exporters. Graphs with a layer the engine cannot run are refused by name.

#include "engine/activations.h"
#include "engine/cpu/cpubackend.h"
#include "engine/model.h"
#include "engine/ops/opregistry.h"

#include "graph_model/graphjson.h"
#include "graph_model/layerregistry.h"

#include <QtTest>

#include <set>

using namespace nc::engine;
using namespace nc::graph;

class OpRegistryTest : public QObject {
    Q_OBJECT

private slots:
    void everyLayerTypeIsAccountedFor_data() {
        QTest::addColumn<QString>("type");
        for (const LayerSpec& spec : LayerRegistry::instance().specs())
            QTest::newRow(spec.type.c_str()) << QString::fromStdString(spec.type);
    }

    void everyLayerTypeIsAccountedFor() {
        QFETCH(QString, type);
        const OpEntry* entry = findOpEntry(type.toStdString());
        QVERIFY2(entry, "the engine's op registry has no entry for this layer type");
        CpuBackend cpu;
        if (entry->runnable()) {
            QVERIFY(entry->notRunnable.empty());
            QVERIFY2(entry->kind == OpKind::Input || cpu.supportsOp(entry->kind),
                     "runnable, but the CPU backend has no kernel");
        } else {
            QVERIFY2(!entry->notRunnable.empty(), "not runnable and no reason given");
        }
        QVERIFY2(entry->cudaMissing.empty() || entry->cudaMissing.size() > 10,
                 "a CUDA gap needs a readable reason");
        QVERIFY2(entry->exportMissing.empty() || entry->exportMissing.size() > 10,
                 "an export gap needs a readable reason");
    }

    // Every activation a graph can name (a layer's fused `activation`, the Activation layer's
    // `function`) has its row in the engine's activation table, and every row is nameable.
    void everyActivationHasItsFacts() {
        std::set<std::string> named;
        for (const LayerSpec& spec : LayerRegistry::instance().specs())
            for (const ParamSpec& param : spec.params)
                if (param.name == "activation" || param.name == "function")
                    named.insert(param.choices.begin(), param.choices.end());
        QVERIFY(named.size() >= 6);
        for (const std::string& name : named) {
            const ActivationFacts* facts = findActivation(name);
            QVERIFY2(facts, name.c_str());
            QCOMPARE(&activationFacts(facts->kind), facts);
            QVERIFY(!facts->onnxOp.empty() && facts->pytorch.find("{x}") != std::string::npos);
        }
        for (const ActivationFacts& facts : activationTable())
            QVERIFY2(named.count(std::string(facts.name)), std::string(facts.name).c_str());
    }

    void registryHasNoStaleEntries() {
        for (const OpEntry& entry : opEntries())
            QVERIFY2(LayerRegistry::instance().find(std::string(entry.layerType)),
                     std::string(entry.layerType).c_str());
    }

    void everyCpuKernelIsReachable() {
        // Each op kind the CPU backend runs is produced by some layer type.
        for (int k = int(OpKind::Conv2D); k <= int(OpKind::BinaryCrossEntropy); ++k) {
            bool produced = false;
            for (const OpEntry& entry : opEntries())
                produced = produced || (entry.runnable() && int(entry.kind) == k);
            QVERIFY2(produced, opName(OpKind(k)));
        }
    }

    void everyLayerTypeIsRunnable() {
        // The list still says why a layer cannot run, should a new type arrive without
        // kernels; today every type has them, recurrent layers included.
        for (const OpEntry& entry : opEntries())
            QVERIFY2(entry.runnable(), std::string(entry.layerType).c_str());
        auto graph = loadGraphFile(NC_SOURCE_DIR "/tests/cli/fixtures/lstm_rows.json");
        QVERIFY2(graph.isOk(), graph.message().c_str());
        QVERIFY(unrunnableNodes(graph.value()).empty());
        QVERIFY(Model::compile(graph.value()).isOk());
    }

    void examplesAreAllRunnable() {
        for (const char* name : {"mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder",
                                 "catsdogs_cnn", "rnn_rows_mnist", "gru_adding", "char_lstm"}) {
            auto graph =
                loadGraphFile(std::string(NC_SOURCE_DIR "/resources/examples/") + name + ".json");
            QVERIFY(graph.isOk());
            QVERIFY2(unrunnableNodes(graph.value()).empty(), name);
        }
    }
};

QTEST_APPLESS_MAIN(OpRegistryTest)
#include "tst_opregistry.moc"
