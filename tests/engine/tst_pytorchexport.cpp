// PyTorch export: for every example, `python3 model.py --json` (Debian's PyTorch) gives
// NetCanvas's outputs for the same fixed input with the same weights; and the exported
// train.py trains under torchrun as two DistributedDataParallel processes on gloo, the
// validation loss going down
// (on the shared MNIST files). Skipped where PyTorch or the data is missing.
// Also: the graph's loss weight reaches model.py; hostile graph and node names give
// projects that import, run and train one step and execute nothing; `--data` gives a
// data.npz that the exported train.py trains on with no conversion.

#include "exporttesting.h"

#include "engine/backendlist.h"
#include "engine/executor.h"
#include "engine/export/pytorchdata.h"
#include "engine/export/pytorchexport.h"
#include "engine/model.h"
#include "engine/npz.h"
#include "engine/observer.h"
#include "engine/parameterstore.h"
#include "engine/probe/edgeprobe.h"
#include "engine/safetensors.h"

#include "graph_model/graphjson.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace nc::engine;
using nc::test::addNameRows;
using nc::test::buildChain;
using nc::test::exampleWithInitialWeights;
using nc::test::ValueTap;

namespace {

const char* const kExamples[] = {
    "mlp",          "mnist_cnn",      "modified_cnn", "conv_autoencoder",
    "catsdogs_cnn", "rnn_rows_mnist", "gru_adding",   "char_lstm"};
const char* const kPython = "/usr/bin/python3";

bool havePytorch() {
    return QFile::exists(kPython) && QProcess::execute(kPython, {"-c", "import torch"}) == 0;
}

// model.py's fixed_input: 0.5 + 0.5 sin(0.1 i) (in double, then float), or i mod vocabulary.
Tensor fixedInput(const Model& model) {
    Dims dims{2};
    for (std::int64_t d : model.values()[std::size_t(model.inputStep().outputs[0])].perSample)
        dims.push_back(d);
    std::int64_t vocabulary = 0;
    for (const PlanStep& step : model.steps())
        if (step.kind == OpKind::Embedding)
            vocabulary = model.params().at(step.params[0]).value.dim(0);
    Tensor x(dims);
    for (std::int64_t i = 0; i < x.size(); ++i)
        x[i] = vocabulary ? float(i % vocabulary) : float(0.5 + 0.5 * std::sin(0.1 * double(i)));
    return x;
}

// Runs python3 with `args` in `dir`: an empty string, or a message with its output.
QString runPython(const QString& dir, const QStringList& args, int timeoutMs = 180000) {
    QProcess python;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("OMP_NUM_THREADS", "1");
    env.insert("PYTHONDONTWRITEBYTECODE", "1");
    python.setProcessEnvironment(env);
    python.setWorkingDirectory(dir);
    python.setProcessChannelMode(QProcess::MergedChannels);
    python.start(kPython, args);
    if (!python.waitForFinished(timeoutMs))
        return "python3 did not finish";
    const QString output = QString::fromUtf8(python.readAll());
    return python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0
               ? QString()
               : "python3 " + args.join(' ') + " failed:\n" + output;
}

// A small CNN (Input 1x6x6, Conv2D, BatchNorm, Dense 3, softmax cross-entropy) whose nodes
// are renamed to `names` (input, conv, batch norm, dense, loss), with weights for seed 1.
Model hostileModel(const QStringList& names) {
    auto graph = buildChain({1, 6, 6},
                            {{"Conv2D",
                              {{"filters", 2},
                               {"kernel_size", QVariantList{3, 3}},
                               {"padding", "same"},
                               {"activation", "relu"}}},
                             {"BatchNorm", {}},
                             {"Dense", {{"units", 3}}}},
                            "SoftmaxCrossEntropy");
    nc::core::require(graph.status());
    nc::graph::Graph& g = graph.value();
    const char* const defaults[] = {"input", "layer1", "layer2", "layer3", "loss"};
    std::vector<nc::graph::NodeId> ids;
    for (const char* name : defaults)
        ids.push_back(g.findByName(name)->id);
    for (std::size_t i = 0; i < ids.size(); ++i) // free the default names first
        nc::core::require(g.rename(ids[i], "node " + std::to_string(i) + " being renamed"));
    for (int i = 0; i < names.size(); ++i)
        nc::core::require(g.rename(ids[std::size_t(i)], names[i].toStdString()));
    Result<Model> model = Model::compile(g);
    nc::core::require(model.status());
    initializeParameters(model.value().params(), 1);
    return std::move(model).value();
}

// The files under `dir`, relative and sorted, bytecode caches left out.
QStringList filesUnder(const QString& dir) {
    QStringList files;
    for (QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System,
                         QDirIterator::Subdirectories);
         it.hasNext();) {
        const QString file = QDir(dir).relativeFilePath(it.next());
        if (!file.contains("__pycache__"))
            files << file;
    }
    files.sort();
    return files;
}

