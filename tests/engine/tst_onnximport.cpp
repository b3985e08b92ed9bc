// ONNX import against outside judges and hostile files. Models in TensorFlow and Keras's style
// (auto_pad SAME_UPPER, SAME_LOWER and VALID on Conv and the pools; Gemm with every broadcast
// form of C, alpha, beta and transB), made by onnx_cases.py with python3-onnx, imported and run
// by NetCanvas, give ONNX Runtime's outputs (npm onnxruntime-node, installed by
// scripts/install-deps.sh --test into .judges/) within 1e-5. Over 200 malformed files, one
// class of damage each, are refused with a message naming the file and what is wrong, or
// imported; none crashes, hangs or reads past a tensor's end (run them under ASan and UBSan:
// docs/export.md).

#include "importtesting.h"

#include "engine/export/onnximporter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace nc::engine;
using nc::test::readBytes;
using nc::test::runImported;

namespace {

QString systemPython() {
    QString python = QStandardPaths::findExecutable("python3", {"/usr/bin"});
    return python.isEmpty() ? QStandardPaths::findExecutable("python3") : python;
}

bool run(const QString& program, const QStringList& args, QString& error,
         const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        error = QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return true;
}

Result<OnnxImport> importFile(const QString& path) {
    const QByteArray bytes = readBytes(path);
    return importOnnx(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                      QFileInfo(path).fileName().toStdString());
}

} // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_python;

