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
