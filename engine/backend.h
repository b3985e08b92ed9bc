#pragma once
// A compute backend: the CPU (Eigen) one, and the CUDA/cuDNN plugin. One op enum, one dispatch
// per backend. Besides the ops, a backend owns the memory of its device: it makes tensors
// there, moves data between the host and the device, waits for queued work, checks values
// for NaN/Inf and applies the optimizer update. The executor and the trainer go through this
// interface alone, so they never touch device memory themselves.
//
//   std::unique_ptr<Backend> backend = createBackend("cpu").value();   // backendlist.h
//   Tensor x = backend->newTensor();
//   backend->upload(hostBatch, x);

#include "core/status.h"
#include "device.h"
#include "opcall.h"
#include "optimizerrule.h"

#include <memory>
#include <span>
#include <string>

namespace nc::engine {

class ParameterStore;

using nc::core::Result;
using nc::core::Status;

// One trainable parameter as the optimizer step sees it: value, gradient and up to two
// state buffers (momentum / Adam m and v), all on the backend's device.
struct ParameterSlot {
    Tensor* value = nullptr;
    const Tensor* grad = nullptr;
    Tensor* first = nullptr;  // momentum buffer or Adam m (empty for plain SGD)
    Tensor* second = nullptr; // Adam v (empty otherwise)
};

// One loss node's value (a one-element tensor on the device) and its weight.
struct WeightedLoss {
    const Tensor* value = nullptr;
    float weight = 1.0f;
};

// A copy to the host that was queued and is collected later (Backend::downloadLater).
class PendingDownload {
public:
    virtual ~PendingDownload() = default;
    // True once the copy has landed; never waits.
    virtual bool ready() = 0;
    // The host copy, once; waits for it when it has not landed yet.
    virtual Result<Tensor> take() = 0;
};

// Work recorded once and run again in one launch (a CUDA Graph): the same kernels on the same
// memory, reading what that memory holds when it runs.
class RecordedWork {
public:
    virtual ~RecordedWork() = default;
    // Runs the work again. False, with nothing run, when memory the backend keeps for it
    // (scratch, workspaces, tables) has moved or changed since: record it anew.
    virtual Result<bool> replay() = 0;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0; // "cpu", "cuda:0 (NVIDIA H100)"
    virtual Device device() const = 0;

    // Ops.
    virtual bool supportsOp(OpKind kind) const = 0;
    virtual Status forward(const OpCall& call) = 0;
    virtual Status backward(const OpCall& call) = 0;

    // Memory. An empty tensor on this device; resizing it allocates there.
    virtual Tensor newTensor() const = 0;
    // Copies a host tensor into `target` (resized, on this device), and back.
    virtual Status upload(const Tensor& host, Tensor& target) = 0;
    virtual Status download(const Tensor& source, Tensor& host) = 0;
    // Waits until every queued operation has finished (a no-op on the CPU).
    virtual Status synchronize() = 0;
    // True when every element of `t` (on this device) is finite.
    virtual Result<bool> allFinite(const Tensor& t) = 0;
    // One optimizer update over all parameters (optimizerrule.h has the rules).
    virtual Status optimizerStep(const OptimizerRule& rule,
                                 std::span<const ParameterSlot> slots) = 0;

    // Step metrics kept on the device, so a training step needs no host round trip. With
    // `at` = 3 * the slot of `stepValues` (a StepValues on this device, read when the work
    // runs, so a replayed recording writes its own step's entry): log[at] = sum of weight *
    // loss[0] (in order, in float), log[at + 1] = the number of rows of `logits` (the last axis
    // is the classes: a row per sample, or per time step) whose largest value (the first, on
    // ties) is at the column `labels` names, log[at + 2] = the number of labelled rows (a
    // negative label is padding); 0 and 0 without logits. `log` is on this device. The default
    // reads through the host.
    virtual Status recordStepMetrics(std::span<const WeightedLoss> losses, const Tensor* logits,
                                     const Tensor* labels, Tensor& log, const Tensor& stepValues);
    // A finite check that does not wait: when `t` holds a NaN or Inf, firstBad[0] becomes
    // min(firstBad[0], code + codesPerSlot * slot), with the slot of `stepValues` read when the
    // check runs. Codes are whole numbers below 2^24. The default waits.
    virtual Status noteNonFinite(const Tensor& t, std::int64_t code, std::int64_t codesPerSlot,
                                 const Tensor& stepValues, Tensor& firstBad);
    // out = the rows `rows` of `table` ([R, ...]), in that order: [rows.size(), ...] on this
    // device. A batch of a dataset kept on the device (ResidentData). The default takes a
    // table on the host and uploads the batch.
    virtual Status gatherRows(const Tensor& table, std::span<const std::int64_t> rows, Tensor& out);
    // Sets every element of each tensor (on this device) to zero; a GPU does it in one launch.
    virtual Status zeroTensors(std::span<Tensor* const> tensors);
    // Queues a copy of `t` (on this device) to the host and returns at once: the copy holds
    // `t` as the work queued before it leaves it, and later work may change `t` freely. A GPU
    // copies on a side stream, so training does not wait for it; the default copies now.
    virtual Result<std::unique_ptr<PendingDownload>> downloadLater(const Tensor& t);

    // Recording (trainingstep.h). Between beginRecording() and endRecording() the work asked
    // for is recorded, not run. Work that cannot be recorded (an allocation, a copy from or to
    // the host, a wait) fails meanwhile, and endRecording() then returns null. Either way
    // nothing recorded has run: replay it, or ask for the work again. By default a backend
    // cannot record.
    virtual bool canRecord() const { return false; }
    virtual Status beginRecording();
    virtual Result<std::unique_ptr<RecordedWork>> endRecording();
};

// Zeroes the gradients of every parameter before a training step, in one zeroTensors().
Status zeroGradients(Backend& backend, ParameterStore& params);

// Host tensors: out = rows `rows` of `table`, resized to [rows.size(), ...].
void gatherRowsOnHost(const Tensor& table, std::span<const std::int64_t> rows, Tensor& out);

// Moves `t` onto the backend's device (through the host when it is elsewhere); a no-op when
// it is there already. Contents are kept.
Status moveTo(Backend& backend, Tensor& t);
// Moves every parameter value and gradient of a model onto the backend's device.
Status moveParametersTo(Backend& backend, ParameterStore& params);
// A host copy of any tensor, for snapshots, checkpoints and probes.
Result<Tensor> toHost(Backend& backend, const Tensor& t);

} // namespace nc::engine
