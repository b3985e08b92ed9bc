#include "memoryparity.h"

#include "engine/backend.h"
#include "engine/backendlist.h"
#include "engine/data/dataspec.h"
#include "engine/model.h"
#include "engine/random.h"
#include "engine/tensorarena.h"
#include "engine/trainer.h"

#include "graph_model/graphjson.h"

#include <chrono>
#include <string>
#include <vector>

namespace nc::test {

using namespace nc::engine;
using nc::core::require;
using nc::graph::Graph;
using nc::graph::loadGraphFile;

namespace {

// Batches gathered from a table on the device (a resident training set) are the host's rows
// exactly; a table larger than one pinned chunk (16 MB) travels in pieces and comes back whole.
void compareGatherRows(Backend& gpu, ParityCheck& check) {
    for (const Dims& dims : {Dims{1000, 3, 5, 5}, Dims{300000, 20}}) {
        Tensor table = randomTensor(dims, 11, -1.0f, 1.0f);
        std::vector<std::int64_t> rows;
        for (std::uint64_t i = 0; i < 37; ++i)
            rows.push_back(std::int64_t(uniform01(12, 0, i) * float(dims[0] - 1)));
        rows.push_back(rows.front()); // a row twice
        rows.push_back(dims[0] - 1);
        Tensor expected;
        gatherRowsOnHost(table, rows, expected);
        Tensor onDevice = gpu.newTensor(), batch = gpu.newTensor();
        require(gpu.upload(table, onDevice));
        require(gpu.gatherRows(onDevice, rows, batch));
        const std::string what = "gathered rows of a " + formatDims(dims) + " table";
        check.close(what, expected, host(gpu, batch), 0.0);
        check.close(what + ", uploaded and downloaded", table, host(gpu, onDevice), 0.0);
    }
}

// Uploads of 1 MB and more travel on the copy stream through two staging buffers: five in a
// row into one tensor, each read by a kernel before the next, must each be seen whole and in
// order, and the pinned buffers reused meanwhile must not leak into them.
void compareStagedUploads(Backend& gpu, ParityCheck& check) {
    const std::vector<std::int64_t> rows = {0, 4095, 17, 2048, 17};
    Tensor onDevice = gpu.newTensor();
    std::vector<Tensor> tables, gathered;
    for (std::uint64_t i = 0; i < 5; ++i) {
        tables.push_back(randomTensor({4096, 100}, 40 + i, -1.0f, 1.0f)); // 1.6 MB
        require(gpu.upload(tables.back(), onDevice));
        gathered.push_back(gpu.newTensor());
        require(gpu.gatherRows(onDevice, rows, gathered.back()));
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
        Tensor expected;
        gatherRowsOnHost(tables[i], rows, expected);
        check.close("staged upload " + std::to_string(i + 1) + " of 5, read in order", expected,
                    host(gpu, gathered[i]), 0.0);
    }
    check.close("the last staged upload", tables.back(), host(gpu, onDevice), 0.0);
}

// The fused zeroing clears every listed tensor whole (one larger than a chunk too) and
// leaves the others alone.
void compareZeroing(Backend& gpu, ParityCheck& check) {
    std::vector<Tensor> tensors;
    for (const Dims& dims : {Dims{7}, Dims{40000}, Dims{64, 3, 3, 3}, Dims{5}}) {
        tensors.push_back(gpu.newTensor());
        require(gpu.upload(randomTensor(dims, 4, 1.0f, 2.0f), tensors.back()));
    }
    const Tensor untouched = host(gpu, tensors.back());
    std::vector<Tensor*> listed = {&tensors[0], &tensors[1], &tensors[2]};
    for (int round = 0; round < 2; ++round) // the second reuses the device table
        require(gpu.zeroTensors(listed));
    for (Tensor* t : listed)
        check.close("fused zeroing of " + formatDims(t->dims()), Tensor(t->dims()), host(gpu, *t),
                    0.0);
    check.close("a tensor left out of the zeroing", untouched, host(gpu, tensors.back()), 0.0);
}

// Tensors packed into one block on the GPU keep their contents, work as tensors (the fused
// zeroing of a view clears it and no neighbour), and come back in one download.
void compareArena(Backend& gpu, ParityCheck& check) {
    std::vector<Tensor> tensors;
    std::vector<Tensor> expected;
    for (const Dims& dims : {Dims{7}, Dims{0}, Dims{64, 3, 3, 3}, Dims{40000}, Dims{5}}) {
        expected.push_back(randomTensor(dims, 8 + std::uint64_t(dims.size()), -1.0f, 1.0f));
        tensors.push_back(gpu.newTensor());
        require(gpu.upload(expected.back(), tensors.back()));
    }
    std::vector<Tensor*> all;
    for (Tensor& t : tensors)
        all.push_back(&t);
    TensorArena arena;
    require(arena.pack(gpu, all));
    check.expect(arena.holds(all), "packed tensors are held by their arena");
    for (std::size_t i = 0; i < tensors.size(); ++i)
        check.close("packed " + formatDims(expected[i].dims()), expected[i], host(gpu, tensors[i]),
                    0.0);
    std::vector<Tensor*> zeroed = {&tensors[2]};
    require(gpu.zeroTensors(zeroed));
    expected[2].zero();
    std::vector<Tensor> back = require(arena.downloadFirst(gpu, tensors.size()));
    for (std::size_t i = 0; i < tensors.size(); ++i)
        check.close("one download of packed " + formatDims(expected[i].dims()), expected[i],
                    back[i], 0.0);
}

// A copy queued on the side stream holds the tensor as queued work left it, whatever the
// work queued after it writes.
void compareDownloadLater(Backend& gpu, ParityCheck& check) {
    const Tensor before = randomTensor({1 << 20}, 21, -1.0f, 1.0f);
    const Tensor after = randomTensor({1 << 20}, 22, -1.0f, 1.0f);
    Tensor t = gpu.newTensor();
    require(gpu.upload(before, t));
    std::unique_ptr<PendingDownload> copy = require(gpu.downloadLater(t));
    require(gpu.upload(after, t)); // queued behind the copy within the device
    Tensor landed = require(copy->take());
    check.close("a side-stream copy, overwritten after it was queued", before, landed, 0.0);
    check.close("the tensor after the overwrite", after, host(gpu, t), 0.0);
    std::unique_ptr<PendingDownload> second = require(gpu.downloadLater(t));
    require(gpu.synchronize());
    const auto start = std::chrono::steady_clock::now();
    while (!second->ready() && std::chrono::steady_clock::now() - start < std::chrono::seconds(5))
        ;
    check.expect(second->ready(), "a side-stream copy lands");
    check.close("a second side-stream copy (a reused pinned buffer)", after,
                require(second->take()), 0.0);
}

// The trainer on the GPU (state packed in one block, snapshots copied on the side stream)
// ends where the trainer on the CPU does, and its last snapshot is its trained weights.
void compareTrainer(Backend& gpu, ParityCheck& check) {
    Dataset data = require(loadDataset("synthetic:digits?count=512", {1, 28, 28}));
    Graph graph =
        require(loadGraphFile(std::string(NC_SOURCE_DIR) + "/resources/examples/mnist_cnn.json"));
    auto cpu = require(createBackend("cpu"));
    auto run = [&](Backend& backend) {
        Model model = require(Model::compile(graph));
        initializeParameters(model.params(), 6);
        TrainConfig config;
        config.epochs = 1;
        config.batch = 64;
        config.lr = 0.001;
        config.optimizer.kind = "adam";
        config.snapshotEvery = 1;
        Trainer trainer(model, backend, config);
        int snapshots = 0;
        trainer.onSnapshot = [&](const SnapshotPtr&) { ++snapshots; };
        require(trainer.fit(data, nullptr));
        std::vector<float> weights, snapped;
        for (const Parameter& p : model.params().all()) {
            Tensor h = host(backend, p.value);
            weights.insert(weights.end(), h.data(), h.data() + h.size());
        }
        for (const auto& [name, t] : trainer.latestSnapshot()->tensors)
            snapped.insert(snapped.end(), t.data(), t.data() + t.size());
        check.expect(snapped == weights, backend.name() + ": the last snapshot is the model");
        check.expect(snapshots >= 2, backend.name() + ": snapshots published during the epoch");
        Tensor flat({std::int64_t(weights.size())});
        std::copy(weights.begin(), weights.end(), flat.data());
        return flat;
    };
    check.close("mnist_cnn trained by the Trainer, 8 steps", run(*cpu), run(gpu), kTrainTolerance);
}

} // namespace

void compareMemoryPaths(Backend& gpu, ParityCheck& check) {
    compareGatherRows(gpu, check);
    compareStagedUploads(gpu, check);
    compareZeroing(gpu, check);
    compareArena(gpu, check);
    compareDownloadLater(gpu, check);
    compareTrainer(gpu, check);
}

} // namespace nc::test
