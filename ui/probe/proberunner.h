#pragma once
// Runs probes off the GUI thread: a request names a graph, its weights, one input sample and
// the edges to look at; the result holds each edge's tensor and statistics. Only the newest
// request matters: while one runs, a newer one waits and older waiting ones are dropped, so
// a drawing that changes 60 times a second never queues up work. Each probe compiles its own
// model from the graph and copies the weights into it, so a training run is never touched.
//
//   runner->submit(request);                    // returns at once
//   connect(runner, &ProbeRunner::finished, this, &View::show);

#include "engine/op.h"
#include "engine/probe/edgeref.h"
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
    std::vector<engine::EdgeRef> edges;
    engine::Mode mode = engine::Mode::Eval;
    QString weightsLabel; // for messages: "initial weights", "run mnist_cnn-3, epoch 2"
};

struct ProbedEdge {
    engine::EdgeRef edge;
    engine::Tensor value; // per sample: the batch axis dropped
    engine::TensorStats stats;
};

struct ProbeResult {
    quint64 serial = 0;
    std::vector<ProbedEdge> edges; // in the request's order
    QString error;                 // empty on success
    double milliseconds = 0;
};
using ProbeResultPtr = std::shared_ptr<const ProbeResult>;

// The work itself, on the calling thread (the runner's tasks, tests and the CLI parity check).
ProbeResult runProbe(const ProbeRequest& request);

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
    std::optional<ProbeRequest> m_waiting;
    quint64 m_waitingSerial = 0;
};

} // namespace nc::ui

Q_DECLARE_METATYPE(nc::ui::ProbeResultPtr)
