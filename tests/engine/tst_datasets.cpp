// Datasets: the built-in generators, the file readers, the split, and a clear error for every
// kind of bad data.

#include "engine/data/dataspec.h"
#include "engine/threading.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
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
    QByteArray labels = bigEndian(2049) + bigEndian(quint32(labelCount < 0 ? n : labelCount));
    for (int i = 0; i < n; ++i)
        labels += char(i % 3);
    const QString suffix = gzip ? ".gz" : "";
    writeFile(dir + "/t10k-images-idx3-ubyte" + suffix, images, gzip);
    writeFile(dir + "/t10k-labels-idx1-ubyte" + suffix, labels, gzip);
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
        QVERIFY(std::equal(b.value().samples.data(),
                           b.value().samples.data() + b.value().samples.size(),
                           a.value().samples.data())); // image i depends on (seed, i) only
        QVERIFY(!std::equal(b.value().samples.data(),
                            b.value().samples.data() + b.value().samples.size(),
                            c.value().samples.data()));
        float lo = 1, hi = 0;
        for (std::int64_t i = 0; i < b.value().samples.size(); ++i) {
            lo = std::min(lo, b.value().samples[i]);
            hi = std::max(hi, b.value().samples[i]);
        }
        QVERIFY(lo >= 0.0f && hi <= 1.0f && hi > 0.9f);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(b.value().targets[i], float(i % 10));
    }

    void syntheticShapes() {
        auto data = loadDataset("synthetic:shapes?count=8", {3, 64, 64});
        QVERIFY2(data.isOk(), data.message().c_str());
        QCOMPARE(data.value().sampleDims(), Dims({3, 64, 64}));
        QCOMPARE(data.value().classes, std::int64_t(2));
    }

    void mnistRawAndGzip() {
        for (bool gzip : {false, true}) {
            QTemporaryDir dir;
            writeIdx(dir.path(), 5, gzip);
            auto data = loadDataset("mnist:" + dir.path().toStdString(), {1, 2, 2});
            QVERIFY2(data.isOk(), data.message().c_str());
            QCOMPARE(data.value().size(), std::int64_t(5));
            QCOMPARE(data.value().samples[3 * 4], 3.0f / 255.0f);
            QCOMPARE(data.value().targets[4], 1.0f);
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
        QCOMPARE(data.value().targets[0], 7.0f); // the first test digit is a 7
    }

    void splitHoldsOutTheTailInOrder() {
        auto data = loadDataset("synthetic:digits?count=100", {1, 28, 28});
        auto [train, val] = splitTail(data.value(), 0.2);
        QCOMPARE(train.size(), std::int64_t(80));
        QCOMPARE(val.size(), std::int64_t(20));
        QCOMPARE(val.targets[0], data.value().targets[80]);
        QVERIFY(std::equal(val.samples.data(), val.samples.data() + val.samples.size(),
                           data.value().samples.data() + 80 * 784));
    }

    void csv() {
        QTemporaryDir dir;
        writeFile(dir.filePath("ok.csv"), "a,b,label\n1,2,0\n3.5,-4,1\n\n5,6,1\n");
        auto data = loadDataset("csv:" + dir.filePath("ok.csv").toStdString(), {2});
        QVERIFY2(data.isOk(), data.message().c_str());
        QCOMPARE(data.value().size(), std::int64_t(3));
        QCOMPARE(data.value().samples[2], 3.5f);
        QCOMPARE(data.value().classes, std::int64_t(2));
    }

    void badData_data() {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad magic")
            << "magic"
            << "t10k-images-idx3-ubyte: bad magic number (expected an IDX image file, 2051)";
        QTest::newRow("truncated images") << "truncated"
                                          << "t10k-images-idx3-ubyte: truncated: 5 images need 20 "
                                             "bytes of pixels, the file has 13";
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
        } else if (setup == "shape") {
            error = errorOf("synthetic:digits?count=3", {3, 64, 64});
        }
        QVERIFY2(!error.isEmpty(), "no error");
        QVERIFY2(error.contains(expected), qPrintable(error));
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
