// Datasets: the built-in generators, the file readers, the split, a clear error for every
// kind of bad data, and memory: estimated before loading, refused when it would not fit.

#include "addressspacelimit.h"

#include "engine/data/datasize.h"
#include "engine/data/dataspec.h"
#include "engine/threading.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <unistd.h>
#include <zlib.h>

using namespace nc::engine;

namespace {

QByteArray bigEndian(quint32 v) {
    QByteArray b(4, 0);
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (24 - 8 * i)) & 0xff);
    return b;
}

void writeFile(const QString& path, const QByteArray& bytes, bool gzip = false) {
    if (gzip) {
        gzFile f = gzopen(path.toUtf8().constData(), "wb");
        gzwrite(f, bytes.constData(), unsigned(bytes.size()));
        gzclose(f);
        return;
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// An IDX pair of `n` 2x2 images (pixel value = image index) with labels i % 3.
void writeIdx(const QString& dir, int n, bool gzip, int labelCount = -1, int imageMagic = 2051) {
    QByteArray images =
        bigEndian(quint32(imageMagic)) + bigEndian(quint32(n)) + bigEndian(2) + bigEndian(2);
    for (int i = 0; i < n; ++i)
        images += QByteArray(4, char(i));
    if (labelCount < 0)
        labelCount = n;
    QByteArray labels = bigEndian(2049) + bigEndian(quint32(labelCount));
    for (int i = 0; i < labelCount; ++i)
        labels += char(i % 3);
    const QString suffix = gzip ? ".gz" : "";
    writeFile(dir + "/t10k-images-idx3-ubyte" + suffix, images, gzip);
    writeFile(dir + "/t10k-labels-idx1-ubyte" + suffix, labels, gzip);
}

QByteArray tinyPng() {
    return QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQ"
                                  "VR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==");
}

QString errorOf(const std::string& spec, const Dims& dims) {
    auto data = loadDataset(spec, dims);
    return data ? QString() : QString::fromStdString(data.message());
}

} // namespace

class DatasetsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setThreadCount(2); }

    void syntheticDigitsAreFastAndDeterministic() {
        const auto start = std::chrono::steady_clock::now();
        auto a = loadDataset("synthetic:digits", {1, 28, 28});
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY2(a.isOk(), a.message().c_str());
        QCOMPARE(a.value().size(), std::int64_t(10000));
        QCOMPARE(a.value().classes, std::int64_t(10));
        qInfo("10,000 synthetic digits in %.2f s", seconds); // reported, not asserted
        auto b = loadDataset("synthetic:digits?count=50", {1, 28, 28});
        auto c = loadDataset("synthetic:digits?count=50&seed=2", {1, 28, 28});
        const Dataset::Tables ta = a.value().tables(), tb = b.value().tables(),
                              tc = c.value().tables();
        QVERIFY(std::equal(tb.samples.data(), tb.samples.data() + tb.samples.size(),
                           ta.samples.data())); // image i depends on (seed, i) only
        QVERIFY(!std::equal(tb.samples.data(), tb.samples.data() + tb.samples.size(),
                            tc.samples.data()));
        float lo = 1, hi = 0;
        for (std::int64_t i = 0; i < tb.samples.size(); ++i) {
            lo = std::min(lo, tb.samples[i]);
            hi = std::max(hi, tb.samples[i]);
        }
        QVERIFY(lo >= 0.0f && hi <= 1.0f && hi > 0.9f);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(tb.targets[i], float(i % 10));
    }

    void syntheticShapes() {
        auto data = loadDataset("synthetic:shapes?count=8", {3, 64, 64});
        QVERIFY2(data.isOk(), data.message().c_str());
        QCOMPARE(data.value().sampleDims(), Dims({3, 64, 64}));
        QCOMPARE(data.value().classes, std::int64_t(2));
    }

    void syntheticSequenceTasks() {
        // task, Input shape, classes: each task's sequences and what its targets mean.
        struct Case {
            const char* task;
            Dims dims;
            std::int64_t classes;
        };
        for (const Case& c : {Case{"adding", {50, 2}, 0}, Case{"parity", {10, 1}, 2},
                              Case{"recall", {20, 9}, 8}, Case{"sine", {32, 1}, 4}}) {
            const std::string spec = std::string("synthetic:sequences?count=64&task=") + c.task;
            auto data = loadDataset(spec, c.dims);
            QVERIFY2(data.isOk(), data.message().c_str());
            const Dataset& d = data.value();
            QCOMPARE(d.sampleDims(), c.dims);
            QCOMPARE(d.classes, c.classes);
            QCOMPARE(d.size(), std::int64_t(64));
            auto again = loadDataset(spec, c.dims);
            const Dataset::Tables rows = d.tables(), rowsAgain = again.value().tables();
            QVERIFY(std::equal(rows.samples.data(), rows.samples.data() + rows.samples.size(),
                               rowsAgain.samples.data()));
            const std::int64_t steps = c.dims[0], f = c.dims[1];
            for (std::int64_t i = 0; i < d.size(); ++i) {
                const float* s = rows.samples.data() + i * steps * f;
                const float target = rows.targets[i];
                if (std::string(c.task) == "adding") { // the sum of the two marked values
                    float sum = 0.0f;
                    int marks = 0;
                    for (std::int64_t t = 0; t < steps; ++t)
                        if (s[2 * t + 1] == 1.0f) {
                            sum += s[2 * t];
                            ++marks;
                        }
                    QCOMPARE(marks, 2);
                    QCOMPARE(target, sum);
                } else if (std::string(c.task) == "parity") {
                    int ones = 0;
                    for (std::int64_t t = 0; t < steps; ++t)
                        ones += s[t] == 1.0f;
                    QCOMPARE(target, float(ones % 2));
                } else if (std::string(c.task) == "recall") { // the first step's symbol
                    QCOMPARE(s[std::int64_t(target)], 1.0f);
                    QCOMPARE(s[(steps - 1) * f + 8], 1.0f); // the recall marker at the end
                }
            }
        }
        // The length follows the Input unless ?steps= says otherwise.
        auto longer = loadDataset("synthetic:sequences?task=parity&count=4", {25, 1});
        QVERIFY2(longer.isOk(), longer.message().c_str());
        QCOMPARE(longer.value().sampleDims(), Dims({25, 1}));
        auto fixed = loadDataset("synthetic:sequences?task=parity&steps=7&count=4", {25, 1});
        QVERIFY(!fixed.isOk());
        QVERIFY2(fixed.message().find("gives 7x1 samples, but the graph's Input expects 25x1") !=
                     std::string::npos,
                 fixed.message().c_str());
    }

    void digitsAsRows() {
        auto data = loadDataset("synthetic:digits?count=20&rows", {28, 28});
        QVERIFY2(data.isOk(), data.message().c_str());
        QCOMPARE(data.value().sampleDims(), Dims({28, 28}));
        auto images = loadDataset("synthetic:digits?count=20", {1, 28, 28});
        const Dataset::Tables pictures = images.value().tables(), rows = data.value().tables();
        QCOMPARE(rows.samples.dims(), Dims({20, 28, 28}));
        QVERIFY(std::equal(pictures.samples.data(),
                           pictures.samples.data() + pictures.samples.size(), rows.samples.data()));
    }

    // Windows of characters whose targets are the next characters; the vocabulary is the
    // file's characters in code point order, multi-byte UTF-8 included.
    void textWindows() {
        QTemporaryDir dir;
        const QString file = dir.filePath("tiny.txt");
        writeFile(file, QString("abcab\u00e9ab").toUtf8()); // 8 characters, 9 bytes
        auto data = loadDataset("text:" + file.toStdString(), {3});
        QVERIFY2(data.isOk(), data.message().c_str());
        const Dataset& d = data.value();
        QCOMPARE(d.vocabulary.tokens(), std::vector<std::string>({"a", "b", "c", "\u00e9"}));
        QCOMPARE(d.classes, std::int64_t(4));
        QCOMPARE(d.size(), std::int64_t(2)); // windows at 0 and 3; the one at 6 has no next
        QCOMPARE(d.sampleDims(), Dims({3}));
        QCOMPARE(d.targetDims(), Dims({3}));
        const Dataset::Tables t = d.tables(); // the windows, written out
        QVERIFY(!d.holdsTables());
        const std::vector<float> x(t.samples.data(), t.samples.data() + 6);
        const std::vector<float> y(t.targets.data(), t.targets.data() + 6);
        QCOMPARE(x, std::vector<float>({0, 1, 2, 0, 1, 3}));
        QCOMPARE(y, std::vector<float>({1, 2, 0, 1, 3, 0}));
        auto overlapping = loadDataset("text:" + file.toStdString() + "?stride=1", {3});
        QCOMPARE(overlapping.value().size(), std::int64_t(5));
        auto longer = loadDataset("text:" + file.toStdString() + "?steps=7", {7});
        QCOMPARE(longer.value().size(), std::int64_t(1));
        // The split keeps the vocabulary, for the run folder.
        QCOMPARE(splitTail(d, 0.5).second.vocabulary.size(), 4);
    }

    void vocabularyRoundTripsAndRefusesUnknownCharacters() {
        auto v = Vocabulary::fromText("hello, w\u00f6rld\n", "t");
        QVERIFY2(v.isOk(), v.message().c_str());
        auto back = Vocabulary::parseJson(v.value().toJson(), "vocabulary.json");
        QVERIFY2(back.isOk(), back.message().c_str());
        QCOMPARE(back.value().tokens(), v.value().tokens());
        auto tokens = back.value().encode("w\u00f6rld", "prime");
        QVERIFY2(tokens.isOk(), tokens.message().c_str());
        QCOMPARE(back.value().decode(tokens.value()), std::string("w\u00f6rld"));
        QCOMPARE(back.value().encode("wax", "--prime").message(),
                 std::string("--prime: character 1, 'a', is not in the vocabulary of 11 "
                             "characters"));
        QCOMPARE(Vocabulary::fromText("ok\xff", "f.txt").message(),
                 std::string("f.txt: byte 2 is not valid UTF-8 (save the text as UTF-8)"));
        QCOMPARE(Vocabulary::fromText("", "f.txt").message(),
                 std::string("f.txt: the text is empty"));
        for (const char* bad : {"[]", "{\"format\": \"netcanvas-vocabulary\", \"version\": 1}",
                                "{\"format\": \"netcanvas-vocabulary\", \"version\": 1, "
                                "\"tokens\": [\"a\", \"ab\"]}",
                                "{\"format\": \"netcanvas-vocabulary\", \"version\": 1, "
                                "\"tokens\": [\"a\", \"a\"]}"})
            QVERIFY2(!Vocabulary::parseJson(bad, "v.json").isOk(), bad);
        QCOMPARE(Vocabulary::parseJson("{\"format\": \"netcanvas-vocabulary\", \"version\": 1, "
                                       "\"tokens\": [\"a\", \"ab\"]}",
                                       "v.json")
                     .message(),
                 std::string("v.json: tokens[1] must be exactly one character"));
    }

    // The built-in stories: always the same 38 characters, exactly `count` windows, the same
    // text for the same seed.
    void syntheticText() {
        auto few = loadDataset("synthetic:text?count=3", {64});
        QVERIFY2(few.isOk(), few.message().c_str());
        QCOMPARE(few.value().size(), std::int64_t(3));
        QCOMPARE(few.value().vocabulary.size(), 38);
        QCOMPARE(few.value().classes, std::int64_t(38));
        auto many = loadDataset("synthetic:text?count=500", {64});
        QCOMPARE(many.value().vocabulary.tokens(), few.value().vocabulary.tokens());
        const Dataset::Tables tFew = few.value().tables(), tMany = many.value().tables();
        QVERIFY(
            std::equal(tFew.samples.data(), tFew.samples.data() + 3 * 64, tMany.samples.data()));
        const std::string text = many.value().vocabulary.decode(
            std::vector<int>(tMany.samples.data(), tMany.samples.data() + 64));
        QVERIFY2(text.find(". ") != std::string::npos || text.find('\n') != std::string::npos,
                 text.c_str());
        auto reseeded = loadDataset("synthetic:text?count=3&seed=2", {64});
        QVERIFY(!std::equal(tFew.samples.data(), tFew.samples.data() + 64,
                            reseeded.value().tables().samples.data()));
    }

    // A per-step classifier's targets: negative classes are padding, others must fit.
    void perStepLabelsAllowPadding() {
        Tensor targets({2, 3});
        const float labels[] = {0, 1, -1, 2, -1, -1};
        std::copy(std::begin(labels), std::end(labels), targets.data());
        Dataset d(Tensor({2, 3}), targets);
        d.name = "steps";
        QVERIFY(checkClassLabels(d, 3, true).isOk());
        targets[4] = 3;
        Dataset bad(Tensor({2, 3}), targets);
        bad.name = "steps";
        QCOMPARE(checkClassLabels(bad, 3, true).message(),
                 std::string("steps: sample 1, step 1: class 3 is outside the classifier's 3 "
                             "classes (0..2, or negative for padding)"));
    }

    void mnistRawAndGzip() {
        for (bool gzip : {false, true}) {
            QTemporaryDir dir;
            writeIdx(dir.path(), 5, gzip);
            auto data = loadDataset("mnist:" + dir.path().toStdString(), {1, 2, 2});
            QVERIFY2(data.isOk(), data.message().c_str());
            QCOMPARE(data.value().size(), std::int64_t(5));
            const Dataset::Tables t = data.value().tables();
            QCOMPARE(t.samples[3 * 4], 3.0f / 255.0f);
            QCOMPARE(t.targets[4], 1.0f);
            QCOMPARE(data.value().classes, std::int64_t(3));
        }
    }

    void realMnistWhenPresent() {
        const QString dir = QStringLiteral(NC_SOURCE_DIR) + "/../shared/data/mnist";
        if (!QDir(dir).exists())
            QSKIP("../shared/data/mnist is not present");
        auto data = loadDataset("mnist:" + dir.toStdString(), {1, 28, 28});
        QVERIFY2(data.isOk(), data.message().c_str());
        QCOMPARE(data.value().size(), std::int64_t(10000));
        QCOMPARE(data.value().tables().targets[0], 7.0f); // the first test digit is a 7
        auto rows = loadDataset("mnist:" + dir.toStdString() + "?rows", {28, 28});
        QVERIFY2(rows.isOk(), rows.message().c_str());
        QCOMPARE(rows.value().sampleDims(), Dims({28, 28}));
        QCOMPARE(rows.value().tables().samples[300], data.value().tables().samples[300]);
    }

    void splitHoldsOutTheTailInOrder() {
        auto data = loadDataset("synthetic:digits?count=100", {1, 28, 28});
        auto [train, val] = splitTail(data.value(), 0.2);
        QCOMPARE(train.size(), std::int64_t(80));
        QCOMPARE(val.size(), std::int64_t(20));
        const Dataset::Tables whole = data.value().tables(), held = val.tables();
        QCOMPARE(held.targets[0], whole.targets[80]);
        QVERIFY(std::equal(held.samples.data(), held.samples.data() + held.samples.size(),
                           whole.samples.data() + 80 * 784));
        QCOMPARE(held.samples.data(), whole.samples.data() + 80 * 784); // a view, not a copy
    }

    void csv() {
        QTemporaryDir dir;
        writeFile(dir.filePath("ok.csv"), "a,b,label\n1,2,0\n3.5,-4,1\n\n5,6,1\n");
        auto data = loadDataset("csv:" + dir.filePath("ok.csv").toStdString(), {2});
        QVERIFY2(data.isOk(), data.message().c_str());
        QCOMPARE(data.value().size(), std::int64_t(3));
        QCOMPARE(data.value().tables().samples[2], 3.5f);
        QCOMPARE(data.value().classes, std::int64_t(2));
    }

    void badData_data() {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad magic")
            << "magic"
            << "t10k-images-idx3-ubyte: bad magic number 1234 (expected an IDX image file, 2051)";
        QTest::newRow("truncated images") << "truncated"
                                          << "t10k-images-idx3-ubyte: truncated: its header "
                                             "announces 5x2x2 = 20 bytes of data, the file has 13";
        QTest::newRow("count mismatch") << "count"
                                        << "t10k-labels-idx1-ubyte: 4 labels for 5 images";
        QTest::newRow("no idx files")
            << "empty"
            << ": no train-images-idx3-ubyte/train-labels-idx1-ubyte (or t10k-) pair";
        QTest::newRow("ragged csv row") << "ragged"
                                        << "bad.csv:3: expected 3 fields, found 2";
        QTest::newRow("non-numeric csv field") << "text"
                                               << "bad.csv:2: field 2 \"x7\" is not a number";
        QTest::newRow("csv feature count")
            << "features"
            << "bad.csv: rows have 2 features, but the Input expects 4";
        QTest::newRow("undecodable image") << "image"
                                           << "b/broken.png: cannot decode this image";
        QTest::newRow("one class folder")
            << "oneclass"
            << "needs one subfolder per class, and at least two classes";
        QTest::newRow("unknown kind") << "kind"
                                      << "unknown data kind \"hdf5\"";
        QTest::newRow("unknown synthetic") << "synthetic"
                                           << "unknown synthetic dataset \"faces\"";
        QTest::newRow("bad option") << "option"
                                    << "unknown option \"colour=red\"";
        QTest::newRow("unknown task") << "task"
                                      << "synthetic:sequences: unknown task \"sorting\" (adding, "
                                         "parity, recall or sine)";
        QTest::newRow("bad steps") << "steps"
                                   << "\"steps=0\" needs a whole number from 1 to 100000";
        QTest::newRow("mnist option") << "mnistoption"
                                      << "unknown option \"columns\" (known: rows)";
        QTest::newRow("text too short") << "shorttext"
                                        << "short.txt: 3 characters are too few for one window "
                                           "of 8 steps and its next character";
        QTest::newRow("text not utf-8") << "binarytext"
                                        << "binary.txt: byte 1 is not valid UTF-8";
        QTest::newRow("text option") << "textoption"
                                     << "unknown option \"window=3\" (known: steps, stride)";
        QTest::newRow("wrong shape") << "shape"
                                     << "synthetic:digits?count=3 gives 1x28x28 samples, but the "
                                        "graph's Input expects 3x64x64";
    }

    void badData() {
        QFETCH(QString, setup);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString();
        QString error;
        if (setup == "magic") {
            writeIdx(dir.path(), 5, false, -1, 1234);
            error = errorOf("mnist:" + path, {1, 2, 2});
        } else if (setup == "truncated") {
            writeIdx(dir.path(), 5, true);
            QFile f(dir.filePath("t10k-images-idx3-ubyte.gz"));
            QByteArray whole;
            {
                gzFile g = gzopen(f.fileName().toUtf8().constData(), "rb");
                char buffer[256];
                int n = gzread(g, buffer, sizeof buffer);
                whole = QByteArray(buffer, n);
                gzclose(g);
            }
            QFile::remove(f.fileName());
            writeFile(dir.filePath("t10k-images-idx3-ubyte"), whole.left(29));
            error = errorOf("mnist:" + path, {1, 2, 2});
        } else if (setup == "count") {
            writeIdx(dir.path(), 5, false, 4);
            error = errorOf("mnist:" + path, {1, 2, 2});
        } else if (setup == "empty") {
            error = errorOf("mnist:" + path, {1, 2, 2});
        } else if (setup == "ragged" || setup == "text" || setup == "features") {
            writeFile(dir.filePath("bad.csv"), setup == "ragged" ? "1,2,0\n3,4,1\n5,1\n"
                                               : setup == "text" ? "1,2,0\n3,x7,1\n"
                                                                 : "1,2,0\n");
            error = errorOf("csv:" + dir.filePath("bad.csv").toStdString(),
                            {setup == "features" ? 4 : 2});
        } else if (setup == "image" || setup == "oneclass") {
            QDir(dir.path()).mkpath("a");
            writeFile(dir.filePath("a/fine.png"),
                      QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQ"
                                             "VR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="));
            if (setup == "image") {
                QDir(dir.path()).mkpath("b");
                writeFile(dir.filePath("b/broken.png"), "not a png at all");
            }
            error = errorOf("images:" + path, {1, 8, 8});
        } else if (setup == "kind") {
            error = errorOf("hdf5:/tmp/x", {1});
        } else if (setup == "synthetic") {
            error = errorOf("synthetic:faces", {1});
        } else if (setup == "option") {
            error = errorOf("synthetic:digits?colour=red", {1, 28, 28});
        } else if (setup == "task") {
            error = errorOf("synthetic:sequences?task=sorting", {10, 1});
        } else if (setup == "steps") {
            error = errorOf("synthetic:sequences?steps=0", {10, 2});
        } else if (setup == "mnistoption") {
            error = errorOf("mnist:" + path + "?columns", {28, 28});
        } else if (setup == "shorttext") {
            writeFile(dir.filePath("short.txt"), "abc");
            error = errorOf("text:" + dir.filePath("short.txt").toStdString(), {8});
        } else if (setup == "binarytext") {
            writeFile(dir.filePath("binary.txt"), QByteArray("a\x80\x81", 3));
            error = errorOf("text:" + dir.filePath("binary.txt").toStdString(), {2});
        } else if (setup == "textoption") {
            error = errorOf("text:/tmp/x.txt?window=3", {2});
        } else if (setup == "shape") {
            error = errorOf("synthetic:digits?count=3", {3, 64, 64});
        }
        QVERIFY2(!error.isEmpty(), "no error");
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    // Files made to hurt: each gives a message naming the file, never a crash, a hang or a
    // huge allocation. `io`: the failure is about reaching the data (exit 2), not its content.
    void hostileData_data() {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("io");
        // clang-format off
        QTest::newRow("corrupt gzip") << "corrupt gz" << "t10k-images-idx3-ubyte.gz: cannot decompress: invalid block type" << false;
        QTest::newRow("gzip bomb after a small header") << "bomb" << "t10k-images-idx3-ubyte.gz: more data than its header announces (5x2x2 = 20 bytes)" << false;
        QTest::newRow("header claims 4 billion images") << "huge count" << "t10k-images-idx3-ubyte: its header announces 4294967295x... values, more than the 268435456 allowed" << false;
        QTest::newRow("truncated header") << "short header" << "t10k-images-idx3-ubyte: truncated header: an IDX image file starts with 16 bytes, this one has 10" << false;
        QTest::newRow("header cut inside the magic") << "3 bytes" << "t10k-images-idx3-ubyte: truncated header: an IDX image file starts with 16 bytes, this one has 3" << false;
        QTest::newRow("symlink loop in mnist") << "mnist loop" << ": cannot read t10k-images-idx3-ubyte: Too many levels of symbolic links" << true;
        QTest::newRow("mnist folder missing") << "mnist missing" << "/nowhere: not a folder" << true;
        QTest::newRow("symlink loop in images") << "images loop" << "b/loop.png: Too many levels of symbolic links" << true;
        QTest::newRow("unreadable class folder") << "images unreadable" << "cannot read " << true;
        QTest::newRow("1 kB png claiming 100000x100000") << "huge png" << "b/huge.png: the image claims to be 100000x100000 pixels; at most 67108864 pixels are allowed" << false;
        QTest::newRow("csv from /dev/zero") << "csv zero" << "/dev/zero:1: a line longer than 1 MiB (is this a CSV file?)" << false;
        QTest::newRow("csv label on the first row") << "csv first label" << "bad.csv:1: label \"cat\" is not a number" << false;
        QTest::newRow("csv label later") << "csv later label" << "bad.csv:3: label \"dog\" is not a number" << false;
        QTest::newRow("csv missing") << "csv missing" << "cannot open /nowhere.csv: No such file or directory" << true;
        QTest::newRow("csv is a folder") << "csv folder" << ": it is a folder, not a file" << true;
        // clang-format on
    }

    void hostileData() {
        QFETCH(QString, setup);
        QFETCH(QString, expected);
        QFETCH(bool, io);
        QTemporaryDir dir;
        const QString images = dir.filePath("t10k-images-idx3-ubyte");
        std::string spec = "mnist:" + dir.path().toStdString();
        Dims dims{1, 2, 2};
        if (setup == "corrupt gz") {
            writeIdx(dir.path(), 5, true);
            // A gzip header, then a deflate block of the reserved type 3.
            writeFile(images + ".gz", QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) +
                                          QByteArray(64, '\xff'));
        } else if (setup == "bomb") {
            writeIdx(dir.path(), 5, true);
            QByteArray bomb = bigEndian(2051) + bigEndian(5) + bigEndian(2) + bigEndian(2) +
                              QByteArray(20, 1) + QByteArray(32 << 20, 0); // 32 MiB extra
            writeFile(images + ".gz", bomb, true);
        } else if (setup == "huge count") {
            writeIdx(dir.path(), 5, false);
            writeFile(images, bigEndian(2051) + bigEndian(0xffffffffu) + bigEndian(28) +
                                  bigEndian(28) + QByteArray(100, 0));
        } else if (setup == "short header" || setup == "3 bytes") {
            writeIdx(dir.path(), 5, false);
            const QByteArray header = bigEndian(2051) + bigEndian(5) + bigEndian(2);
            writeFile(images, header.left(setup == "3 bytes" ? 3 : 10));
        } else if (setup == "mnist loop") {
            writeIdx(dir.path(), 5, false);
            QFile::remove(images);
            QVERIFY(QFile::link("t10k-images-idx3-ubyte", images));
        } else if (setup == "mnist missing") {
            spec = "mnist:/nowhere";
        } else if (setup.startsWith("images") || setup == "huge png") {
            QDir(dir.path()).mkpath("a");
            QDir(dir.path()).mkpath("b");
            writeFile(dir.filePath("a/fine.png"), tinyPng());
            if (setup == "images loop")
                QVERIFY(QFile::link("loop.png", dir.filePath("b/loop.png")));
            if (setup == "images unreadable") {
                if (geteuid() == 0)
                    QSKIP("root reads any folder");
                QVERIFY(QFile::setPermissions(dir.filePath("b"), QFileDevice::WriteOwner));
            }
            if (setup == "huge png") // a real header, claiming 100000x100000, in 1 kB
                writeFile(dir.filePath("b/huge.png"),
                          QByteArray("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16) +
                              bigEndian(100000) + bigEndian(100000) +
                              QByteArray("\x08\x00\x00\x00\x00", 5) + QByteArray(995, 0));
            spec = "images:" + dir.path().toStdString();
            dims = {1, 8, 8};
        } else if (setup.startsWith("csv")) {
            dims = {2};
            const QString csv = dir.filePath("bad.csv");
            spec = "csv:" + csv.toStdString();
            if (setup == "csv zero")
                spec = "csv:/dev/zero";
            else if (setup == "csv first label")
                writeFile(csv, "1,2,cat\n3,4,1\n");
            else if (setup == "csv later label")
                writeFile(csv, "x,y,label\n1,2,0\n3,4,dog\n");
            else if (setup == "csv missing")
                spec = "csv:/nowhere.csv";
            else if (setup == "csv folder")
                spec = "csv:" + dir.path().toStdString();
        }
        auto data = loadDataset(spec, dims);
        if (setup == "images unreadable") // let QTemporaryDir clean up
            QFile::setPermissions(dir.filePath("b"), QFileDevice::ReadOwner |
                                                         QFileDevice::WriteOwner |
                                                         QFileDevice::ExeOwner);
        QVERIFY2(!data.isOk(), "no error");
        QVERIFY2(QString::fromStdString(data.message()).contains(expected), data.message().c_str());
        QCOMPARE(data.status().isIoError(), io);
    }

    // A label that is not a class index is found before training, with its file and line,
    // also after the validation split.
    void csvLabelsAreCheckedWithTheirLines() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("labels.csv");
        writeFile(csv, "a,b,label\n1,2,0\n\n3,4,1\n5,6,2.5\n7,8,12\n");
        auto data = loadDataset("csv:" + csv.toStdString(), {2});
        QVERIFY2(data.isOk(), data.message().c_str());
        QCOMPARE(data.value().classes, std::int64_t(0)); // 2.5: not class indices
        const nc::core::Status s = checkClassLabels(data.value(), 3);
        QCOMPARE(QString::fromStdString(s.message()),
                 csv + ":5: label 2.5 is not a class index (a whole number 0..2)");
        auto [train, val] = splitTail(data.value(), 0.25);
        QCOMPARE(val.size(), std::int64_t(1));
        QCOMPARE(QString::fromStdString(checkClassLabels(val, 3).message()),
                 csv + ":6: label 12 is outside the classifier's 3 classes (0..2)");
        QVERIFY(checkClassLabels(train, 3).message().find(":5: label 2.5") != std::string::npos);
        auto digits = loadDataset("synthetic:digits?count=20", {1, 28, 28});
        QVERIFY(checkClassLabels(digits.value(), 10).isOk());
        QCOMPARE(checkClassLabels(digits.value(), 5).message(),
                 std::string("synthetic:digits?count=20: sample 5: label 5 is outside the "
                             "classifier's 5 classes (0..4)"));
    }

    // A spec's memory is known before anything is drawn or read: a built-in set's exactly, a
    // text by its file (its tokens once; the windows are not stored).
    void memoryIsEstimatedBeforeLoading_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("dims");
        QTest::addColumn<qulonglong>("memory");
        // clang-format off
        QTest::newRow("10^7 digits") << "synthetic:digits?count=10000000" << "1x28x28" << 10'000'000ull * 785 * 4;
        QTest::newRow("3,000,000 digits") << "synthetic:digits?count=3000000" << "1x28x28" << 3'000'000ull * 785 * 4;
        QTest::newRow("digits as rows") << "synthetic:digits?rows&count=10" << "28x28" << 10ull * 785 * 4;
        QTest::newRow("10^6 shapes") << "synthetic:shapes?count=1000000" << "3x64x64" << 1'000'000ull * (3 * 64 * 64 + 1) * 4;
        QTest::newRow("10^7 sequences of 10^5 steps") << "synthetic:sequences?count=10000000&steps=100000" << "100000x2" << 10'000'000ull * 200'001 * 4;
        QTest::newRow("recall, the Input's length") << "synthetic:sequences?task=recall&count=10" << "20x9" << 10ull * (20 * 9 + 1) * 4;
        QTest::newRow("stories: the text and its tokens") << "synthetic:text?count=1000" << "64" << 64'001ull * 5 + 2048;
        // clang-format on
    }

    void memoryIsEstimatedBeforeLoading() {
        QFETCH(QString, spec);
        QFETCH(QString, dims);
        QFETCH(qulonglong, memory);
        Dims input;
        for (const QString& d : dims.split('x'))
            input.push_back(d.toLongLong());
        nc::core::Result<DatasetSize> size = estimateDatasetSize(spec.toStdString(), input);
        QVERIFY2(size, size ? "" : size.message().c_str());
        QCOMPARE(qulonglong(size.value().memoryBytes), memory);
    }

    // Under a 1 GB address space each is refused with its size before anything is allocated
    // (they ended in bad_alloc before), also the shape first where that is wrong.
    void hugeSetsAreRefusedBeforeAllocation_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("dims");
        QTest::addColumn<QString>("expected");
        // clang-format off
        QTest::newRow("10^7 digits") << "synthetic:digits?count=10000000" << "1x28x28" << "synthetic:digits?count=10000000 needs 31.4 GB of memory, but ";
        QTest::newRow("3,000,000 digits") << "synthetic:digits?count=3000000" << "1x28x28" << "synthetic:digits?count=3000000 needs 9.4 GB of memory, but ";
        QTest::newRow("10^6 shapes") << "synthetic:shapes?count=1000000" << "3x64x64" << "synthetic:shapes?count=1000000 needs 49.2 GB of memory, but ";
        QTest::newRow("10^7 sequences of 10^5 steps") << "synthetic:sequences?count=10000000&steps=100000" << "100000x2" << "needs 8.0 TB of memory, but ";
        QTest::newRow("the same for a 50-step Input") << "synthetic:sequences?count=10000000&steps=100000" << "50x2" << "gives 100000x2 samples, but the graph's Input expects 50x2";
        // clang-format on
    }

    void hugeSetsAreRefusedBeforeAllocation() {
        QFETCH(QString, spec);
        QFETCH(QString, dims);
        QFETCH(QString, expected);
        Dims input;
        for (const QString& d : dims.split('x'))
            input.push_back(d.toLongLong());
        nc::test::AddressSpaceLimit limit(1'000'000'000);
        QVERIFY(limit.isSet());
        nc::core::Result<Dataset> data = loadDataset(spec.toStdString(), input);
        QVERIFY(!data);
        QVERIFY2(QString::fromStdString(data.message()).contains(expected), data.message().c_str());
        QVERIFY(!data.status().isIoError()); // exit 1: the data, not the file system
    }

    // A probe of sample i draws sample i alone (the set is far larger than memory here), the
    // same sample as in the whole set; other kinds are loaded whole and keep the one row.
    void aProbeDrawsOnlyItsSample() {
        auto ten = loadDataset("synthetic:digits?count=10", {1, 28, 28});
        auto story = loadDataset("synthetic:text?count=50", {64});
        QVERIFY(ten && story);
        auto same = [](const Dataset& one, const Dataset& whole, std::int64_t row) {
            Tensor x1, y1, x2, y2;
            const std::int64_t first = 0;
            one.gather(&first, 1, x1, y1);
            whole.gather(&row, 1, x2, y2);
            return one.size() == 1 && std::equal(x1.data(), x1.data() + x1.size(), x2.data()) &&
                   x1.size() == x2.size() && y1[0] == y2[0];
        };
        nc::test::AddressSpaceLimit limit(1'000'000'000);
        auto digit = loadSample("synthetic:digits?count=10000000", {1, 28, 28}, 3);
        QVERIFY2(digit, digit ? "" : digit.message().c_str());
        QVERIFY(same(digit.value(), ten.value(), 3));
        auto window = loadSample("synthetic:text?count=10000000", {64}, 42);
        QVERIFY2(window, window ? "" : window.message().c_str());
        QVERIFY(same(window.value(), story.value(), 42));
        auto sequence =
            loadSample("synthetic:sequences?count=10000000&steps=100000", {100000, 2}, 9'999'999);
        QVERIFY2(sequence, sequence ? "" : sequence.message().c_str());
        QCOMPARE(sequence.value().sampleDims(), Dims({100000, 2}));
        QCOMPARE(loadSample("synthetic:digits?count=10", {1, 28, 28}, 10).message(),
                 std::string("synthetic:digits?count=10 has 10 samples; #10 is past the end"));
        QTemporaryDir dir;
        writeFile(dir.filePath("rows.csv"), "1,2,0\n3,4,1\n5,6,1\n");
        auto row = loadSample("csv:" + dir.filePath("rows.csv").toStdString(), {2}, 1);
        QVERIFY2(row, row ? "" : row.message().c_str());
        QCOMPARE(row.value().tables().samples[0], 3.0f);
        QCOMPARE(row.value().describeSample(0), dir.filePath("rows.csv").toStdString() + ":2");
    }

    // Text keeps its characters once (4 bytes each) and writes a window out only when it is
    // gathered: 20 MB at stride 1 (20 million windows of 64, 10 GB written out, which is what
    // loading took before) loads, splits and gathers in 300 MB.
    void textHoldsItsCharactersOnce() {
        QTemporaryDir dir;
        const QString file = dir.filePath("big.txt");
        std::string text(20'000'000, ' ');
        quint32 state = 7;
        for (char& c : text) {
            state = state * 1664525u + 1013904223u;
            c = (state >> 24) < 48 ? ' ' : char('a' + (state >> 24) % 26);
        }
        writeFile(file, QByteArray::fromStdString(text));
        const std::string spec = "text:" + file.toStdString() + "?stride=1";
        nc::core::Result<DatasetSize> size = estimateDatasetSize(spec, {64});
        QVERIFY(size);
        QCOMPARE(size.value().memoryBytes, std::uint64_t(5 * text.size()));
        nc::test::AddressSpaceLimit limit(300'000'000);
        auto data = loadDataset(spec, {64});
        QVERIFY2(data, data ? "" : data.message().c_str());
        const Dataset& d = data.value();
        QCOMPARE(d.size(), std::int64_t(text.size() - 64));
        auto [train, validation] = splitTail(d, 0.1);
        const std::int64_t rows[] = {0, 12'345'678, validation.size() - 1};
        Tensor x, y;
        train.gather(rows, 2, x, y);
        Tensor lastX, lastY;
        validation.gather(rows + 2, 1, lastX, lastY);
        const std::vector<std::string>& tokens = d.vocabulary.tokens();
        auto character = [&](const Tensor& t, std::int64_t at) {
            return tokens[std::size_t(t[at])];
        };
        for (std::int64_t t = 0; t < 64; t += 21) {
            for (std::int64_t r = 0; r < 2; ++r) {
                const auto at = std::size_t(rows[r] + t);
                QCOMPARE(character(x, r * 64 + t), text.substr(at, 1));
                QCOMPARE(character(y, r * 64 + t), text.substr(at + 1, 1));
            }
            QCOMPARE(character(lastY, t), text.substr(text.size() - 64 + std::size_t(t), 1));
        }
    }

    void sampleIndexSpecs() {
        QCOMPARE(splitSampleIndex("mnist:/data#12"),
                 std::make_pair(std::string("mnist:/data"), std::int64_t(12)));
        QCOMPARE(splitSampleIndex("synthetic:digits").second, std::int64_t(-1));
        QCOMPARE(splitSampleIndex("synthetic:digits#x").second, std::int64_t(-2));
    }
};

QTEST_APPLESS_MAIN(DatasetsTest)
#include "tst_datasets.moc"
