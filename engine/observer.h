#pragma once
// "Ask, then observe": before a run the executor asks the observer which values it wants and
// hands each wanted value over as soon as it is computed; in backward it does the same for
// the gradient on any edge and for each parameter's gradient. Watching never changes what is
// computed, so a probe cannot disturb a training run. Probes, reconstructions, NaN hunts and
// sampled activations all use this one mechanism.
//
// Every tensor handed over is on the host and valid only during the call; copy what you keep.

#include "tensor.h"

#include "graph_model/ids.h"

#include <string>

namespace nc::engine {

class TensorObserver {
public:
    virtual ~TensorObserver() = default;

    // Activations: the value leaving an output port.
    virtual bool wants(nc::graph::NodeId node, nc::graph::PortIndex port) = 0;
    virtual void observe(nc::graph::NodeId node, nc::graph::PortIndex port,
                         const Tensor& value) = 0;

    // Gradients (backward only): d(loss)/d(value) on an output port, complete once every
    // consumer of the value has run backward.
    virtual bool wantsGradient(nc::graph::NodeId, nc::graph::PortIndex) { return false; }
    virtual void observeGradient(nc::graph::NodeId, nc::graph::PortIndex, const Tensor&) {}

    // Parameter gradients (backward only), by state-dict name ("conv1.weight"), once
    // complete (a tied weight collects from every op that uses it).
    virtual bool wantsParameterGradient(const std::string&) { return false; }
    virtual void observeParameterGradient(const std::string&, const Tensor&) {}

    // Checked between steps; a cancelled run stops and reports it.
    virtual bool cancelled() const { return false; }
};

} // namespace nc::engine
