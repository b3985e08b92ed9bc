#include "networksummary.h"

#include "shape.h"
#include "topology.h"

#include <cstdio>
#include <functional>
#include <set>

namespace nc::graph {

namespace {

std::int64_t elements(const std::optional<Shape>& shape) {
    if (!shape)
        return 0;
    std::int64_t n = 1;
    for (std::int64_t d : *shape)
        n *= std::max<std::int64_t>(d, 0);
    return n;
}

std::string stringParam(const Node& node, const char* name) {
    const ParamValue* v = node.params.find(name);
    return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : std::string();
}

const ParamTensor* tensorNamed(const NodeInference& inf, const std::string& name) {
    for (const ParamTensor& t : inf.params)
        if (t.name == name)
            return &t;
    return nullptr;
}

// Multiply-adds of one forward pass of one sample.
std::int64_t multiplyAdds(const Node& node, const NodeInference& inf) {
    const ParamTensor* weight = tensorNamed(inf, "weight");
    const std::int64_t out = inf.outputs.empty() ? 0 : elements(inf.outputs[0]);
    const std::int64_t in = inf.inputs.empty() ? 0 : elements(inf.inputs[0]);
    if (node.type == "Dense" && weight)
        return out * (weight->shape.size() > 1 ? weight->shape[1] : 0);
    if (node.type == "Conv2D" && weight && weight->shape.size() == 4) // [F, C, kh, kw]
        return out * weight->shape[1] * weight->shape[2] * weight->shape[3];
    if (node.type == "Deconv2D" && weight && weight->shape.size() == 4) // [Cin, Cout, kh, kw]
        return in * weight->shape[1] * weight->shape[2] * weight->shape[3];
    if (node.type == "SimpleRNN" || node.type == "LSTM" || node.type == "GRU") {
        // Every step multiplies the input and the hidden state by the gate weights.
        std::int64_t total = 0;
        for (const ParamTensor& t : inf.params)
            if (t.name.starts_with("weight_") && t.shape.size() == 2)
                total += t.shape[0] * t.shape[1];
        const std::int64_t steps =
            !inf.inputs.empty() && inf.inputs[0] && !inf.inputs[0]->empty() ? (*inf.inputs[0])[0] : 1;
        return total * steps;
    }
    return 0;
}

bool isWeighted(const std::string& type) {
    return type == "Dense" || type == "Conv2D" || type == "Deconv2D";
}

// Layers a value passes through without meeting a nonlinearity.
bool isLinearPassThrough(const Node& node) {
    static const std::set<std::string> linear = {"Flatten", "Reshape", "Dropout", "AvgPool2D",
                                                 "GlobalAvgPool2D", "Upscale2D", "BatchNorm",
                                                 "Concat", "Add"};
    if (node.type == "Activation")
        return stringParam(node, "function") == "linear";
    return linear.count(node.type) > 0;
}

void warnAboutDesign(const Graph& graph, const InferenceResult& shapes, NetworkSummary& s) {
    int weighted = 0;
    for (const LayerSummary& l : s.layers)
        weighted += isWeighted(l.type) ? 1 : 0;
    for (const LayerSummary& l : s.layers) {
        const Node& node = *graph.node(l.id);
        const NodeInference* inf = shapes.node(l.id);
        if (!inf)
            continue;
        if (l.type == "Dense" && weighted >= 2 && s.params > 0 && l.params * 10 > s.params * 9) {
            char share[16];
            std::snprintf(share, sizeof share, "%.0f%%", 100.0 * double(l.params) / double(s.params));
            s.warnings.push_back({l.id, l.name + " holds " + share +
                                            " of the parameters: a pooling or a smaller layer "
                                            "before it would shrink the model"});
        }
        if ((l.type == "MaxPool2D" || l.type == "AvgPool2D") && !inf->inputs.empty() &&
            inf->inputs[0] && inf->outputs[0] && inf->inputs[0]->size() == 3) {
            // Cells its windows read, against the cells it is given.
            const ParamValue* pool = node.params.find("pool_size");
            if (pool && std::holds_alternative<IntList>(*pool) && std::get<IntList>(*pool).size() == 2) {
                const IntList& k = std::get<IntList>(*pool);
                const Shape& in = *inf->inputs[0];
                const Shape& out = *inf->outputs[0];
                const double read = double(std::min(out[1] * k[0], in[1])) *
                                    double(std::min(out[2] * k[1], in[2]));
                const double given = double(in[1]) * double(in[2]);
                if (given > 0 && read < 0.5 * given)
                    s.warnings.push_back(
                        {l.id, l.name + " reads only " + std::to_string(int(100 * read / given)) +
                                   "% of its input map (stride larger than the window)"});
            }
        }
        // A weighted layer with a linear activation feeding another weighted layer through
        // linear layers only: the two compose to one linear map.
        if (isWeighted(l.type) && stringParam(node, "activation") == "linear") {
            std::set<NodeId> seen;
            std::function<void(NodeId)> follow = [&](NodeId from) {
                for (const Edge& e : graph.edgesOutOf(from)) {
                    if (!seen.insert(e.inNode).second)
                        continue;
                    const Node& next = *graph.node(e.inNode);
                    if (isWeighted(next.type))
                        s.warnings.push_back(
                            {next.id, l.name + " and " + next.name +
                                          " meet no nonlinearity between them: together they are "
                                          "one linear map (give " + l.name + " an activation)"});
                    else if (isLinearPassThrough(next))
                        follow(next.id);
                }
            };
            follow(l.id);
        }
    }
}

std::string outputsText(const Graph& graph, const Node& node, const NodeInference& inf) {
    const LayerSpec& spec = graph.specOf(node);
    if (spec.outputs.size() == 1)
        return formatShape(inf.outputs[0]);
    std::string text;
    for (std::size_t i = 0; i < spec.outputs.size() && i < inf.outputs.size(); ++i)
        text += (i ? ", " : "") + spec.outputs[i].name + " " + formatShape(inf.outputs[i]);
    return text;
}

} // namespace

std::string formatBytes(std::int64_t bytes) {
    char text[32];
    const double b = double(bytes);
    if (b >= 1e9)
        std::snprintf(text, sizeof text, "%.2f GB", b / 1e9);
    else if (b >= 1e6)
        std::snprintf(text, sizeof text, "%.1f MB", b / 1e6);
    else if (b >= 1e3)
        std::snprintf(text, sizeof text, "%.1f kB", b / 1e3);
    else
        std::snprintf(text, sizeof text, "%.0f B", b);
    return text;
}

NetworkSummary summarizeNetwork(const Graph& graph, const InferenceResult& shapes,
                                std::int64_t batch, const std::string& optimizer) {
    NetworkSummary s;
    const auto& training = graph.training();
    s.memory.batch = batch > 0 ? batch : training ? training->batch : 128;
    s.memory.optimizer = !optimizer.empty() ? optimizer : training ? training->optimizer : "nesterov";
    std::int64_t trainable = 0, buffers = 0;
    DependencyOrder order = dependencyOrder(graph);
    std::vector<NodeId> all = order.order;
    all.insert(all.end(), order.cyclic.begin(), order.cyclic.end());
    for (NodeId id : all) {
        const Node& node = *graph.node(id);
        const NodeInference* inf = shapes.node(id);
        LayerSummary l;
        l.id = id;
        l.name = node.name;
        l.type = node.type;
        if (inf) {
            l.output = outputsText(graph, node, *inf);
            l.params = inf->paramCount;
            l.multiplyAdds = multiplyAdds(node, *inf);
            // The Input's values are data, not activations a layer makes.
            if (node.type != "Input")
                for (const auto& out : inf->outputs)
                    l.activations += elements(out);
            for (const ParamTensor& t : inf->params)
                if (!t.trainable && t.tiedTo == kNoNode)
                    buffers += elements(t.shape);
        }
        trainable += l.params;
        s.params += l.params;
        s.multiplyAdds += l.multiplyAdds;
        s.activations += l.activations;
        s.layers.push_back(std::move(l));
    }
    const std::string& opt = s.memory.optimizer;
    const int states = opt == "adam" ? 2 : opt == "sgd" ? 0 : 1;
    s.memory.weightBytes = 4 * (trainable + buffers);
    s.memory.gradientBytes = 4 * trainable;
    s.memory.optimizerBytes = 4 * trainable * states;
    s.memory.activationBytes = 4 * 2 * s.memory.batch * s.activations; // values and gradients
    warnAboutDesign(graph, shapes, s);
    return s;
}

std::string summaryMarkdown(const NetworkSummary& s) {
    std::string text =
        "| layer | type | output | parameters | multiply-adds | activation memory |\n"
        "|---|---|---|---:|---:|---:|\n";
    for (const LayerSummary& l : s.layers)
        text += "| " + l.name + " | " + l.type + " | " + l.output + " | " + formatCount(l.params) +
                " | " + formatCount(l.multiplyAdds) + " | " + formatBytes(4 * l.activations) +
                " |\n";
    text += "| **total** | | | **" + formatCount(s.params) + "** | **" +
            formatCount(s.multiplyAdds) + "** | **" + formatBytes(4 * s.activations) +
            "** |\n\nPer sample: multiply-adds of one forward pass, activation memory in float32.\n";
    text += "Training memory at batch " + std::to_string(s.memory.batch) + " (" +
            s.memory.optimizer + "): " + formatBytes(s.memory.total()) + " (weights " +
            formatBytes(s.memory.weightBytes) + ", gradients " + formatBytes(s.memory.gradientBytes) +
            ", optimizer " + formatBytes(s.memory.optimizerBytes) + ", activations " +
            formatBytes(s.memory.activationBytes) + ")\n";
    for (const SummaryWarning& w : s.warnings)
        text += "\n- warning: " + w.message;
    if (!s.warnings.empty())
        text += "\n";
    return text;
}

std::string summaryCsv(const NetworkSummary& s) {
    auto quoted = [](const std::string& field) {
        std::string q = "\"";
        for (char c : field)
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    std::string text = "id,name,type,output,parameters,multiply_adds,activations,activation_bytes\n";
    for (const LayerSummary& l : s.layers)
        text += std::to_string(l.id) + "," + quoted(l.name) + "," + quoted(l.type) + "," +
                quoted(l.output) + "," + std::to_string(l.params) + "," +
                std::to_string(l.multiplyAdds) + "," + std::to_string(l.activations) + "," +
                std::to_string(4 * l.activations) + "\n";
    return text;
}

} // namespace nc::graph