private slots:
    void initTestCase() {
        m_python = systemPython();
        if (m_python.isEmpty() || QProcess::execute(m_python, {"-c", "import onnx, numpy"}) != 0)
            QSKIP("python3-onnx is not installed");
        QVERIFY(m_dir.isValid());
    }

    void matchesOnnxRuntime() {
        const QString judges = QStringLiteral(NC_SOURCE_DIR) + "/.judges/node_modules";
        const QString node = QStandardPaths::findExecutable("node");
        if (node.isEmpty() || !QFileInfo::exists(judges + "/onnxruntime-node"))
            QSKIP("node or onnxruntime-node (scripts/install-deps.sh --test) is missing");
        const QString dir = m_dir.filePath("judge");
        const QString script = QStringLiteral(NC_SOURCE_DIR) + "/tests/engine/";
        QString error;
        QVERIFY2(run(m_python, {script + "onnx_cases.py", "judge", dir}, error), qPrintable(error));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("NODE_PATH", judges);
        QVERIFY2(run(node, {script + "ort_run.js", dir}, error, env), qPrintable(error));
        QFile table(dir + "/judge.tsv");
        QVERIFY(table.open(QIODevice::ReadOnly));
        int checked = 0;
        for (const QByteArray& line : table.readAll().trimmed().split('\n')) {
            const QList<QByteArray> fields = line.split('\t');
            const QString name = QString::fromUtf8(fields[0]);
            Dims shape;
            for (const QByteArray& d : fields[1].split(','))
                shape.push_back(d.toLongLong());
            auto imported = importFile(dir + "/" + name + ".onnx");
            QVERIFY2(imported, imported.message().c_str());
            Tensor x(shape);
            const QByteArray input = readBytes(dir + "/" + name + ".input.bin");
            QCOMPARE(qint64(input.size()), qint64(x.size() * 4));
            std::memcpy(x.data(), input.constData(), std::size_t(input.size()));
            auto ours = runImported(imported.value(), x);
            QVERIFY2(ours, qPrintable(name + ": " + QString::fromStdString(ours.message())));
            const QByteArray theirs = readBytes(dir + "/" + name + ".ort.bin");
            QVERIFY2(qint64(theirs.size()) == ours.value().size() * 4,
                     qPrintable(name + ": another output size than ONNX Runtime's"));
            const float* expected = reinterpret_cast<const float*>(theirs.constData());
            for (std::int64_t i = 0; i < ours.value().size(); ++i) {
                const float a = ours.value()[i], b = expected[i];
                QVERIFY2(std::abs(a - b) <= 1e-5f * std::max(1.0f, std::abs(b)),
                         qPrintable(QString("%1 value %2: %3, ONNX Runtime %4")
                                        .arg(name)
                                        .arg(i)
                                        .arg(a)
                                        .arg(b)));
            }
            ++checked;
        }
        QVERIFY(checked >= 50);
    }

    // The ONNX repository's operator tests (Debian's libonnx-testdata: a model, its inputs and
    // its expected outputs per test): every one imports and gives the expected outputs within
    // 1e-5, or is refused with a line naming the file and the node or input.
    void operatorTestsImportRightOrAreRefused() {
        const QDir root("/usr/share/libonnx-testdata/data/node");
        if (!root.exists())
            QSKIP("libonnx-testdata is not installed");
        int imported = 0, refused = 0;
        QStringList matched;
        for (const QString& test : root.entryList({"test_*"}, QDir::Dirs)) {
            const QString dir = root.filePath(test);
            // Inputs after the first (weights, biases, shapes) become initializers holding the
            // test's values: NetCanvas graphs have one input, and weights are constants.
            onnx::ModelProto proto;
            const QByteArray original = readBytes(dir + "/model.onnx");
            QVERIFY2(proto.ParseFromArray(original.constData(), int(original.size())),
                     qPrintable(test));
            auto* inputs = proto.mutable_graph()->mutable_input();
            for (int i = inputs->size() - 1; i >= 1; --i) {
                const QByteArray value =
                    readBytes(dir + QString("/test_data_set_0/input_%1.pb").arg(i));
                onnx::TensorProto* t = proto.mutable_graph()->add_initializer();
                if (!t->ParseFromArray(value.constData(), int(value.size())) || value.isEmpty()) {
                    proto.mutable_graph()->mutable_initializer()->RemoveLast();
                    continue;
                }
                t->set_name(inputs->Get(i).name());
                inputs->DeleteSubrange(i, 1);
            }
            std::string bytes;
            proto.SerializeToString(&bytes);
            if (qEnvironmentVariableIsSet("NC_TRACE"))
                qInfo("%s", qPrintable(test));
            auto graph = importOnnx(bytes, "model.onnx");
            if (!graph) {
                const QString message = QString::fromStdString(graph.message());
                QVERIFY2(message.startsWith("model.onnx: ") && !message.contains('\n'),
                         qPrintable(test + ": " + message));
                ++refused;
                continue;
            }
            onnx::TensorProto input, output;
            const QByteArray in = readBytes(dir + "/test_data_set_0/input_0.pb");
            const QByteArray out = readBytes(dir + "/test_data_set_0/output_0.pb");
            QVERIFY2(input.ParseFromArray(in.constData(), int(in.size())), qPrintable(test));
            QVERIFY2(output.ParseFromArray(out.constData(), int(out.size())), qPrintable(test));
            auto x = onnximport::tensorOf(input);
            auto expected = onnximport::tensorOf(output);
            QVERIFY2(x && expected, qPrintable(test));
            auto ours = runImported(graph.value(), x.value());
            QVERIFY2(ours, qPrintable(test + ": " + QString::fromStdString(ours.message())));
            QVERIFY2(ours.value().size() == expected.value().size(),
                     qPrintable(test + ": another output size than the test's"));
            for (std::int64_t i = 0; i < ours.value().size(); ++i) {
                const float a = ours.value()[i], b = expected.value()[i];
                QVERIFY2(
                    std::abs(a - b) <= 1e-5f * std::max(1.0f, std::abs(b)),
                    qPrintable(
                        QString("%1 value %2: %3, expected %4").arg(test).arg(i).arg(a).arg(b)));
            }
            ++imported;
            matched << test;
        }
        qInfo("%d operator tests imported and matched, %d refused by name", imported, refused);
        qInfo("%s", qPrintable(matched.join(' ')));
        QVERIFY(imported >= 20);
    }

    // Each malformed file is refused by name (the file, then the node or tensor and what is
    // wrong, on one line), or, where only random damage was done, imported.
    void refusesHostileFilesByName() {
        const QString dir = m_dir.filePath("hostile");
        QString error;
        QVERIFY2(
            run(m_python,
                {QStringLiteral(NC_SOURCE_DIR) + "/tests/engine/onnx_cases.py", "hostile", dir},
                error),
            qPrintable(error));
        QFile table(dir + "/hostile.tsv");
        QVERIFY(table.open(QIODevice::ReadOnly));
        int refused = 0, cases = 0;
        for (const QByteArray& line : table.readAll().trimmed().split('\n')) {
            const QList<QByteArray> fields = line.split('\t');
            const QString name = QString::fromUtf8(fields[0]), expect = fields[1];
            const QString fragment = fields.size() > 2 ? QString::fromUtf8(fields[2]) : QString();
            QElapsedTimer clock;
            clock.start();
            auto imported = importFile(dir + "/" + name + ".onnx");
            ++cases;
            if (expect == "import") {
                QVERIFY2(imported, qPrintable(name + ": " + imported.message().c_str()));
                continue;
            }
            if (imported) {
                QVERIFY2(expect == "either", qPrintable(name + " was imported"));
                continue;
            }
            ++refused;
            const QString message = QString::fromStdString(imported.message());
            QVERIFY2(message.startsWith(name + ".onnx: "), qPrintable(message));
            QVERIFY2(!message.contains('\n'), qPrintable(message));
            QVERIFY2(message.contains(fragment),
                     qPrintable(name + ": \"" + message + "\" does not name " + fragment));
        }
        QVERIFY2(cases >= 200, qPrintable(QString::number(cases)));
        QVERIFY(refused >= 150);
    }
};

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "tst_onnximport.moc"
