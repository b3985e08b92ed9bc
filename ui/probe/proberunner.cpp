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

namespace nc::ui {

ProbeResult runProbe(const ProbeRequest& request) {
    QElapsedTimer clock;
    clock.start();
    ProbeResult result;
    auto fail = [&](const std::string& message) {
        result.error = QString::fromStdString(message);
        result.milliseconds = double(clock.nsecsElapsed()) / 1e6;
        return result;
    };
    auto model = engine::compileWithWeights(request.graph, request.weights, request.seed,
                                            request.weightsLabel.toStdString());
    if (!model)
        return fail(model.message());
    engine::Model& m = model.value();
    auto backend = engine::createBackend("cpu");
    if (!backend)
        return fail(backend.message());
    engine::ProbeOptions options;
    options.mode = request.mode;
    options.seed = request.seed;
    auto values = engine::probeEdges(m, *backend.value(), request.x, request.edges, options);
    if (!values)
        return fail(values.message());
    for (std::size_t i = 0; i < request.edges.size(); ++i) {
        ProbedEdge e;
        e.edge = request.edges[i];
        e.value = std::move(values.value()[i]);
        const engine::Dims& d = e.value.dims();
        e.value.reshape(engine::Dims(d.begin() + 1, d.end()));
        e.stats = engine::tensorStats(e.value, engine::saturationBandOf(m, e.edge));
        result.edges.push_back(std::move(e));
    }
    result.milliseconds = double(clock.nsecsElapsed()) / 1e6;
    return result;
}

ProbeRunner::ProbeRunner(QObject* parent) : QObject(parent) {
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
    backgroundPool().start([self, request, serial] {
        // One core: probing must not crowd out the window or a training run.
        engine::ThreadScope oneThread(1);
        auto result = std::make_shared<ProbeResult>(runProbe(*request));
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
