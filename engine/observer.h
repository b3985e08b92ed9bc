#pragma once
// "Ask, then observe": before a run the executor asks the observer which values it wants,
// runs only the steps those values need, and hands each wanted value over as soon as it is
// computed. Probes, reconstructions and sampled activations all use this one mechanism.

#include "tensor.h"

#include "graph_model/ids.h"

namespace nc::engine {

class TensorObserver {
public:
    virtual ~TensorObserver() = default;
    virtual bool wants(nc::graph::NodeId node, nc::graph::PortIndex port) = 0;
    // The tensor is only valid during the call; copy what you keep.
    virtual void observe(nc::graph::NodeId node, nc::graph::PortIndex port,
                         const Tensor& value) = 0;
    // Checked between steps; a cancelled run stops and reports it.
    virtual bool cancelled() const { return false; }
};

} // namespace nc::engine
