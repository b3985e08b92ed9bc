// PyTorch export: for every example, `python3 model.py --json` (Debian's PyTorch) gives
// NetCanvas's outputs for the same fixed input with the same weights; and the exported
// train.py trains under torchrun as two DistributedDataParallel processes on gloo, the
// validation loss going down
// (on the shared MNIST files). Skipped where PyTorch or the data is missing.

#include "exporttesting.h"

#include "engine/backendlist.h"
#include "engine/executor.h"
#include "engine/export/pytorchexport.h"
#include "engine/model.h"
#include "engine/observer.h"
#include "engine/parameterstore.h"
#include "engine/probe/edgeprobe.h"

#include "graph_model/graphjson.h"

#include <QDir>
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

} // namespace

class TestPytorchExport : public QObject {
    Q_OBJECT

private slots:
    void modelPyMatchesNetCanvas_data() { addNameRows("example", kExamples); }

    void modelPyMatchesNetCanvas() {
        QFETCH(QString, example);
        Model model = exampleWithInitialWeights(example);
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
};

QTEST_GUILESS_MAIN(TestPytorchExport)
#include "tst_pytorchexport.moc"
