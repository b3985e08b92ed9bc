// TensorBoard event files: CRC-32C and the protobuf wire format against published test
// vectors, a scalar event and its TFRecord framing against bytes worked out by hand, and
// scalars and histograms round-tripped through a reader that checks every CRC.

#include "engine/run/eventreader.h"

#include "engine/io/crc32c.h"
#include "engine/io/protowire.h"
#include "engine/io/tfrecord.h"
#include "engine/run/eventfile.h"
#include "engine/run/tfevents.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cfloat>
#include <cmath>

using namespace nc::engine;
using nc::engine::readEventFile;

namespace {

QByteArray hex(const std::string& bytes) {
    return QByteArray(bytes.data(), qsizetype(bytes.size())).toHex();
}

} // namespace

class TfEventsTest : public QObject {
    Q_OBJECT

private slots:
    void crc32c_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<quint32>("crc");
        // RFC 3720 (iSCSI) appendix B.4 and the usual check value.
        QTest::newRow("check value") << QByteArray("123456789") << quint32(0xE3069283);
        QTest::newRow("empty") << QByteArray() << quint32(0);
        QTest::newRow("32 zeros") << QByteArray(32, '\0') << quint32(0x8A9136AA);
        QTest::newRow("32 ones") << QByteArray(32, '\xff') << quint32(0x62A8AB43);
        QByteArray ascending;
        for (int i = 0; i < 32; ++i)
            ascending += char(i);
        QTest::newRow("ascending") << ascending << quint32(0x46DD794E);
    }

    void crc32c() {
        QFETCH(QByteArray, bytes);
        QFETCH(quint32, crc);
        const std::string_view view(bytes.constData(), std::size_t(bytes.size()));
        QCOMPARE(quint32(nc::engine::crc32c(view)), crc);
        // In two pieces, continuing the first.
        const std::size_t half = view.size() / 2;
        QCOMPARE(quint32(nc::engine::crc32c(view.substr(half),
                                            nc::engine::crc32c(view.substr(0, half)))),
                 crc);
    }

    void maskedCrc() {
        QCOMPARE(maskCrc32c(0), 0xa282ead8u);
        QCOMPARE(maskedCrc32c("123456789"), 0xc78ab0e5u);
    }

    void protoWireEncoding() {
        // The examples of protobuf.dev/programming-guides/encoding.
        ProtoWriter w;
        w.varint(1, 150);
        QCOMPARE(hex(w.data()), QByteArray("089601"));
        ProtoWriter s;
        s.string(2, "testing");
        QCOMPARE(hex(s.data()), QByteArray("120774657374696e67"));
        ProtoWriter packed;
        const std::int64_t values[] = {3, 270, 86942};
        packed.packedInt64s(4, values);
        QCOMPARE(hex(packed.data()), QByteArray("2206038e029ea705"));
        ProtoWriter negative;
        negative.int64(2, -1); // ten bytes, as int64 is in two's complement
        QCOMPARE(hex(negative.data()), QByteArray("10ffffffffffffffffff01"));
        ProtoWriter fixed;
        fixed.float64(1, -2.5);
        fixed.float32(2, 0.25f);
        QCOMPARE(hex(fixed.data()), QByteArray("0900000000000004c0150000803e"));
        ProtoWriter doubles;
        const double d[] = {-2.5, 0.125};
        doubles.packedDoubles(6, d);
        QCOMPARE(hex(doubles.data()), QByteArray("321000000000000004c0000000000000c03f"));
    }

    void protoWireReading() {
        ProtoWriter w;
        w.varint(1, 150);
        w.int64(2, -1);
        w.float64(3, -2.5);
        w.float32(4, 0.25f);
        w.string(5, "testing");
        ProtoReader reader(w.data());
        ProtoField f;
        QVERIFY(reader.next(f));
        QCOMPARE(f.number, 1);
        QCOMPARE(f.bits, quint64(150));
        QVERIFY(reader.next(f));
        QCOMPARE(std::int64_t(f.bits), std::int64_t(-1));
        QVERIFY(reader.next(f));
        QCOMPARE(f.type, WireType::Fixed64);
        QCOMPARE(f.asDouble(), -2.5);
        QVERIFY(reader.next(f));
        QCOMPARE(f.type, WireType::Fixed32);
        QCOMPARE(f.asFloat(), 0.25f);
        QVERIFY(reader.next(f));
        QCOMPARE(f.number, 5);
        QCOMPARE(std::string(f.bytes), std::string("testing"));
        QVERIFY(!reader.next(f));
        QVERIFY(reader.error().empty());

        // Every cut of the message is refused with a reason, never read past its end.
        for (std::size_t cut = 1; cut < w.data().size(); ++cut) {
            ProtoReader truncated(std::string_view(w.data()).substr(0, cut));
            while (truncated.next(f)) {
            }
            const bool endsOnAField = cut == 3 || cut == 14 || cut == 23 || cut == 28;
            QVERIFY2(truncated.error().empty() == endsOnAField, qPrintable(QString::number(cut)));
        }
        QVERIFY(!unpackDoubles("1234567").isOk());
    }

    void scalarEventGoldenBytes() {
        // Event{wall_time: 1.5, step: 7, summary {value {tag: "loss", simple_value: 0.25}}}
        //   09 <1.5 as 8 bytes>  10 07  2a 0d [Summary: 0a 0b [Value: 0a 04 "loss" 15 <0.25f>]]
        const std::string event = scalarsEvent(1.5, 7, {{"loss", 0.25f}});
        QCOMPARE(hex(event), QByteArray("09000000000000f83f10072a0d0a0b0a046c6f7373150000803e"));
        // Length 26, masked CRC-32C of the length, the data, masked CRC-32C of the data.
        QCOMPARE(hex(frameRecord(event)),
                 QByteArray("1a00000000000000129bd82d"
                            "09000000000000f83f10072a0d0a0b0a046c6f7373150000803e"
                            "c9d07b8d"));
        QCOMPARE(hex(fileVersionEvent(1.5)),
                 QByteArray("09000000000000f83f1a0d627261696e2e4576656e743a32"));
    }

    void damagedRecordsAreRefused_data() {
        QTest::addColumn<int>("offset"); // the byte changed; -1: the last one cut off
        QTest::addColumn<QString>("message");
        QTest::newRow("length") << 0 << "record 1 at byte 40: the length's CRC does not match";
        QTest::newRow("length crc") << 9 << "record 1 at byte 40: the length's CRC does not match";
        QTest::newRow("data") << 20 << "record 1 at byte 40: the data's CRC does not match";
        QTest::newRow("data crc") << 12 + 26 + 1 << "record 1 at byte 40: the data's CRC";
        QTest::newRow("cut short") << -1 << "record 1 at byte 40: the data is cut short";
    }

    void damagedRecordsAreRefused() {
        QFETCH(int, offset);
        QFETCH(QString, message);
        const std::string first = frameRecord(fileVersionEvent(1.5)); // 24 + 16 bytes
        std::string file = first + frameRecord(scalarsEvent(1.5, 7, {{"loss", 0.25f}}));
        QVERIFY(splitRecords(file, "f").isOk());
        if (offset < 0)
            file.pop_back();
        else
            file[first.size() + std::size_t(offset)] ^= 0x01;
        auto records = splitRecords(file, "f");
        QVERIFY(!records.isOk());
        QVERIFY2(QString::fromStdString(records.message()).contains(message),
                 records.message().c_str());
    }

    void histogramBuckets() {
        const std::vector<double>& edges = defaultHistogramEdges();
        QCOMPARE(edges.size(), std::size_t(1551)); // 774 steps of 10% from 1e-12, each side
        QCOMPARE(edges.front(), -DBL_MAX);
        QCOMPARE(edges.back(), DBL_MAX);
        QCOMPARE(edges[775], 0.0);
        QCOMPARE(edges[776], 1e-12);
        QCOMPARE(edges[1549] < 1e20 && edges[1549] * 1.1 >= 1e20, true);
        for (std::size_t i = 777; i < 1550; ++i)
            QVERIFY(std::abs(edges[i] / edges[i - 1] - 1.1) < 1e-9);

        const std::vector<float> values = {-2.0f, -0.5f, 0.0f, 0.0f, 0.5f, 1.0f, 3.0f, NAN};
        const Histogram h = makeHistogram(values);
        QCOMPARE(h.num, 7.0);
        QCOMPARE(h.min, -2.0);
        QCOMPARE(h.max, 3.0);
        QCOMPARE(h.sum, 2.0);
        QCOMPARE(h.sumSquares, 14.5);
        QCOMPARE(h.bucket.size(), h.bucketLimit.size());
        QCOMPARE(h.bucketLimit.back(), DBL_MAX);
        // Each bucket holds exactly the values in [previous limit, its limit).
        double below = -INFINITY, total = 0;
        for (std::size_t i = 0; i < h.bucket.size(); ++i) {
            QVERIFY(h.bucketLimit[i] > below);
            double expected = 0;
            for (float v : values)
                expected += !std::isnan(v) && v >= below && v < h.bucketLimit[i];
            QCOMPARE(h.bucket[i], expected);
            const bool mergedEmptyRun = i > 0 && h.bucket[i] == 0 && h.bucket[i - 1] == 0;
            QVERIFY(!mergedEmptyRun); // runs of empty buckets are one bucket
            below = h.bucketLimit[i];
            total += h.bucket[i];
        }
        QCOMPARE(total, 7.0);
        const auto zero = std::find(h.bucketLimit.begin(), h.bucketLimit.end(), 1e-12);
        QVERIFY(zero != h.bucketLimit.end());
        QCOMPARE(h.bucket[std::size_t(zero - h.bucketLimit.begin())], 2.0);

        const Histogram empty = makeHistogram({});
        QCOMPARE(empty.num, 0.0);
        QCOMPARE(empty.bucketLimit, std::vector<double>{DBL_MAX});
        QCOMPARE(empty.bucket, std::vector<double>{0.0});
    }

    void eventFileRoundTrip() {
        QTemporaryDir dir;
        auto file = EventFile::create(dir.path().toStdString(), 1714564800.25, "box");
        QVERIFY2(file.isOk(), file.message().c_str());
        QVERIFY(QRegularExpression("/events\\.out\\.tfevents\\.1714564800\\.box$")
                    .match(QString::fromStdString(file.value().path()))
                    .hasMatch());
        file.value().append(
            scalarsEvent(10.5, 3, {{"step/train_loss", 0.75f}, {"step/lr", 0.01f}}));
        const std::vector<float> weights = {-0.25f, 0.125f, 0.5f, 2.0f};
        const Histogram h = makeHistogram(weights);
        file.value().append(histogramEvent(11.5, 1, "weights/conv1.weight", h));
        QVERIFY(file.value().flush(true));
        // A second file in the same second gets its own name.
        auto second = EventFile::create(dir.path().toStdString(), 1714564800.75, "box");
        QVERIFY(second.isOk());
        QVERIFY(second.value().path() != file.value().path());

        auto events = readEventFile(file.value().path());
        QVERIFY2(events.isOk(), events.message().c_str());
        QCOMPARE(events.value().size(), std::size_t(3));
        QCOMPARE(events.value()[0].fileVersion, std::string("brain.Event:2"));
        QCOMPARE(events.value()[0].wallTime, 1714564800.25);
        const auto& scalars = events.value()[1];
        QCOMPARE(scalars.step, std::int64_t(3));
        QCOMPARE(scalars.wallTime, 10.5);
        QCOMPARE(scalars.values.size(), std::size_t(2));
        QCOMPARE(*scalars.find("step/train_loss")->simpleValue, 0.75f);
        QCOMPARE(*scalars.find("step/lr")->simpleValue, 0.01f);
        const auto* histogram = events.value()[2].find("weights/conv1.weight");
        QVERIFY(histogram && histogram->histogram && !histogram->simpleValue);
        QCOMPARE(events.value()[2].step, std::int64_t(1));
        QCOMPARE(histogram->histogram->min, -0.25);
        QCOMPARE(histogram->histogram->max, 2.0);
        QCOMPARE(histogram->histogram->num, 4.0);
        QCOMPARE(histogram->histogram->sum, 2.375);
        QCOMPARE(histogram->histogram->sumSquares, 4.328125);
        QCOMPARE(histogram->histogram->bucketLimit, h.bucketLimit);
        QCOMPARE(histogram->histogram->bucket, h.bucket);
    }

    void resumeCutsBackToTheCommittedLength() {
        QTemporaryDir dir;
        auto file = EventFile::create(dir.path().toStdString(), 100.0, "box");
        QVERIFY(file.isOk());
        file.value().append(scalarsEvent(101, 1, {{"epoch/train_loss", 1.0f}}));
        QVERIFY(file.value().flush(true));
        const std::uint64_t committed = file.value().size();
        file.value().append(scalarsEvent(102, 2, {{"epoch/train_loss", 2.0f}})); // not committed
        QVERIFY(file.value().flush(false));
        QVERIFY(file.value().size() > committed);
        const std::string path = file.value().path();

        auto resumed = EventFile::resume(path, committed);
        QVERIFY2(resumed.isOk(), resumed.message().c_str());
        QCOMPARE(resumed.value().size(), committed);
        resumed.value().append(scalarsEvent(103, 2, {{"epoch/train_loss", 3.0f}}));
        QVERIFY(resumed.value().flush(true));
        auto events = readEventFile(path);
        QVERIFY2(events.isOk(), events.message().c_str());
        QCOMPARE(events.value().size(), std::size_t(3));
        QCOMPARE(*events.value()[2].find("epoch/train_loss")->simpleValue, 3.0f);

        auto tooLong = EventFile::resume(path, resumed.value().size() + 1);
        QVERIFY(!tooLong.isOk());
        QVERIFY2(QString::fromStdString(tooLong.message()).contains("fewer than"),
                 tooLong.message().c_str());
        QVERIFY(!EventFile::resume(path + ".missing", 0).isOk());
    }
};

QTEST_GUILESS_MAIN(TfEventsTest)
#include "tst_tfevents.moc"
