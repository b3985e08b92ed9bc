#include "saliency.h"

#include "edgeprobe.h"

#include "../executor.h"

#include <algorithm>
#include <cmath>

namespace nc::engine {

namespace {

// Keeps the value and the gradient of one edge, and the classifier's logits.
class EvidenceTaps : public TensorObserver {
public:
    EvidenceTaps(std::optional<EdgeRef> edge, EdgeRef logitsEdge)
        : m_edge(edge), m_logits(logitsEdge) {}
    bool wants(NodeId node, PortIndex port) override {
        return EdgeRef{node, port} == m_logits || (m_edge && EdgeRef{node, port} == *m_edge);
    }
    void observe(NodeId node, PortIndex port, const Tensor& value) override {
        if (EdgeRef{node, port} == m_logits)
            logits = value;
        if (m_edge && EdgeRef{node, port} == *m_edge)
            maps = value;
    }
    bool wantsGradient(NodeId node, PortIndex port) override {
        return m_edge && EdgeRef{node, port} == *m_edge;
    }
    void observeGradient(NodeId, PortIndex, const Tensor& gradient) override {
        mapsGradient = gradient;
    }

    Tensor logits, maps, mapsGradient;

private:
    std::optional<EdgeRef> m_edge;
    EdgeRef m_logits;
};

} // namespace

Tensor gradCam(const Tensor& maps, const Tensor& scoreGradient) {
    const std::int64_t c = maps.dim(0), h = maps.dim(1), w = maps.dim(2), area = h * w;
    Tensor cam({h, w});
    for (std::int64_t k = 0; k < c; ++k) {
        double alpha = 0;
        for (std::int64_t i = 0; i < area; ++i)
            alpha += scoreGradient[k * area + i];
        alpha /= double(area);
        for (std::int64_t i = 0; i < area; ++i)
            cam[i] += float(alpha) * maps[k * area + i];
    }
    for (std::int64_t i = 0; i < area; ++i)
        cam[i] = std::max(cam[i], 0.0f);
    return cam;
}

Result<ClassEvidence> classEvidence(Model& model, Backend& backend, const Tensor& x, int classIndex,
                                    std::optional<EdgeRef> camEdge) {
    const int logitsValue = model.classifierLogits();
    if (logitsValue < 0)
        return Status::error("saliency needs a classifier (a SoftmaxCrossEntropy loss)");
    if (model.classifiesSteps())
        return Status::error("saliency needs one class per sample; this classifier scores every "
                             "time step");
    const int classes = int(model.classes());
    if (classIndex < 0 || classIndex >= classes)
        return Status::error("class " + std::to_string(classIndex) + " is out of range (0.." +
                             std::to_string(classes - 1) + ")");
    if (camEdge) {
        const int v = model.valueOf(camEdge->node, camEdge->port);
        if (v < 0 || model.values()[std::size_t(v)].perSample.size() != 3)
            return Status::error("Grad-CAM needs feature maps (C x H x W); " +
                                 describeEdge(model.graph(), *camEdge) + " has none");
    }
    if (x.rank() < 2 || x.dim(0) != 1)
        return Status::error("saliency takes one sample");
    const Value& logits = model.values()[std::size_t(logitsValue)];
    if (Status s = moveParametersTo(backend, model.params()); !s)
        return s;

    Executor executor(model, backend);
    EvidenceTaps taps(camEdge, EdgeRef{logits.node, logits.port});
    RunContext context;
    context.checkFinite = false;
    context.forBackward = true;
    Tensor y = zeroTargets(model, 1);
    y[0] = float(classIndex);
    if (Status s = executor.forward(x, y, Mode::Eval, context, &taps); !s)
        return s;
    executor.setInputGradientWanted(true);
    if (Status s = executor.backward(&taps); !s)
        return s;
    auto inputGradient = toHost(backend, executor.inputGradient());
    if (!inputGradient)
        return inputGradient.status();

    ClassEvidence e;
    e.classIndex = classIndex;
    const float* z = taps.logits.data();
    const float top = *std::max_element(z, z + classes);
    double sum = 0;
    for (int c = 0; c < classes; ++c)
        sum += std::exp(double(z[c] - top));
    e.probability = float(std::exp(double(z[classIndex] - top)) / sum);

    // The loss is minus the score: flip the gradients' sign.
    const Tensor& g = inputGradient.value();
    const Dims& in = inputDims(model);
    const std::int64_t channels = in.size() == 3 ? in[0] : 1;
    const std::int64_t area = g.size() / channels;
    const std::int64_t h = in.size() == 3 ? in[1] : 1, w = area / h;
    e.saliency = Tensor({h, w});
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t i = 0; i < area; ++i)
            e.saliency[i] = std::max(e.saliency[i], std::abs(g[c * area + i]));
    if (camEdge) {
        Tensor maps = taps.maps, gradient = taps.mapsGradient;
        const Dims perSample(maps.dims().begin() + 1, maps.dims().end());
        maps.reshape(perSample);
        gradient.reshape(perSample);
        for (std::int64_t i = 0; i < gradient.size(); ++i)
            gradient[i] = -gradient[i];
        e.gradCam = gradCam(maps, gradient);
    }
    return e;
}

} // namespace nc::engine
