#include "onnxexport.h"

#include "onnxemitter.h"

#include "engine/activations.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <set>

namespace nc::engine {

using nc::core::Status;

namespace onnxexport {

std::string Emitter::valueName(int value) const {
    const Value& v = model.values()[std::size_t(value)];
    const PlanStep* step = model.stepOf(v.node);
    const std::string base = step ? step->name : "value" + std::to_string(value);
    return v.port == 0 ? base : base + ":" + std::to_string(v.port);
}

std::string Emitter::param(const PlanStep& step, std::size_t i) {
    const int index = step.params[i];
    if (auto found = m_params.find(index); found != m_params.end())
        return found->second;
    const Parameter& p = model.params().at(index);
    const std::string name = graph.fresh(p.name);
    graph.initializer(name, p.value.dims(), p.value.data());
    m_params[index] = name;
    return name;
}

std::string Emitter::preActivation(ActivationKind kind, const std::string& out) {
    return kind == ActivationKind::Linear ? out : graph.fresh(out + "/linear");
}

void Emitter::activate(ActivationKind kind, float alpha, const std::string& pre,
                       const std::string& out, std::int64_t softmaxAxis) {
    const ActivationFacts& facts = activationFacts(kind);
    if (kind == ActivationKind::Linear && pre == out)
        return;
    std::vector<Attr> attrs;
    if (facts.takesAlpha)
        attrs.push_back({"alpha", alpha});
    if (kind == ActivationKind::Softmax)
        attrs.push_back({"axis", softmaxAxis});
    graph.node(std::string(facts.onnxOp), {pre}, {out}, attrs);
}

void Emitter::note(const PlanStep& step, const std::string& text) {
    notes.push_back(step.name + ": " + text);
}

namespace {

std::int64_t product(const Dims& d) {
    std::int64_t n = 1;
    for (std::int64_t v : d)
        n *= v;
    return n;
}

// Dense over the flattened sample (Gemm), or per time step over the last axis (MatMul with
// the weight transposed by a node, so the initializer stays the one tensor).
Status emitDense(Emitter& e, const PlanStep& step) {
    const Dims& in = e.dims(step.inputs[0]);
    const std::int64_t k = e.paramValue(step, 0).dim(1);
    std::string x = e.valueName(step.inputs[0]);
    const std::string out = e.valueName(step.outputs[0]);
    const std::string pre = e.preActivation(step.attrs.activation, out);
    const bool perStep = in.size() >= 2 && in.back() == k && product(in) != k;
    const std::string weight = e.param(step, 0);
    if (perStep) {
        const std::string transposed = e.graph.fresh(weight + "/T");
        e.graph.node("Transpose", {weight}, {transposed},
                     {{"perm", std::vector<std::int64_t>{1, 0}}});
        const std::string product = step.attrs.useBias ? e.graph.fresh(out + "/matmul") : pre;
        e.graph.node("MatMul", {x, transposed}, {product});
        if (step.attrs.useBias)
            e.graph.node("Add", {product, e.param(step, 1)}, {pre});
    } else {
        if (in.size() != 1) {
            const std::string flat = e.graph.fresh(x + "/flat");
            e.graph.node("Flatten", {x}, {flat}, {{"axis", std::int64_t(1)}});
            x = flat;
        }
        std::vector<std::string> inputs{x, weight};
        if (step.attrs.useBias)
            inputs.push_back(e.param(step, 1));
        e.graph.node("Gemm", inputs, {pre}, {{"transB", std::int64_t(1)}});
    }
    e.activate(step.attrs.activation, step.attrs.alpha, pre, out, -1);
    return Status::ok();
}

Status emitReshape(Emitter& e, const PlanStep& step) {
    const Dims& out = e.dims(step.outputs[0]);
    const std::string name = e.valueName(step.outputs[0]);
    if (out.size() == 1) {
        e.graph.node("Flatten", {e.valueName(step.inputs[0])}, {name}, {{"axis", std::int64_t(1)}});
        return Status::ok();
    }
    std::vector<std::int64_t> shape{-1};
    shape.insert(shape.end(), out.begin(), out.end());
    e.graph.node("Reshape",
                 {e.valueName(step.inputs[0]), e.graph.constantInts(name + "/shape", shape)},
                 {name});
    return Status::ok();
}

Status emitMerge(Emitter& e, const PlanStep& step) {
    std::vector<std::string> inputs;
    for (int v : step.inputs)
        inputs.push_back(e.valueName(v));
    const std::string out = e.valueName(step.outputs[0]);
    if (step.kind == OpKind::Concat)
        e.graph.node("Concat", inputs, {out}, {{"axis", std::int64_t(step.attrs.axis + 1)}});
    else
        e.graph.node(inputs.size() == 2 ? "Add" : "Sum", inputs, {out});
    return Status::ok();
}

Status emitStep(Emitter& e, const PlanStep& step) {
    switch (step.kind) {
    case OpKind::Input:
        return Status::ok();
    case OpKind::Conv2D:
    case OpKind::Deconv2D:
    case OpKind::MaxPool2D:
    case OpKind::AvgPool2D:
    case OpKind::GlobalAvgPool2D:
    case OpKind::Upscale2D:
        return emitSpatial(e, step);
    case OpKind::Dense:
        return emitDense(e, step);
    case OpKind::Activation: {
        const std::string in = e.valueName(step.inputs[0]);
        const std::string out = e.valueName(step.outputs[0]);
        if (step.attrs.activation == ActivationKind::Linear)
            e.graph.node("Identity", {in}, {out});
        else
            e.activate(step.attrs.activation, step.attrs.alpha, in, out, 1);
        return Status::ok();
    }
    case OpKind::Dropout:
        // ONNX's Dropout outside training mode is the identity, and keeps the layer.
        e.graph.node("Dropout", {e.valueName(step.inputs[0])}, {e.valueName(step.outputs[0])});
        e.note(step, "Dropout exported in inference form (the identity)");
        return Status::ok();
    case OpKind::BatchNorm:
        e.graph.node("BatchNormalization",
                     {e.valueName(step.inputs[0]), e.param(step, 0), e.param(step, 1),
                      e.param(step, 2), e.param(step, 3)},
                     {e.valueName(step.outputs[0])},
                     {{"epsilon", step.attrs.epsilon}, {"momentum", step.attrs.momentum}});
        e.note(step, "BatchNorm exported in inference form (its running mean and variance)");
        return Status::ok();
    case OpKind::Reshape:
        return emitReshape(e, step);
    case OpKind::Concat:
    case OpKind::Add:
        return emitMerge(e, step);
    case OpKind::SimpleRNN:
    case OpKind::LSTM:
    case OpKind::GRU:
        return emitRecurrent(e, step);
    case OpKind::Embedding: {
        const std::string out = e.valueName(step.outputs[0]);
        const std::string indices = e.graph.fresh(out + "/indices");
        e.graph.node("Cast", {e.valueName(step.inputs[0])}, {indices},
                     {{"to", std::int64_t(onnx::TensorProto::INT64)}});
        e.graph.node("Gather", {e.param(step, 0), indices}, {out}, {{"axis", std::int64_t(0)}});
        return Status::ok();
    }
    case OpKind::SoftmaxCrossEntropy:
    case OpKind::MSE:
    case OpKind::BinaryCrossEntropy:
        e.note(step, std::string("the loss is left out; the model's output is its input") +
                         (step.kind == OpKind::SoftmaxCrossEntropy
                              ? " (logits: apply softmax for probabilities)"
                              : ""));
        return Status::ok();
    }
    return Status::error("no ONNX form for this layer");
}

// The model's outputs: what fed the losses, else every value nothing reads.
std::vector<int> outputValues(const Model& model) {
    std::vector<int> outputs;
    for (const PlanStep& step : model.steps())
        if (isLoss(step.kind) && !step.inputs.empty() &&
            std::find(outputs.begin(), outputs.end(), step.inputs[0]) == outputs.end())
            outputs.push_back(step.inputs[0]);
    if (!outputs.empty())
        return outputs;
    std::set<int> read;
    for (const PlanStep& step : model.steps())
        read.insert(step.inputs.begin(), step.inputs.end());
    for (const PlanStep& step : model.steps())
        if (step.kind != OpKind::Input)
            for (int v : step.outputs)
                if (!read.count(v))
                    outputs.push_back(v);
    return outputs;
}

} // namespace

} // namespace onnxexport

Result<OnnxModel> exportOnnx(const Model& model, const std::string& graphName) {
    using namespace onnxexport;
    onnx::ModelProto proto;
    proto.set_ir_version(onnx::IR_VERSION);
    proto.set_producer_name("NetCanvas");
    auto* opset = proto.add_opset_import();
    opset->set_domain("");
    opset->set_version(17);
    onnx::GraphProto& graphProto = *proto.mutable_graph();
    graphProto.set_name(graphName.empty() ? "network" : graphName);
    OnnxGraph graph(graphProto);
    Emitter e(graph, model);
    OnnxModel result;
    const PlanStep& input = model.inputStep();
    const std::string inputName = e.valueName(input.outputs[0]);
    graph.input(inputName, e.dims(input.outputs[0]));
    result.inputs.push_back(inputName);
    for (const PlanStep& step : model.steps())
        if (step.kind != OpKind::Input)
            graph.reserve(step.name);
    for (const PlanStep& step : model.steps())
        if (Status s = emitStep(e, step); !s)
            return Status::error("layer '" + step.name +
                                 "' cannot be exported to ONNX: " + s.message());
    for (int v : outputValues(model)) {
        graph.output(e.valueName(v), e.dims(v));
        result.outputs.push_back(e.valueName(v));
    }
    try {
        onnx::checker::check_model(proto);
        onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const std::exception& error) {
        return Status::error(std::string("the exported model fails ONNX's checks: ") +
                             error.what());
    }
    if (!proto.SerializeToString(&result.bytes))
        return Status::error("the ONNX model could not be serialized");
    for (const onnx::TensorProto& t : proto.graph().initializer())
        result.initializers.push_back(t.name());
    result.notes = std::move(e.notes);
    return result;
}

} // namespace nc::engine
