// TensorArena: parameters, gradients and optimizer state in one block of device memory, as
// views that behave like the tensors they replace.

#include "fakedevicebackend.h"

#include "engine/cpu/cpubackend.h"
#include "engine/tensorarena.h"

#include <QtTest>

using namespace nc::engine;
using namespace nc::test;

namespace {

Tensor counting(Dims dims, float from) {
    Tensor t(std::move(dims));
    for (std::int64_t i = 0; i < t.size(); ++i)
        t[i] = from + float(i);
    return t;
}

std::vector<float> contents(Backend& backend, const Tensor& t) {
    Tensor host = toHost(backend, t).value();
    return {host.data(), host.data() + host.size()};
}

} // namespace

class TensorArenaTest : public QObject {
    Q_OBJECT

private slots:
    void packKeepsContentsInOneAlignedBlock_data() {
        QTest::addColumn<bool>("onDevice");
        QTest::newRow("cpu") << false;
        QTest::newRow("device") << true;
    }
    void packKeepsContentsInOneAlignedBlock() {
        QFETCH(bool, onDevice);
        CpuBackend cpu;
        FakeDeviceBackend device;
        Backend& backend = onDevice ? static_cast<Backend&>(device) : cpu;
        Tensor a = counting({3, 5}, 1), empty, c = counting({7}, 100), d = counting({2, 2}, -4);
        std::vector<Tensor*> all = {&a, &empty, &c, &d};
        QVERIFY(!TensorArena().holds(all));
        TensorArena arena;
        QVERIFY(arena.pack(backend, all));
        QVERIFY(arena.holds(all));
        QCOMPARE(arena.elements(), 3 * 64); // each tensor starts on a 256-byte boundary
        QCOMPARE(c.data(), a.data() + 64);
        QCOMPARE(d.data(), a.data() + 128);
        QCOMPARE(std::uintptr_t(a.data()) % 64, std::uintptr_t(0));
        QVERIFY(empty.empty());
        for (Tensor* t : {&a, &c, &d})
            QCOMPARE(t->device(), backend.device());
        QCOMPARE(a.dims(), (Dims{3, 5}));
        QCOMPARE(contents(backend, a), contents(cpu, counting({3, 5}, 1)));
        QCOMPARE(contents(backend, c), contents(cpu, counting({7}, 100)));
        QCOMPARE(contents(backend, d), contents(cpu, counting({2, 2}, -4)));
        // Packing the same tensors again moves them into a new block, contents kept.
        QVERIFY(arena.pack(backend, all));
        QCOMPARE(contents(backend, d), contents(cpu, counting({2, 2}, -4)));
    }

    // A write through a view lands in the block: one download returns what the views hold.
    void downloadFirstReadsWhatTheViewsHold() {
        FakeDeviceBackend device;
        Tensor a = counting({4}, 0), b = counting({2, 3}, 10), grad({4});
        std::vector<Tensor*> all = {&a, &b, &grad};
        TensorArena arena;
        QVERIFY(arena.pack(device, all));
        a.data()[2] = 42; // the fake device's memory is host memory
        b.data()[5] = -1;
        grad.fill(7);
        const int before = device.downloadCalls;
        Result<std::vector<Tensor>> values = arena.downloadFirst(device, 2);
        QVERIFY(values);
        QCOMPARE(device.downloadCalls, before + 1);
        QCOMPARE(values.value().size(), std::size_t(2));
        QCOMPARE(values.value()[0].dims(), (Dims{4}));
        QCOMPARE(values.value()[0][2], 42.0f);
        QCOMPARE(values.value()[1].dims(), (Dims{2, 3}));
        QCOMPARE(values.value()[1][5], -1.0f);
        QVERIFY(values.value()[0].onHost());
        QCOMPARE(arena.downloadFirst(device, 9).value().size(), std::size_t(3)); // clamped
    }

