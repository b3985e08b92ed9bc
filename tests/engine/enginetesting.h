#pragma once
// Helpers for engine tests: small graphs built from a chain of layers, random batches, and a
// finite-difference gradient checker that runs through the real executor.

#include "engine/executor.h"
#include "engine/model.h"
#include "engine/trainer.h"

#include "graph_model/graph.h"
#include "graph_model/shape.h"

#include <QString>
#include <QVariantMap>

namespace nc::test {

struct LayerDesc {
    QString type;
    QVariantMap params;
};

// Input(shape) -> layers... -> loss(prediction, Input.y). The Input's target_shape is set to
// what the last layer produces (a class index for SoftmaxCrossEntropy).
graph::Result<graph::Graph> buildChain(const graph::Shape& inputShape,
                                       const QList<LayerDesc>& layers, const QString& loss = "MSE");

// One of resources/examples, compiled (the examples are valid by test).
engine::Model compileExample(const char* name);

// Uniform values in [lo, hi), deterministic in seed.
engine::Tensor randomTensor(const engine::Dims& dims, std::uint64_t seed, float lo = -1.0f,
                            float hi = 1.0f);

// A short, deterministic training configuration: Nesterov, lr 0.01, batch 64, seed 5.
engine::TrainConfig quickConfig(int epochs);
// Every parameter value of the model, in order, on the host.
std::vector<float> flatParams(const engine::Model& model);

struct GradientReport {
    int checked = 0;
    double worstError = 0.0; // max |analytic - numeric| / max(1e-2, |analytic| + |numeric|)
    QString worstWhere;
};

// Compares d(loss)/d(every parameter, sampled) and d(loss)/d(Input.x) with central
// differences; mode Train runs dropout and batch statistics as in training.
graph::Result<GradientReport> checkGradients(engine::Model& model, const engine::Tensor& x,
                                             const engine::Tensor& y, engine::Mode mode,
                                             float epsilon = 1e-2f, int samplesPerTensor = 24);

} // namespace nc::test
