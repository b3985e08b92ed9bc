#include "backend.h"

#include "parameterstore.h"

namespace nc::engine {

Status moveTo(Backend& backend, Tensor& t) {
    if (t.device() == backend.device())
        return Status::ok();
    if (!t.onHost())
        return Status::error("cannot move a tensor from " + t.device().text() + " to " +
                             backend.device().text() + " directly");
    Tensor moved = backend.newTensor();
    if (Status s = backend.upload(t, moved); !s)
        return s;
    t = std::move(moved);
    return Status::ok();
}

Status moveParametersTo(Backend& backend, ParameterStore& params) {
    for (Parameter& p : params.all()) {
        if (Status s = moveTo(backend, p.value); !s)
            return s;
        if (Status s = moveTo(backend, p.grad); !s)
            return s;
    }
    return Status::ok();
}

Result<Tensor> toHost(Backend& backend, const Tensor& t) {
    if (t.onHost())
        return t;
    Tensor host;
    if (Status s = backend.download(t, host); !s)
        return s;
    return host;
}

} // namespace nc::engine
