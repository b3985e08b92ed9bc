#pragma once
// Runs probes off the GUI thread: a request names a graph, its weights, one input sample and
// the edges to look at; the result holds each edge's tensor and statistics. Only the newest
// request matters: while one runs, a newer one waits and older waiting ones are dropped, so
// a drawing that changes 60 times a second never queues up work. Probes run on a model of
// their own, compiled from the graph, with a copy of the weights, so a training run is never
// touched; the runner keeps that model while the graph and the weights stay the same, so a
// live refresh or a new drawing costs the forward pass alone.
//
//   runner->submit(request);                    // returns at once
//   connect(runner, &ProbeRunner::finished, this, &View::show);

#include "engine/model.h"
#include "engine/op.h"
#include "engine/probe/edgeref.h"
#include "engine/probe/recurrenttrace.h"
#include "engine/probe/tensorstats.h"
#include "engine/weightsnapshot.h"

#include "graph_model/graph.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace nc::ui {

struct ProbeRequest {
    nc::graph::Graph graph;
    engine::SnapshotPtr weights; // null: the graph's initial weights for `seed`
    std::uint64_t seed = 1;
    engine::Tensor x; // one sample [1, ...Input.shape]
    // Its target [1, ...Input.y] when it comes from the data set. Without one (a drawing, an
    // image file) an edge that reads Input.y (Input.y itself, a loss) is not probed: shown
    // first it gives a "no target for this sample" error, pinned it is left out.
    std::optional<engine::Tensor> y;
    std::vector<engine::EdgeRef> edges;
    engine::Mode mode = engine::Mode::Eval;
    QString weightsLabel; // for messages: "initial weights", "run mnist_cnn-3, epoch 2"
};

struct ProbedEdge {
    engine::EdgeRef edge;
    engine::Tensor value; // per sample: the batch axis dropped
    engine::TensorStats stats;
    bool logits = false; // the classifier's logits: the view adds the top classes
};

struct ProbeResult {
    quint64 serial = 0;
    std::vector<ProbedEdge> edges; // in the request's order
    // When the first edge leaves a recurrent layer: its states and gates over time.
    std::optional<engine::RecurrentTrace> trace;
    QString error; // empty on success
    double milliseconds = 0;
};
using ProbeResultPtr = std::shared_ptr<const ProbeResult>;

// A compiled model kept between probes, with what it was made from.
struct ProbeModelCache {
    nc::graph::Graph graph;
    engine::SnapshotPtr weights;
    std::uint64_t seed = 0;
    std::optional<engine::Model> model;
    int compiles = 0; // for tests: how often the graph was compiled
};

// The work itself, on the calling thread (the runner's tasks, tests and the CLI parity check).
// With a cache, the model is compiled and the weights copied only when they changed.
ProbeResult runProbe(const ProbeRequest& request, ProbeModelCache* cache = nullptr);

class ProbeRunner : public QObject {
    Q_OBJECT

public:
    explicit ProbeRunner(QObject* parent = nullptr);
    // Returns the request's serial; its result arrives later through finished().
    quint64 submit(ProbeRequest request);
    bool busy() const { return m_running; }

signals:
    void finished(nc::ui::ProbeResultPtr result);

private:
    void startNext();
    void deliver(ProbeResultPtr result);

    quint64 m_serial = 0;
    bool m_running = false;
    std::shared_ptr<ProbeModelCache> m_cache; // used by one task at a time
    std::optional<ProbeRequest> m_waiting;
    quint64 m_waitingSerial = 0;
};

} // namespace nc::ui

Q_DECLARE_METATYPE(nc::ui::ProbeResultPtr)
