#include "fallbackstaging.h"

#include <deque>

namespace nc::engine {

namespace {

// Host copies that stay put while the op runs (a deque never moves its elements).
class Stage {
public:
    explicit Stage(Backend& device) : m_device(device) {}

    Result<Tensor*> in(const Tensor* t) {
        if (!t)
            return static_cast<Tensor*>(nullptr);
        Tensor& copy = m_copies.emplace_back();
        if (Status s = m_device.download(*t, copy); !s)
            return s;
        return &copy;
    }
    // A host copy whose contents go back to `original` afterwards.
    Result<Tensor*> inOut(Tensor* t) {
        Result<Tensor*> copy = in(t);
        if (copy && t)
            m_writeBack.emplace_back(copy.value(), t);
        return copy;
    }
    Status writeBack() {
        for (auto& [copy, original] : m_writeBack)
            if (Status s = m_device.upload(*copy, *original); !s)
                return s;
        return Status::ok();
    }

private:
    Backend& m_device;
    std::deque<Tensor> m_copies;
    std::vector<std::pair<Tensor*, Tensor*>> m_writeBack;
};

} // namespace

Status runStagedThroughHost(Backend& host, Backend& device, OpCall& call, bool forward) {
    Stage stage(device);
    OpCall staged = call;
    std::string failure;
    auto take = [&failure](Result<Tensor*> r) -> Tensor* {
        if (!r && failure.empty())
            failure = r.message();
        return r ? r.value() : nullptr;
    };
    for (std::size_t i = 0; i < call.inputs.size(); ++i)
        staged.inputs[i] = take(stage.in(call.inputs[i]));
    for (std::size_t i = 0; i < call.params.size(); ++i)
        staged.params[i] = take(forward ? stage.inOut(call.params[i]) // running statistics
                                        : stage.in(call.params[i]));
    staged.output = take(forward ? stage.inOut(call.output) : stage.in(call.output));
    if (!forward) {
        staged.gradOutput = take(stage.in(call.gradOutput));
        for (std::size_t i = 0; i < call.gradInputs.size(); ++i)
            staged.gradInputs[i] = take(stage.inOut(call.gradInputs[i]));
        for (std::size_t i = 0; i < call.gradParams.size(); ++i)
            staged.gradParams[i] = take(stage.inOut(call.gradParams[i]));
    }
    if (!failure.empty())
        return Status::error(failure);
    if (Status s = forward ? host.forward(staged) : host.backward(staged); !s)
        return s;
    return stage.writeBack();
}

} // namespace nc::engine
