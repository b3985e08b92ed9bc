// `netcanvas-cli` fed bad files and faults, as a user (or an attacker) would: every case ends
// with one clear line on stderr and exit 1 (invalid graph or data) or 2 (usage or I/O error),
// never a signal, a hang or a flood of memory.

#include "clirunner.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>
#include <zlib.h>

using nc::test::CliRun;
using nc::test::runCli;

namespace {

// Input 1x2x2 -> Dense(3) -> SoftmaxCrossEntropy: small enough to train in a blink.
const char* const kTinyGraph = R"({
  "format": "netcanvas-graph", "version": 1,
  "nodes": [
    {"id": 1, "type": "Input", "name": "input", "params": {"shape": [1, 2, 2], "target_shape": [1]}},
    {"id": 2, "type": "Dense", "name": "fc", "params": {"units": 3, "activation": "linear"}},
    {"id": 3, "type": "SoftmaxCrossEntropy", "name": "loss"}
  ],
  "edges": [
    {"from": [1, "x"], "to": [2, "in"]},
    {"from": [2, "out"], "to": [3, "logits"]},
    {"from": [1, "y"], "to": [3, "target"]}
  ]
})";

void write(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(bytes);
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray bigEndian(quint32 v) {
    QByteArray b(4, 0);
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (24 - 8 * i)) & 0xff);
    return b;
}

// The checkpoint with one metadata value replaced (the header is rewritten, the data kept).
QByteArray withMetadata(const QByteArray& checkpoint, const QString& key, const QString& value) {
    quint64 length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | quint8(checkpoint[i]);
    QJsonObject header = QJsonDocument::fromJson(checkpoint.mid(8, int(length))).object();
    QJsonObject metadata = header["__metadata__"].toObject();
    metadata[key] = value;
    header["__metadata__"] = metadata;
    QByteArray text = QJsonDocument(header).toJson(QJsonDocument::Compact);
    text.append(QByteArray((8 - text.size() % 8) % 8, ' '));
    QByteArray out(8, 0);
    for (int i = 0; i < 8; ++i)
        out[i] = char((quint64(text.size()) >> (8 * i)) & 0xff);
    return out + text + checkpoint.mid(8 + int(length));
}

// Input -> Dense -> loss, for data of any shape: `shape` the Input's, `loss` and its target.
QByteArray denseGraph(const char* shape, int units, const char* loss) {
    return QByteArray(R"({
  "format": "netcanvas-graph", "version": 1,
  "nodes": [
    {"id": 1, "type": "Input", "name": "input", "params": {"shape": )") +
           shape + R"(, "target_shape": [1]}},
    {"id": 2, "type": "Dense", "name": "fc", "params": {"units": )" +
           QByteArray::number(units) + R"(, "activation": "linear"}},
    {"id": 3, "type": ")" +
           loss + R"(", "name": "loss"}
  ],
  "edges": [
    {"from": [1, "x"], "to": [2, "in"]},
    {"from": [2, "out"], "to": [3, ")" +
           (QByteArray(loss) == "MSE" ? "prediction" : "logits") + R"("]},
    {"from": [1, "y"], "to": [3, "target"]}
  ]
})";
}

// `bytes` of lowercase words, spaces and line breaks (28 characters: char_lstm's vocabulary
// holds them).
QByteArray words(int bytes) {
    QByteArray text(bytes, ' ');
    quint32 state = 1;
    for (int i = 0; i < bytes; ++i) {
        state = state * 1664525u + 1013904223u;
        const quint32 r = state >> 24;
        text[i] = r < 40 ? ' ' : r < 44 ? '\n' : char('a' + r % 26);
    }
    return text;
}

} // namespace

class CliBadInputTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_graph, m_weights;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_graph = path("tiny.json");
        write(m_graph, kTinyGraph);
        write(path("good.csv"), "a,b,c,d,label\n0,0,1,1,0\n1,1,0,0,1\n1,0,1,0,2\n0,1,0,1,1\n");
        CliRun run = runCli({"train", m_graph, "--data", "csv:" + path("good.csv"), "--epochs", "1",
                             "--batch", "2", "--optimizer", "adam", "--out", path("run")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        m_weights = path("run/checkpoint.safetensors");

        // Files made to hurt.
        write(path("deep.json"), "{\"a\": " + QByteArray("[").repeated(100000) +
                                     QByteArray("]").repeated(100000) + ", \"b\": 1}");
        write(
            path("dup.json"),
            QByteArray(kTinyGraph).replace(R"("name": "fc",)", R"("name": "fc", "name": "fc2",)"));
        QVERIFY(QDir(m_dir.path()).mkdir("folder.json"));
        write(path("unreadable.json"), kTinyGraph);
        QVERIFY(QFile::setPermissions(path("unreadable.json"), QFileDevice::WriteOwner));
        const QByteArray checkpoint = readAll(m_weights);
        write(path("huge_steps.safetensors"),
              withMetadata(checkpoint, "optimizer_steps", "99999999999999999999"));
        write(path("text_steps.safetensors"), withMetadata(checkpoint, "optimizer_steps", "many"));
        write(path("max_steps.safetensors"),
              withMetadata(checkpoint, "optimizer_steps", "9223372036854775807"));
        write(path("huge_epoch.safetensors"), withMetadata(checkpoint, "epoch", "99999999999"));
        write(path("bad_label.csv"), "a,b,c,d,label\n0,0,1,1,0\n1,1,0,0,2.5\n");
        write(path("cat_label.csv"), "0,0,1,1,1\n1,1,0,0,cat\n");
        QVERIFY(QDir(m_dir.path()).mkpath("loop"));
        QVERIFY(QFile::link("t10k-images-idx3-ubyte", path("loop/t10k-images-idx3-ubyte")));
        QVERIFY(QDir(m_dir.path()).mkpath("corrupt"));
        write(path("corrupt/t10k-images-idx3-ubyte.gz"),
              QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + QByteArray(64, '\xff'));
        write(path("corrupt/t10k-labels-idx1-ubyte"), bigEndian(2049) + bigEndian(1) + "\x01");
        QVERIFY(QDir(m_dir.path()).mkpath("bomb"));
        {
            // A 60-byte promise, then 64 MiB of zeros in about 64 kB of gzip.
            gzFile f = gzopen(path("bomb/t10k-images-idx3-ubyte.gz").toUtf8().constData(), "wb9");
            QByteArray head =
                bigEndian(2051) + bigEndian(1) + bigEndian(2) + bigEndian(2) + QByteArray(4, 1);
            gzwrite(f, head.constData(), unsigned(head.size()));
            QByteArray zeros(1 << 20, 0);
            for (int i = 0; i < 64; ++i)
                gzwrite(f, zeros.constData(), unsigned(zeros.size()));
            gzclose(f);
        }
        write(path("bomb/t10k-labels-idx1-ubyte"), bigEndian(2049) + bigEndian(1) + "\x01");
        QVERIFY(QDir(m_dir.path()).mkpath("images/a"));
        QVERIFY(QDir(m_dir.path()).mkpath("images/b"));
        write(path("images/a/fine.png"),
              QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nG"
                                     "NgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="));
        // Graphs for the huge built-in sets, trained a moment on small ones for probes.
        write(path("digits.json"), denseGraph("[1, 28, 28]", 10, "SoftmaxCrossEntropy"));
        write(path("pictures.json"), denseGraph("[3, 64, 64]", 2, "SoftmaxCrossEntropy"));
        write(path("long.json"), denseGraph("[100000, 2]", 1, "MSE"));
        const QStringList runs[] = {
            {path("digits.json"), "synthetic:digits?count=20", "digits-run"},
            {path("long.json"), "synthetic:sequences?count=4&steps=100000", "long-run"},
            {nc::test::sourcePath("resources/examples/char_lstm.json"), "synthetic:text?count=20",
             "chars-run"}};
        for (const QStringList& r : runs) {
            CliRun trained =
                runCli({"train", r[0], "--data", r[1], "--epochs", "1", "--out", path(r[2])});
            QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        }
        write(path("big.txt"), words(20'000'000));
        write(path("images/b/huge.png"),
              QByteArray("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16) + bigEndian(100000) +
                  bigEndian(100000) + QByteArray("\x08\x00\x00\x00\x00", 5) + QByteArray(995, 0));
    }

    void cleanupTestCase() {
        QFile::setPermissions(path("unreadable.json"),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void failsCleanly_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString g = path("tiny.json"), w = path("run/checkpoint.safetensors");
        auto probe = [&](const QString& weights, const QString& input, const QString& edge = "fc") {
            return QStringList{"probe", g, "--weights", weights, "--edge", edge, "--input", input};
        };
        const QString good = "csv:" + path("good.csv") + "#0";
        // clang-format off
        QTest::newRow("check: 100000-deep JSON, then a sibling") << QStringList{"check", path("deep.json")} << 1 << path("deep.json") + ":1:134: nested deeper than 128 arrays and objects";
        QTest::newRow("check: duplicate key") << QStringList{"check", path("dup.json")} << 1 << path("dup.json") + ": nodes[1]: duplicate key \"name\"";
        QTest::newRow("check: a folder") << QStringList{"check", path("folder.json")} << 2 << "cannot read " + path("folder.json") + ": it is a folder, not a file";
        QTest::newRow("check: unreadable") << QStringList{"check", path("unreadable.json")} << 2 << "cannot open " + path("unreadable.json") + ": Permission denied";
        QTest::newRow("check: /dev/zero") << QStringList{"check", "/dev/zero"} << 1 << "/dev/zero: the file is larger than 64 MiB, the most allowed";
        QTest::newRow("probe: edge id past int64") << probe(w, good, "99999999999999999999") << 2 << "--edge: no node named or numbered \"99999999999999999999\"";
        QTest::newRow("probe: weights missing") << probe(path("none.safetensors"), good) << 2 << "cannot open " + path("none.safetensors") + ": No such file or directory";
        QTest::newRow("probe: weights a folder") << probe(m_dir.path(), good) << 2 << "it is a folder, not a file";
        QTest::newRow("probe: weights /dev/zero") << probe("/dev/zero", good) << 1 << "/dev/zero: damaged safetensors header:1:1: syntax error";
        QTest::newRow("probe: optimizer_steps past int64") << probe(path("huge_steps.safetensors"), good) << 1 << "metadata \"optimizer_steps\": 99999999999999999999 is out of range";
        QTest::newRow("probe: optimizer_steps not a number") << probe(path("text_steps.safetensors"), good) << 1 << "metadata \"optimizer_steps\": \"many\" is not a whole number";
        QTest::newRow("probe: csv /dev/zero") << probe(w, "csv:/dev/zero#0") << 1 << "/dev/zero:1: a line longer than 1 MiB";
        QTest::newRow("probe: csv missing") << probe(w, "csv:" + path("none.csv") + "#0") << 2 << "cannot open " + path("none.csv");
        QTest::newRow("probe: mnist symlink loop") << probe(w, "mnist:" + path("loop") + "#0") << 2 << "cannot read t10k-images-idx3-ubyte: Too many levels of symbolic links";
        QTest::newRow("probe: mnist corrupt gzip") << probe(w, "mnist:" + path("corrupt") + "#0") << 1 << path("corrupt/t10k-images-idx3-ubyte.gz") + ": cannot decompress: invalid block type";
        QTest::newRow("probe: mnist gzip bomb") << probe(w, "mnist:" + path("bomb") + "#0") << 1 << path("bomb/t10k-images-idx3-ubyte.gz") + ": more data than its header announces";
        QTest::newRow("probe: png claiming 100000x100000") << probe(w, "images:" + path("images") + "#0") << 1 << path("images/b/huge.png") + ": the image claims to be 100000x100000 pixels";
        QTest::newRow("train: label not a class index") << QStringList{"train", g, "--data", "csv:" + path("bad_label.csv"), "--out", path("run2")} << 1 << path("bad_label.csv") + ":3: label 2.5 is not a class index (a whole number 0..2)";
        QTest::newRow("train: label not a number") << QStringList{"train", g, "--data", "csv:" + path("cat_label.csv"), "--out", path("run2")} << 1 << path("cat_label.csv") + ":2: label \"cat\" is not a number";
        QTest::newRow("train: resume, epoch past int") << QStringList{"train", g, "--data", "csv:" + path("good.csv"), "--out", path("run2"), "--resume", path("huge_epoch.safetensors")} << 1 << "metadata \"epoch\": 99999999999 is outside 0..2147483647";
        // clang-format on
    }

    void failsCleanly() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        if (message.contains("Permission denied") && geteuid() == 0)
            QSKIP("root reads any file");
        CliRun run = runCli(args, 60000);
        QVERIFY2(run.exitCode >= 0, run.exitCode == -2 ? "crashed" : "did not finish");
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.err.count('\n'), 1); // one line
        QVERIFY2(run.err.startsWith("netcanvas-cli " + args[0] + ": "), qPrintable(run.err));
        QCOMPARE(run.exitCode, exitCode);
    }

    // Data larger than memory is refused with its size before anything is allocated (under a
    // 2 GB address space these ended in bad_alloc and a signal); a probe draws its one sample
    // alone; text holds its characters once, so 20 MB of windows at stride 1 load.
    void hugeDataIsRefusedBeforeItIsAllocated_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        auto train = [&](const QString& graph, const QString& data) {
            return QStringList{"train", graph, "--data", data, "--out", path("huge-run")};
        };
        auto probe = [&](const QString& graph, const QString& run, const QString& edge,
                         const QString& input) {
            return QStringList{"probe",  graph, "--weights", path(run + "/checkpoint.safetensors"),
                               "--edge", edge,  "--input",   input};
        };
        const QString digits = path("digits.json"), pictures = path("pictures.json"),
                      sequences = path("long.json"),
                      chars = nc::test::sourcePath("resources/examples/char_lstm.json");
        // clang-format off
        QTest::newRow("train: 10^7 digits, the documented maximum") << train(digits, "synthetic:digits?count=10000000") << 1 << "synthetic:digits?count=10000000 needs 31.4 GB of memory, but ";
        QTest::newRow("train: 3,000,000 digits") << train(digits, "synthetic:digits?count=3000000") << 1 << "synthetic:digits?count=3000000 needs 9.4 GB of memory, but ";
        QTest::newRow("train: 10^6 shapes") << train(pictures, "synthetic:shapes?count=1000000") << 1 << "synthetic:shapes?count=1000000 needs 49.2 GB of memory, but ";
        QTest::newRow("train: 10^7 sequences of 10^5 steps") << train(sequences, "synthetic:sequences?count=10000000&steps=100000") << 1 << "needs 8.0 TB of memory, but ";
        QTest::newRow("probe: digit #3 of 10^7") << probe(digits, "digits-run", "fc", "synthetic:digits?count=10000000#3") << 0 << "";
        QTest::newRow("probe: sequence #3 of 10^7 of 10^5 steps") << probe(sequences, "long-run", "fc", "synthetic:sequences?count=10000000&steps=100000#3") << 0 << "";
        QTest::newRow("probe: digit past the end") << probe(digits, "digits-run", "fc", "synthetic:digits?count=10#10") << 1 << "synthetic:digits?count=10 has 10 samples; #10 is past the end";
        QTest::newRow("probe: 20 MB of text at stride 1") << probe(chars, "chars-run", "lstm", "text:" + path("big.txt") + "?stride=1#3") << 0 << "";
        // clang-format on
    }

    void hugeDataIsRefusedBeforeItIsAllocated() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        // Without the cap (`make sanitize`) a set of 9.4 GB fits this machine and is built.
        if (qEnvironmentVariableIsSet("NETCANVAS_TEST_NO_ADDRESS_LIMIT") &&
            QByteArray(QTest::currentDataTag()).contains("3,000,000"))
            QSKIP("needs the 2 GB address-space cap, which ASan cannot run under");
        CliRun run = nc::test::runCliWithin(2'000'000'000, args, 60000);
        QVERIFY2(run.exitCode >= 0, run.exitCode == -2 ? "crashed" : "did not finish");
        QVERIFY2(run.exitCode == exitCode, qPrintable(run.err));
        if (exitCode == 0)
            return;
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.err.count('\n'), 1); // one line
        QVERIFY2(run.err.startsWith("netcanvas-cli " + args[0] + ": "), qPrintable(run.err));
        QVERIFY(!QDir(path("huge-run")).exists());
    }

    // 2^63-1 steps resume: Adam's bias correction and the step counter must not overflow.
    void resumeAtTheLargestStepCount() {
        CliRun run = runCli({"train", m_graph, "--data", "csv:" + path("good.csv"), "--epochs", "2",
                             "--batch", "2", "--optimizer", "adam", "--out", path("run3"),
                             "--resume", path("max_steps.safetensors"), "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject epoch =
            QJsonDocument::fromJson(run.out.split('\n', Qt::SkipEmptyParts).last().toUtf8())
                .object();
        QCOMPARE(epoch["epoch"].toInt(), 2);
        QVERIFY(std::isfinite(epoch["train_loss"].toDouble()));
    }
};

QTEST_GUILESS_MAIN(CliBadInputTest)
#include "tst_clibadinput.moc"