    // A tensor replaced or grown past its place leaves the block, keeps its values and
    // leaves its neighbours alone; holds() then says to pack again. Copies are independent.
    void replacedOrGrownTensorsLeaveTheBlock() {
        CpuBackend cpu;
        Tensor a = counting({5}, 1), b = counting({3}, 20);
        std::vector<Tensor*> all = {&a, &b};
        TensorArena arena;
        QVERIFY(arena.pack(cpu, all));
        Tensor copy = a;
        copy[0] = 99;
        QCOMPARE(a[0], 1.0f);
        a.resize({2}); // shrinking stays in place; growing again reads zero
        a.resize({5});
        QCOMPARE(a[1], 2.0f);
        QCOMPARE(a[4], 0.0f);
        QVERIFY(arena.holds(all));
        a.resize({100}); // past its place: memory of its own
        QVERIFY(!arena.holds(all));
        QCOMPARE(a[1], 2.0f);
        QCOMPARE(a[99], 0.0f);
        a.fill(5);
        QCOMPARE(contents(cpu, b), contents(cpu, counting({3}, 20)));
        QVERIFY(arena.pack(cpu, all));
        b = counting({3}, 0);
        QVERIFY(!arena.holds(all));
        QVERIFY(!arena.holds(std::vector<Tensor*>{&a})); // not the tensors packed
    }

    // Released, the block lives on while a view uses it.
    void viewsKeepAReleasedBlockAlive() {
        FakeDeviceBackend device;
        Tensor a = counting({300}, 3);
        std::vector<Tensor*> all = {&a};
        {
            TensorArena arena;
            QVERIFY(arena.pack(device, all));
            arena.release();
            QVERIFY(!arena.holds(all));
            QCOMPARE(arena.elements(), 0);
        }
        CpuBackend cpu;
        QCOMPARE(contents(device, a), contents(cpu, counting({300}, 3)));
    }

    // Unpacked, the first tensors keep their contents in memory of their own; the block is
    // gone once the others (left as views) go too.
    void unpackGivesTensorsTheirOwnMemory() {
        FakeDeviceBackend device;
        Tensor a = counting({70}, 1), b = counting({3}, 20), state = counting({5}, 9);
        std::vector<Tensor*> all = {&a, &b, &state};
        TensorArena arena;
        QVERIFY(arena.pack(device, all));
        const float* packedB = b.data();
        QCOMPARE(packedB, a.data() + 128);
        QVERIFY(arena.unpack(2));
        QVERIFY(!arena.holds(all));
        QCOMPARE(arena.elements(), 0);
        QVERIFY(b.data() != packedB);
        QCOMPARE(state.data(), packedB + 64); // not unpacked: still a view
        QCOMPARE(a.device(), device.device());
        CpuBackend cpu;
        QCOMPARE(contents(device, a), contents(cpu, counting({70}, 1)));
        QCOMPARE(contents(device, b), contents(cpu, counting({3}, 20)));
        QCOMPARE(contents(device, state), contents(cpu, counting({5}, 9)));
        QVERIFY(TensorArena().unpack(5)); // nothing packed: nothing to do
    }

    // Out of memory while packing: the tensors are left on the host, contents kept, and a
    // block packed before is gone (never two blocks at once).
    void failedPackLeavesTheTensorsOnTheHost() {
        FakeDeviceBackend device;
        Tensor a = counting({6}, 1), b = counting({6}, 7);
        std::vector<Tensor*> all = {&a, &b};
        TensorArena arena;
        QVERIFY(arena.pack(device, all)); // 128 floats: fits
        device.outOfMemoryFromUpload = 100;
        b = counting({200}, 7); // b left the block; packing again needs 320 floats
        QVERIFY(!arena.holds(all));
        Status s = arena.pack(device, all);
        QVERIFY(!s);
        QVERIFY(s.isOutOfMemory());
        QVERIFY2(s.message().find("one block") != std::string::npos, s.message().c_str());
        QVERIFY(!arena.holds(all));
        QCOMPARE(arena.elements(), 0);
        QVERIFY(a.onHost() && b.onHost());
        CpuBackend cpu;
        QCOMPARE(contents(cpu, a), contents(cpu, counting({6}, 1)));
        QCOMPARE(contents(cpu, b), contents(cpu, counting({200}, 7)));
    }
};

QTEST_GUILESS_MAIN(TensorArenaTest)
#include "tst_tensorarena.moc"
