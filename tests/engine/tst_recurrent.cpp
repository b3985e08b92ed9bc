// Recurrent layers against PyTorch: the fixtures in fixtures/recurrent hold nn.RNN, nn.LSTM and
// nn.GRU outputs and gradients (float64 on float32-rounded values), made by
// make_recurrent_fixtures.py with the installed PyTorch; CI needs no PyTorch. Cases with initial
// states feed h0 and c0 from Dense layers named "h0" and "c0" on the flattened input.

#include "enginetesting.h"

#include "engine/cpu/cpubackend.h"
#include "engine/safetensors.h"
#include "engine/threading.h"

#include <QDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace nc::graph;
using namespace nc::engine;
using namespace nc::test;

namespace {

const QString kFixtures = NC_SOURCE_DIR "/tests/engine/fixtures/recurrent";
constexpr double kTolerance = 1e-5;

// max |ours - theirs| / max |theirs|.
double relativeError(const Tensor& ours, const Tensor& theirs) {
    double worst = 0.0, scale = 1e-6;
    for (std::int64_t i = 0; i < theirs.size(); ++i) {
        worst = std::max(worst, double(std::abs(ours[i] - theirs[i])));
        scale = std::max(scale, double(std::abs(theirs[i])));
    }
    return worst / scale;
}

void expectClose(const Tensor& ours, const Tensor& theirs, const std::string& what) {
    QVERIFY2(ours.dims() == theirs.dims(), what.c_str());
    const double error = relativeError(ours, theirs);
    QVERIFY2(error < kTolerance, (what + ": relative error " + std::to_string(error)).c_str());
}

// Input -> Flatten -> Dense "h0"/"c0" (directions x units, linear) -> the recurrent layer's
// initial-state ports, for each name in `states` ("h0,c0").
Status feedInitialStates(Graph& graph, const std::string& states, std::int64_t width) {
    if (states.empty())
        return Status::ok();
    const NodeId input = graph.nodeIds().front();
    const NodeId layer = graph.findByName("layer1")->id;
    const NodeId flat = graph.addNode("Flatten", {}, "flat").value();
    if (Status s = graph.connect({input, 0, flat, 0}); !s)
        return s;
    for (const std::string name : {"h0", "c0"}) {
        if (states.find(name) == std::string::npos)
            continue;
        const NodeId dense = graph.addNode("Dense", {}, name).value();
        if (Status s = graph.setParam(dense, "units", std::int64_t(width)); !s)
            return s;
        if (Status s = graph.setParam(dense, "activation", std::string("linear")); !s)
            return s;
        if (Status s = graph.connect({flat, 0, dense, 0}); !s)
            return s;
        if (Status s = graph.connect({dense, 0, layer, name == "h0" ? 1 : 2}); !s)
            return s;
    }
    return Status::ok();
}

} // namespace

class RecurrentTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setThreadCount(2); }
    void matchesPyTorch_data();
    void matchesPyTorch();
};

void RecurrentTest::matchesPyTorch_data() {
    QTest::addColumn<QString>("file");
    const QStringList files = QDir(kFixtures).entryList({"*.safetensors"}, QDir::Files);
    QVERIFY(files.size() >= 11);
    for (const QString& f : files)
        QTest::newRow(qPrintable(f)) << kFixtures + "/" + f;
}

void RecurrentTest::matchesPyTorch() {
    QFETCH(QString, file);
    Result<SafetensorsFile> fixture = readSafetensors(file.toStdString());
    QVERIFY2(fixture.isOk(), fixture.message().c_str());
    const auto& tensors = fixture.value().tensors;
    const auto& meta = fixture.value().metadata;
    const Tensor& x = tensors.at("__x");
    const QVariantMap params{{"units", std::stoi(meta.at("units"))},
                             {"bidirectional", meta.at("bidirectional") == "true"},
                             {"return_sequences", meta.at("return_sequences") == "true"}};
    Result<Graph> graph = buildChain({x.dim(1), x.dim(2)},
                                     {{QString::fromStdString(meta.at("type")), params}}, "MSE");
    QVERIFY2(graph.isOk(), graph.message().c_str());
    const std::int64_t width =
        std::stoi(meta.at("units")) * (meta.at("bidirectional") == "true" ? 2 : 1);
    Status fed = feedInitialStates(graph.value(), meta.at("initial_states"), width);
    QVERIFY2(fed.isOk(), fed.message().c_str());
    Result<Model> compiled = Model::compile(graph.value());
    QVERIFY2(compiled.isOk(), compiled.message().c_str());
    Model& model = compiled.value();
    // The fixture's state dict names the recurrent node "rnn"; the chain calls it "layer1".
    auto theirs = [&](const std::string& ours, const char* prefix) -> const Tensor& {
        const bool recurrent = ours.starts_with("layer1.");
        return tensors.at(prefix + (recurrent ? "rnn." + ours.substr(ours.find('.') + 1) : ours));
    };
    for (Parameter& p : model.params().all()) {
        const Tensor& value = theirs(p.name, "");
        QVERIFY2(value.dims() == p.value.dims(), p.name.c_str());
        p.value = value;
    }
    CpuBackend backend;
    Executor executor(model, backend);
    executor.setInputGradientWanted(true);
    model.params().zeroGrads();
    QVERIFY(executor.forward(x, tensors.at("__y"), Mode::Eval, {1, 0, true, true}).isOk());
    QVERIFY(executor.backward().isOk());

    expectClose(executor.value(graph.value().findByName("layer1")->id, 0), tensors.at("__output"),
                "output");
    QVERIFY(std::abs(executor.totalLoss() - tensors.at("__loss")[0]) <=
            kTolerance * std::abs(tensors.at("__loss")[0]));
    expectClose(executor.inputGradient(), tensors.at("__dx"), "input gradient");
    for (const Parameter& p : model.params().all())
        expectClose(p.grad, theirs(p.name, "grad."), "gradient of " + p.name);
}

QTEST_GUILESS_MAIN(RecurrentTest)
#include "tst_recurrent.moc"