// Names that break naive code generation: every kind of quote, triple quotes, backslashes,
// comment and format characters, unicode, nn.Module's attributes, keywords and soft
// keywords, model.py's own helpers and constants, leading underscores, dots and digits.
const char* const kHostileNames[] = {
    R"(x""";open("PWNED","w");""")",
    R"(x''';open('PWNED','w');''')",
    R"(");open("PWNED","w");(")",
    R"(');open('PWNED','w');(')",
    R"(\)",
    R"(a\"b\)",
    R"(x\n__import__("os").system("touch PWNED"))",
    R"(# ";open("PWNED","w")#)",
    R"(f"{open('PWNED','w')}")",
    R"(\N{DIGIT ONE}\u0041\x41)",
    "\u00e9t\u00e9 \u540d\u524d \U0001f642",
    "\u2028open(\"PWNED\",\"w\")\u2029#",
    "__init__",
    "forward",
    "training",
    "eval",
    "to",
    "cuda",
    "state_dict",
    "zero_grad",
    "add_module",
    "_modules",
    "__class__",
    "__dict__",
    "parameters",
    "type",
    "class",
    "lambda",
    "None",
    "True",
    "match",
    "case",
    "_",
    "crop",
    "avg_pool_real",
    "initial_state",
    "fixed_input",
    "load_weights",
    "read_safetensors",
    "netcanvas_state",
    "run_check",
    "_DTYPES",
    "TiedBias",
    "Model",
    "F",
    "nn",
    "torch",
    "os",
    "INPUT_SHAPE",
    "STATE_NAMES",
    "OUTPUTS",
    "LOGITS",
    "loss",
    "x",
    "y",
    "self",
    "total",
    "outputs",
    "__secret",
    "__x__",
    "a.b",
    "1st",
    "{}",
    "float",
    "super",
};

// Graph names (file stems) that no node can have: control characters, line breaks, bytes
// that are not UTF-8, nothing at all.
const char* const kHostileStems[] = {
    "x\n\"\"\"\nopen(\"PWNED\", \"w\")\n\"\"\"",
    "x\r\"\"\"\ropen(\"PWNED\", \"w\")\r#",
    "x\t\x0b\x0c\x1b[31m\x7f\"\"\"",
    "\xff\xfe not UTF-8 \"\"\"",
    "",
};

} // namespace

class TestPytorchExport : public QObject {
    Q_OBJECT

private slots:
    void modelPyMatchesNetCanvas_data() { addNameRows("example", kExamples); }

    void modelPyMatchesNetCanvas() {
        QFETCH(QString, example);
        Model model = exampleWithInitialWeights(example);
        matchesPytorch(model, example);
    }

    // Deconvolution crops as PyTorch's padding and output_padding (a grown row holds the bias,
    // as NetCanvas's does), or crop() where they cannot say it.
    void deconvolutionCropsMatchPytorch_data() {
        QTest::addColumn<QVariantMap>("params");
        const QVariantList two{2, 2};
        QTest::newRow("padding 1, output_padding 1")
            << QVariantMap{{"filters", 3},
                           {"stride", two},
                           {"padding", QVariantList{1, 1}},
                           {"output_padding", QVariantList{1, 1}},
                           {"activation", "relu"}};
        QTest::newRow("valid, output_padding 1x0")
            << QVariantMap{{"filters", 2}, {"stride", two}, {"output_padding", QVariantList{1, 0}}};
        QTest::newRow("same, kernel 1, stride 2")
            << QVariantMap{{"filters", 2},
                           {"kernel_size", QVariantList{1, 1}},
                           {"stride", two},
                           {"padding", "same"}};
        QTest::newRow("same, kernel 3, stride 2")
            << QVariantMap{{"filters", 2}, {"stride", two}, {"padding", "same"}};
        QTest::newRow("full") << QVariantMap{{"filters", 2}, {"padding", "full"}};
    }

    void deconvolutionCropsMatchPytorch() {
        QFETCH(QVariantMap, params);
        params["use_bias"] = true;
        auto graph = buildChain({2, 4, 4}, {{"Deconv2D", params}, {"Dense", {{"units", 3}}}},
                                "SoftmaxCrossEntropy");
        QVERIFY2(graph, graph.message().c_str());
        auto model = Model::compile(graph.value());
        QVERIFY2(model, model.message().c_str());
        initializeParameters(model.value().params(), 4);
        for (Parameter& p : model.value().params().all()) // biases away from zero
            for (std::int64_t i = 0; i < p.value.size(); ++i)
                p.value[i] += 0.25f;
        matchesPytorch(model.value(), "deconv");
    }

private:
    // model.py run as a script gives NetCanvas's output for the fixed input within 1e-5.
    void matchesPytorch(Model& model, const QString& example) {
        QTemporaryDir dir;
        QVERIFY(exportPytorch(model, example.toStdString(), dir.path().toStdString()));
        for (const char* file :
             {"model.py", "weights.safetensors", "train.py", "graph.json", "README.md"})
            QVERIFY2(QFile::exists(dir.filePath(file)), file);
        if (!havePytorch())
            QSKIP("python3-torch is not installed");
        QProcess python;
        python.setWorkingDirectory(dir.path());
        python.start(kPython, {"model.py", "--json"});
        QVERIFY(python.waitForFinished(120000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const QJsonObject outputs =
            QJsonDocument::fromJson(python.readAllStandardOutput()).object();

        const Tensor x = fixedInput(model);
        auto cpu = createBackend("cpu");
        QVERIFY(cpu);
        int compared = 0;
        for (const PlanStep& step : model.steps()) {
            if (!isLoss(step.kind))
                continue;
            Executor executor(model, *cpu.value());
            ValueTap tap(model, {step.inputs[0]});
            QVERIFY(executor.forward(x, zeroTargets(model, 2), Mode::Eval, RunContext{}, &tap));
            QVERIFY(!outputs.isEmpty());
            const QJsonArray theirs = outputs.begin().value().toArray();
            const Tensor& ours = tap.kept.begin()->second;
            QCOMPARE(std::int64_t(theirs.size()), ours.size());
            double scale = 1.0, worst = 0.0;
            for (std::int64_t i = 0; i < ours.size(); ++i)
                scale = std::max(scale, double(std::abs(ours[i])));
            for (std::int64_t i = 0; i < ours.size(); ++i)
                worst = std::max(worst, std::abs(theirs[int(i)].toDouble() - ours[i]) / scale);
            QVERIFY2(worst <= 1e-5, qPrintable(QString("PyTorch differs by %1").arg(worst)));
            ++compared;
            break; // every example has one output
        }
        QCOMPARE(compared, 1);
    }

private slots:

    void torchrunTrainsWithTwoProcesses() {
        const QString mnist = QStringLiteral(NC_SOURCE_DIR) + "/../shared/data/mnist";
        if (!QDir(mnist).exists())
            QSKIP("the shared MNIST files are not there");
        if (!havePytorch())
            QSKIP("python3-torch is not installed");
        Model model = exampleWithInitialWeights("mlp");
        QTemporaryDir dir;
        QVERIFY(exportPytorch(model, "mlp", dir.path().toStdString()));
        // torchrun itself. On Debian 12 (PyTorch 1.13, Python 3.11) its launcher needs
        // --redirects/--tee other than 0: Python 3.11 no longer lists a flag enum's zero
        // member, so the default "0" maps to nothing and the launcher fails before starting.
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("OMP_NUM_THREADS", "1");
        run.setProcessEnvironment(env);
        run.setWorkingDirectory(dir.path());
        run.setProcessChannelMode(QProcess::MergedChannels);
        run.start(kPython, {"-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port",
                            "29517", "--redirects", "1", "--tee", "1", "train.py", "--data",
                            "mnist:" + mnist, "--epochs", "1", "--fresh"});
        QVERIFY(run.waitForFinished(600000));
        const QString log = run.readAll();
        QVERIFY2(run.exitCode() == 0, qPrintable(log));
        QVERIFY2(log.contains("2 process(es)"), qPrintable(log));
        const QRegularExpression loss("val_loss ([0-9.]+)");
        QList<double> losses;
        for (auto it = loss.globalMatch(log); it.hasNext();)
            losses << it.next().captured(1).toDouble();
        QVERIFY2(losses.size() == 2 && losses[1] < losses[0] * 0.8, qPrintable(log));
        QVERIFY(QFile::exists(dir.filePath("trained/weights.safetensors")));
    }

    // The loss weight of the graph (PlanStep::lossWeight, its only copy) is what model.py's
    // loss() applies: NetCanvas's weighted loss.
    void lossWeightIsExported() {
        auto graph = buildChain({4}, {{"Dense", {{"units", 3}, {"activation", "tanh"}}}}, "MSE");
        QVERIFY(graph);
        nc::graph::Graph& g = graph.value();
        QVERIFY(g.setParam(g.findByName("loss")->id, "weight", 0.25));
        Result<Model> compiled = Model::compile(g);
        QVERIFY(compiled);
        Model& model = compiled.value();
        initializeParameters(model.params(), 1);
        QTemporaryDir dir;
        QVERIFY(exportPytorch(model, "weighted", dir.path().toStdString()));
        QFile source(dir.filePath("model.py"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QVERIFY(source.readAll().contains("total = total + 0.25 * F.mse_loss("));
        if (!havePytorch())
            QSKIP("python3-torch is not installed");

        auto cpu = createBackend("cpu");
        QVERIFY(cpu);
        Executor executor(model, *cpu.value());
        QVERIFY(
            executor.forward(fixedInput(model), zeroTargets(model, 2), Mode::Eval, RunContext{}));
        const double ours = executor.totalLoss();
        QVERIFY(ours > 0);
        const QString script =
            "from model import *\n"
            "m = load_weights(Model(), 'weights.safetensors').eval()\n"
            "x = fixed_input(Model.INPUT_SHAPE)\n"
            "with torch.no_grad():\n"
            "    print(float(m.loss(m(x), x, torch.zeros(2, 3))), file=open('loss.txt', 'w'))\n";
        const QString failure = runPython(dir.path(), {"-c", script});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QFile result(dir.filePath("loss.txt"));
        QVERIFY(result.open(QIODevice::ReadOnly));
        const double theirs = result.readAll().trimmed().toDouble();
        QVERIFY2(std::abs(theirs - ours) <= 1e-5 * std::max(1.0, std::abs(ours)),
                 qPrintable(QString("PyTorch %1, NetCanvas %2").arg(theirs).arg(ours)));
    }

    // Each row: the names of the five nodes and the graph's name (the file stem).
    // Every hostile name, as node names (with the variants that clean to one identifier, and
    // in a loss's comment) and as the graph's file stem: each project imports, runs forward
    // and trains one step, writes nothing but its own files, and keeps NetCanvas's names. The
    // projects run one after another in one Python process (importing torch once).
    void hostileNamesRunNothing() {
        struct Project {
            QString dir;
            Model model;
        };
        std::vector<Project> projects;
        QTemporaryDir root;
        auto exportOne = [&](const QStringList& nodes, const QByteArray& stem) {
            Project p{root.filePath(QString("p%1").arg(projects.size(), 3, 10, QChar('0'))),
                      hostileModel(nodes)};
            QVERIFY(QDir().mkpath(p.dir));
            QVERIFY2(exportPytorch(p.model, stem.toStdString(), p.dir.toStdString()),
                     stem.constData());
            // Eight samples of three classes in data.npz, which train.py reads by default.
            Tensor x = nc::test::randomTensor({8, 1, 6, 6}, 3, 0.0f, 1.0f), y({8, 1});
            for (std::int64_t i = 0; i < 8; ++i)
                y[i] = float(i % 3);
            QVERIFY(writeNpz((p.dir + "/data.npz").toStdString(), {{"x", &x}, {"y", &y}}));
            projects.push_back(std::move(p));
        };
        for (const char* name : kHostileNames) {
            const QString h = QString::fromUtf8(name);
            // h, h + "_" and h + "." often clean to one identifier; the loss names a comment.
            exportOne({"in " + h, h, h + "_", h + ".", "loss " + h}, QByteArray(name));
        }
        for (const char* stem : kHostileStems)
            exportOne({"forward", "__init__", "_modules", "class", "x"}, QByteArray(stem));
        QVERIFY(projects.size() >= 70);
        if (!havePytorch())
            QSKIP("python3-torch is not installed");
        // model.py as a script (loads the weights, runs forward), then train.py for one step.
        const QString script =
            "import os, runpy, sys\n"
            "for d in sorted(os.listdir(sys.argv[1])):\n"
            "    os.chdir(os.path.join(sys.argv[1], d))\n"
            "    for m in ('model', 'modelsupport'):\n"
            "        sys.modules.pop(m, None)\n"
            "    sys.argv[2:] = []\n"
            "    runpy.run_path('model.py', run_name='__main__')\n"
            "    saved = sys.argv\n"
            "    sys.argv = ['train.py', '--epochs', '1', '--batch', '8', '--max-steps', '1']\n"
            "    runpy.run_path('train.py', run_name='__main__')\n"
            "    sys.argv = saved\n";
        const QString failure = runPython(root.path(), {"-c", script, root.path()}, 900000);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        for (const Project& p : projects) {
            QCOMPARE(filesUnder(p.dir),
                     (QStringList{"README.md", "data.npz", "graph.json", "model.py", "train.py",
                                  "trained/weights.safetensors", "weights.safetensors"}));
            // The trained weights keep NetCanvas's names, so they load back.
            auto trained = readSafetensors((p.dir + "/trained/weights.safetensors").toStdString());
            QVERIFY2(trained, trained.message().c_str());
            QStringList ours, theirs;
            for (const Parameter& param : p.model.params().all())
                ours << QString::fromStdString(param.name);
            for (const auto& [name, tensor] : trained.value().tensors)
                theirs << QString::fromStdString(name);
            ours.sort();
            QCOMPARE(theirs, ours);
        }
        // Nothing outside the projects either.
        QStringList top = QDir(root.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        QCOMPARE(top.size(), int(projects.size()));
    }

    // export --pytorch --data: mlp's own data spec (synthetic digits) as data.npz; train.py
    // trains on it with no --data.
    void dataNpzTrainsOutOfTheBox() {
        Model model = exampleWithInitialWeights("mlp");
        QTemporaryDir dir;
        QVERIFY(exportPytorch(model, "mlp", dir.path().toStdString()));
        QVERIFY(exportPytorchData(model, "synthetic:digits?count=96",
                                  dir.filePath("data.npz").toStdString()));
        if (!havePytorch())
            QSKIP("python3-torch is not installed");
        const QString script = "import runpy, sys\n"
                               "sys.argv = ['train.py', '--epochs', '1', '--batch', '32']\n"
                               "runpy.run_path('train.py', run_name='__main__')\n";
        const QString failure = runPython(dir.path(), {"-c", script});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY(QFile::exists(dir.filePath("trained/weights.safetensors")));
    }

    // A set larger than the cap is refused before it is loaded (estimated) or after (its
    // real size), and nothing is written.
    void dataNpzIsBounded() {
        Model model = exampleWithInitialWeights("mlp");
        QTemporaryDir dir;
        const std::string path = dir.filePath("data.npz").toStdString();
        Status s = exportPytorchData(model, "synthetic:digits?count=10000000", path);
        QVERIFY(!s);
        QVERIFY2(QString::fromStdString(s.message()).contains("estimated at"), s.message().c_str());
        QVERIFY(!exportPytorchData(model, "synthetic:digits?count=100", path, 1000));
        QVERIFY(!QFile::exists(dir.filePath("data.npz")));
        QVERIFY(exportPytorchData(model, "synthetic:digits?count=100", path));
        QVERIFY(QFile::exists(dir.filePath("data.npz")));
    }
};

QTEST_GUILESS_MAIN(TestPytorchExport)
#include "tst_pytorchexport.moc"
