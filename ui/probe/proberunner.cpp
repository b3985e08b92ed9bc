#include "proberunner.h"

#include "ui/backgroundpool.h"

#include "engine/backendlist.h"
#include "engine/model.h"
#include "engine/probe/edgeprobe.h"
#include "engine/probe/probeweights.h"
#include "engine/threading.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <QThreadPool>

#include <algorithm>

namespace nc::ui {

namespace {

bool sameGraph(const nc::graph::Graph& a, const nc::graph::Graph& b) {
    const std::vector<nc::graph::NodeId> ids = a.nodeIds();
    if (ids != b.nodeIds() || a.edges() != b.edges())
        return false;
    return std::all_of(ids.begin(), ids.end(),
                       [&](nc::graph::NodeId id) { return *a.node(id) == *b.node(id); });
}

// The model for `request`: the cached one when the graph and the weights are the same, the
// cached one with new weights when only they changed, a new one otherwise.
engine::Result<engine::Model*> modelFor(const ProbeRequest& request, ProbeModelCache& cache) {
    const std::string label = request.weightsLabel.toStdString();
    if (!cache.model || !sameGraph(cache.graph, request.graph)) {
        cache.model.reset();
        auto model =
            engine::compileWithWeights(request.graph, request.weights, request.seed, label);
        if (!model)
            return model.status();
        cache.model.emplace(std::move(model).value());
        cache.graph = request.graph;
        ++cache.compiles;
    } else if (cache.weights != request.weights || cache.seed != request.seed) {
        engine::Status s =
            request.weights
                ? engine::applySnapshot(*request.weights, *cache.model, label)
                : (engine::initialWeights(*cache.model, request.seed), engine::Status::ok());
        if (!s) {
            cache.model.reset();
            return s;
        }
    }
    cache.weights = request.weights;
    cache.seed = request.seed;
    return &*cache.model;
}

} // namespace

ProbeResult runProbe(const ProbeRequest& request, ProbeModelCache* cache) {
    QElapsedTimer clock;
    clock.start();
    ProbeResult result;
    auto fail = [&](const std::string& message) {
        result.error = QString::fromStdString(message);
        result.milliseconds = double(clock.nsecsElapsed()) / 1e6;
        return result;
    };
    ProbeModelCache own;
    auto model = modelFor(request, cache ? *cache : own);
    if (!model)
        return fail(model.message());
    engine::Model& m = *model.value();
    auto backend = engine::createBackend("cpu");
    if (!backend)
        return fail(backend.message());
    engine::ProbeOptions options;
    options.mode = request.mode;
    options.seed = request.seed;
    options.targets = request.y;
    std::vector<engine::EdgeRef> edges = request.edges;
    if (!request.y) {
        if (!edges.empty() && engine::readsTargets(m, edges.front()))
            return fail(
                "no target for this sample: " + engine::describeEdge(m.graph(), edges.front()) +
                " depends on Input.y, and a drawing or an image file has none (pick a "
                "sample of the data set)");
        std::erase_if(edges, [&](const engine::EdgeRef& e) { return engine::readsTargets(m, e); });
    }
    auto values = engine::probeEdges(m, *backend.value(), request.x, edges, options);
    if (!values)
        return fail(values.message());
    const int logits = m.classifierLogits();
    for (std::size_t i = 0; i < edges.size(); ++i) {
        ProbedEdge e;
        e.edge = edges[i];
        e.value = std::move(values.value()[i]);
        const engine::Dims& d = e.value.dims();
        e.value.reshape(engine::Dims(d.begin() + 1, d.end()));
        e.stats = engine::tensorStats(e.value, engine::saturationBandOf(m, e.edge));
        if (logits >= 0) {
            const auto& v = m.values()[std::size_t(logits)];
            e.logits = engine::EdgeRef{v.node, v.port} == e.edge;
        }
        result.edges.push_back(std::move(e));
    }
    if (!edges.empty() && engine::isTraceable(m, edges.front().node))
        if (auto trace = engine::traceRecurrent(m, *backend.value(), request.x, edges.front().node))
            result.trace = std::move(trace).value(); // without one, the edge alone is shown
    result.milliseconds = double(clock.nsecsElapsed()) / 1e6;
    return result;
}

ProbeRunner::ProbeRunner(QObject* parent)
    : QObject(parent), m_cache(std::make_shared<ProbeModelCache>()) {
    qRegisterMetaType<ProbeResultPtr>();
}

quint64 ProbeRunner::submit(ProbeRequest request) {
    m_waiting = std::move(request);
    m_waitingSerial = ++m_serial;
    if (!m_running)
        startNext();
    return m_serial;
}

void ProbeRunner::startNext() {
    if (!m_waiting)
        return;
    auto request = std::make_shared<ProbeRequest>(std::move(*m_waiting));
    const quint64 serial = m_waitingSerial;
    m_waiting.reset();
    m_running = true;
    QPointer<ProbeRunner> self(this);
    backgroundPool().start([self, request, serial, cache = m_cache] {
        // One core: probing must not crowd out the window or a training run.
        engine::ThreadScope oneThread(1);
        auto result = std::make_shared<ProbeResult>(runProbe(*request, cache.get()));
        result->serial = serial;
        QMetaObject::invokeMethod(
            qApp,
            [self, result] {
                if (self)
                    self->deliver(result);
            },
            Qt::QueuedConnection);
    });
}

void ProbeRunner::deliver(ProbeResultPtr result) {
    m_running = false;
    emit finished(result);
    startNext();
}

} // namespace nc::ui
