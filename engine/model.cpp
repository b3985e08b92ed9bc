#include "model.h"

#include "graph_model/layerregistry.h"
#include "graph_model/shapeinference.h"
#include "graph_model/topology.h"

#include <algorithm>

namespace nc::engine {

using namespace nc::graph;

namespace {

struct NodeParams {
    const Node& node;
    const ParamValue& value(const char* name) const { return *node.params.find(name); }
    std::int64_t integer(const char* name) const { return std::get<std::int64_t>(value(name)); }
    double number(const char* name) const {
        const ParamValue& v = value(name);
        return std::holds_alternative<double>(v) ? std::get<double>(v)
                                                 : double(std::get<std::int64_t>(v));
    }
    bool flag(const char* name) const { return std::get<bool>(value(name)); }
    const std::string& text(const char* name) const { return std::get<std::string>(value(name)); }
    const IntList& ints(const char* name) const { return std::get<IntList>(value(name)); }
    bool isNone(const char* name) const {
        return std::holds_alternative<std::monostate>(value(name));
    }
};

// Fused activations have no alpha parameter: leaky_relu uses 0.01 and elu 1, as PyTorch.
float fusedAlpha(ActivationKind kind) {
    return kind == ActivationKind::Elu ? 1.0f : 0.01f;
}

ActivationKind activationKind(const std::string& name) {
    if (name == "relu")
        return ActivationKind::Relu;
    if (name == "tanh")
        return ActivationKind::Tanh;
    if (name == "sigmoid")
        return ActivationKind::Sigmoid;
    if (name == "softmax")
        return ActivationKind::Softmax;
    if (name == "leaky_relu")
        return ActivationKind::LeakyRelu;
    if (name == "elu")
        return ActivationKind::Elu;
    return ActivationKind::Linear;
}

OpKind opKind(const std::string& type) {
    static const std::pair<const char*, OpKind> table[] = {
        {"Input", OpKind::Input},
        {"Conv2D", OpKind::Conv2D},
        {"Deconv2D", OpKind::Deconv2D},
        {"MaxPool2D", OpKind::MaxPool2D},
        {"AvgPool2D", OpKind::AvgPool2D},
        {"GlobalAvgPool2D", OpKind::GlobalAvgPool2D},
        {"Upscale2D", OpKind::Upscale2D},
        {"Dense", OpKind::Dense},
        {"Activation", OpKind::Activation},
        {"Dropout", OpKind::Dropout},
        {"BatchNorm", OpKind::BatchNorm},
        {"Flatten", OpKind::Reshape},
        {"Reshape", OpKind::Reshape},
        {"Concat", OpKind::Concat},
        {"Add", OpKind::Add},
        {"SoftmaxCrossEntropy", OpKind::SoftmaxCrossEntropy},
        {"MSE", OpKind::MSE},
        {"BinaryCrossEntropy", OpKind::BinaryCrossEntropy},
    };
    for (const auto& [name, kind] : table)
        if (type == name)
            return kind;
    return OpKind::Input;
}

// Splits a total padding like TensorFlow: the odd cell goes at the end.
void splitPadding(std::int64_t total, int& before, int& after) {
    before = int(total / 2);
    after = int(total - before);
}

// Resolves a padding parameter to explicit amounts on each side, for an op whose input is
// `in` and output `out` (per axis). `transposed`: the padding is a Deconv2D's crop.
void resolvePadding(const ParamValue& padding, Window& w, const Dims& in, const Dims& out,
                    bool transposed) {
    const int ekh = w.dh * (w.kh - 1) + 1, ekw = w.dw * (w.kw - 1) + 1;
    if (auto* explicitPad = std::get_if<IntList>(&padding)) {
        w.padTop = w.padBottom = int((*explicitPad)[0]);
        w.padLeft = w.padRight = int((*explicitPad)[1]);
        return;
    }
    const std::string& mode = std::get<std::string>(padding);
    if (mode == "full") {
        w.padTop = w.padBottom = ekh - 1;
        w.padLeft = w.padRight = ekw - 1;
    } else if (mode == "same") {
        // conv: in + total = (out-1)s + ek;  deconv: out = (in-1)s + ek - total
        std::int64_t th =
            transposed ? (in[1] - 1) * w.sh + ekh - out[1] : (out[1] - 1) * w.sh + ekh - in[1];
        std::int64_t tw =
            transposed ? (in[2] - 1) * w.sw + ekw - out[2] : (out[2] - 1) * w.sw + ekw - in[2];
        splitPadding(transposed ? th : std::max<std::int64_t>(th, 0), w.padTop, w.padBottom);
        splitPadding(transposed ? tw : std::max<std::int64_t>(tw, 0), w.padLeft, w.padRight);
    }
}

Window windowOf(const IntList& kernel, const IntList& stride, const IntList& dilation) {
    Window w;
    w.kh = int(kernel[0]);
    w.kw = int(kernel[1]);
    w.sh = int(stride[0]);
    w.sw = int(stride[1]);
    w.dh = int(dilation[0]);
    w.dw = int(dilation[1]);
    return w;
}

std::string errorsOf(const InferenceResult& inference) {
    std::string text;
    int shown = 0;
    for (const Diagnostic& d : inference.diagnostics()) {
        if (d.severity != Severity::Error)
            continue;
        if (shown++ < 5)
            text += "\n  " + d.message;
    }
    return "the graph has " + std::to_string(shown) + (shown == 1 ? " error" : " errors") + ":" +
           text;
}

} // namespace

int Model::valueOf(NodeId node, PortIndex port) const {
    for (std::size_t i = 0; i < m_values.size(); ++i)
        if (m_values[i].node == node && m_values[i].port == port)
            return int(i);
    return -1;
}

const PlanStep* Model::stepOf(NodeId node) const {
    for (const PlanStep& s : m_steps)
        if (s.node == node)
            return &s;
    return nullptr;
}

std::int64_t Model::classes() const {
    return m_classifierLogits < 0 ? 0
                                  : product(m_values[std::size_t(m_classifierLogits)].perSample);
}

Result<Model> Model::compile(const Graph& graph) {
    InferenceResult inference = inferShapes(graph);
    if (!inference.valid())
        return Status::error(errorsOf(inference));
    Model model;
    model.m_graph = graph;
    std::vector<NodeId> inputs;
    for (NodeId id : graph.nodeIds())
        if (graph.node(id)->type == "Input")
            inputs.push_back(id);
    if (inputs.size() != 1)
        return Status::error("the graph needs exactly one Input node, it has " +
                             std::to_string(inputs.size()));

    for (NodeId id : dependencyOrder(graph).order) {
        const Node& node = *graph.node(id);
        const NodeInference& inf = *inference.node(id);
        NodeParams p{node};
        PlanStep step;
        step.node = id;
        step.name = node.name;
        step.kind = opKind(node.type);
        for (PortIndex port = 0; port < int(inf.outputs.size()); ++port) {
            step.outputs.push_back(int(model.m_values.size()));
            model.m_values.push_back({id, port, *inf.outputs[std::size_t(port)]});
        }
        for (PortIndex port = 0; port < int(inf.inputs.size()); ++port) {
            Edge e = *graph.edgeInto(id, port);
            step.inputs.push_back(model.valueOf(e.outNode, e.outPort));
        }
        const Dims in = inf.inputs.empty() ? Dims{} : Dims(*inf.inputs[0]);
        const Dims out = Dims(*inf.outputs[0]);
        OpAttrs& a = step.attrs;
        auto addParam = [&](const ParamTensor& t, std::string init, std::int64_t fanIn,
                            std::int64_t fanOut) {
            Parameter param;
            param.name = node.name + "." + t.name;
            param.value = Tensor(Dims(t.shape));
            param.trainable = t.trainable;
            param.init = std::move(init);
            param.fanIn = fanIn;
            param.fanOut = fanOut;
            step.params.push_back(model.m_params.add(std::move(param)));
        };
        switch (step.kind) {
        case OpKind::Conv2D:
        case OpKind::Deconv2D: {
            const bool transposed = step.kind == OpKind::Deconv2D;
            NodeId tiedTo =
                transposed && !p.isNone("tie_weights_to") ? p.integer("tie_weights_to") : kNoNode;
            const Node& geometry = tiedTo != kNoNode ? *graph.node(tiedTo) : node;
            NodeParams g{geometry};
            a.window = windowOf(g.ints("kernel_size"), g.ints("stride"), g.ints("dilation"));
            resolvePadding(p.value("padding"), a.window, in, out, transposed);
            a.activation = activationKind(p.text("activation"));
            a.alpha = fusedAlpha(a.activation);
            a.useBias = p.flag("use_bias");
            const ParamTensor& weight = inf.params[0];
            const std::int64_t field = std::int64_t(a.window.kh) * a.window.kw;
            if (tiedTo != kNoNode)
                step.params.push_back(*model.m_params.find(geometry.name + ".weight"));
            else
                addParam(weight, p.text("weight_init"), weight.shape[1] * field,
                         weight.shape[0] * field);
            if (a.useBias)
                addParam(inf.params.back(), "zeros", 1, 1);
            break;
        }
        case OpKind::MaxPool2D:
        case OpKind::AvgPool2D: {
            const IntList& pool = p.ints("pool_size");
            a.window = windowOf(pool, p.isNone("stride") ? pool : p.ints("stride"), {1, 1});
            resolvePadding(p.value("padding"), a.window, in, out, false);
            break;
        }
        case OpKind::Upscale2D:
            a.window.sh = int(p.ints("scale")[0]);
            a.window.sw = int(p.ints("scale")[1]);
            a.bilinear = p.text("mode") == "bilinear";
            break;
        case OpKind::Dense:
            a.activation = activationKind(p.text("activation"));
            a.alpha = fusedAlpha(a.activation);
            a.useBias = p.flag("use_bias");
            addParam(inf.params[0], p.text("weight_init"), inf.params[0].shape[1],
                     inf.params[0].shape[0]);
            if (a.useBias)
                addParam(inf.params[1], "zeros", 1, 1);
            break;
        case OpKind::Activation:
            a.activation = activationKind(p.text("function"));
            a.alpha = float(p.number("alpha"));
            break;
        case OpKind::Dropout:
            a.rate = float(p.number("rate"));
            break;
        case OpKind::BatchNorm:
            a.momentum = float(p.number("momentum"));
            a.epsilon = float(p.number("epsilon"));
            addParam(inf.params[0], "ones", 1, 1);
            addParam(inf.params[1], "zeros", 1, 1);
            addParam(inf.params[2], "zeros", 1, 1);
            addParam(inf.params[3], "ones", 1, 1);
            break;
        case OpKind::Concat:
            a.axis = int(p.integer("axis"));
            break;
        case OpKind::SoftmaxCrossEntropy:
        case OpKind::MSE:
        case OpKind::BinaryCrossEntropy:
            step.lossWeight = float(p.number("weight"));
            if (step.kind == OpKind::SoftmaxCrossEntropy && model.m_classifierLogits < 0)
                model.m_classifierLogits = step.inputs[0];
            break;
        default:
            break;
        }
        if (step.kind == OpKind::Input)
            model.m_inputStep = int(model.m_steps.size());
        model.m_steps.push_back(std::move(step));
    }
    return model;
}

} // namespace nc::engine
