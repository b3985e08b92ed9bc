#include "layertiming.h"

#include "../executor.h"
#include "../opprofile.h"
#include "../random.h"

#include <algorithm>
#include <chrono>

namespace nc::engine {

MadeUpBatch madeUpBatch(const Model& model, std::int64_t batch) {
    const auto& values = model.values();
    const PlanStep& input = model.inputStep();
    Dims xd{batch}, yd{batch};
    for (auto d : values[std::size_t(input.outputs[0])].perSample)
        xd.push_back(d);
    for (auto d : values[std::size_t(input.outputs[1])].perSample)
        yd.push_back(d);
    MadeUpBatch b{Tensor(xd), Tensor(yd)};
    for (std::int64_t i = 0; i < b.x.size(); ++i)
        b.x[i] = uniform01(1, 2, std::uint64_t(i));
    const std::int64_t classes = model.classes();
    for (std::int64_t i = 0; i < b.y.size(); ++i)
        b.y[i] = classes > 0 ? float(i % classes) : 0.0f;
    return b;
}

Result<LayerTiming> timeLayers(Model& model, Backend& backend, std::int64_t batch, double seconds,
                               const std::function<bool()>& cancelled) {
    using Clock = std::chrono::steady_clock;
    if (Status s = moveParametersTo(backend, model.params()); !s)
        return s;
    const MadeUpBatch b = madeUpBatch(model, batch);
    Executor executor(model, backend);
    if (Status s = executor.bind(b.x, b.y); !s)
        return s;
    LayerTiming timing;
    timing.backward = std::any_of(model.steps().begin(), model.steps().end(),
                                  [](const PlanStep& step) { return isLoss(step.kind); });
    // Watches nothing; its cancelled() stops a pass between two ops.
    struct Stop final : TensorObserver {
        const std::function<bool()>& asked;
        explicit Stop(const std::function<bool()>& cancelledFn) : asked(cancelledFn) {}
        bool wants(NodeId, PortIndex) override { return false; }
        void observe(NodeId, PortIndex, const Tensor&) override {}
        bool cancelled() const override { return asked(); }
    };
    Stop stop(cancelled);
    auto pass = [&](std::uint64_t step) {
        Status s = executor.forwardBound(Mode::Train, {1, step, false}, &stop);
        if (s && timing.backward)
            s = executor.backward(&stop);
        if (s)
            s = backend.synchronize();
        return s;
    };
    if (cancelled())
        return Status::error("cancelled");
    if (Status s = pass(0); !s) // buffers grow, algorithms are chosen
        return s;
    OpProfile profile;
    executor.setProfile(&profile);
    const auto start = Clock::now();
    double elapsed = 0;
    while (timing.steps < 3 || elapsed < seconds) {
        if (cancelled())
            return Status::error("cancelled");
        if (Status s = pass(std::uint64_t(timing.steps) + 1); !s)
            return s;
        ++timing.steps;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    timing.stepMs = 1000.0 * elapsed / timing.steps;
    for (const OpProfile::Entry& e : profile.entries())
        timing.layers.push_back({model.steps()[e.step].node, e.name,
                                 1000.0 * e.forwardSeconds / timing.steps,
                                 1000.0 * e.backwardSeconds / timing.steps});
    return timing;
}

} // namespace nc::engine
