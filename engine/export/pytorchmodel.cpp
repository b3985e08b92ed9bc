// model.py of a PyTorch export: one nn.Module whose __init__ declares a module per layer with
// parameters (named as the graph's nodes, so NetCanvas's state-dict names load unchanged) and
// whose forward() follows the compiled plan, one readable line or two per layer, with
// NetCanvas's exact semantics (resolved asymmetric padding, deconvolution crops, pooling that
// does not count padding, BatchNorm's momentum as PyTorch's 1 - ours).
//
// User text reaches the source only through pythonnames.h: a node whose name is not a safe
// Python identifier gets a safe attribute, and STATE_NAMES maps that attribute's state-dict
// keys back to NetCanvas's tensor names, which load_weights and train.py's save apply.

#include "pythonnames.h"
#include "pytorchexport.h"

#include "engine/activations.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace nc::engine {

namespace {

using nc::core::Status;

std::string tuple(std::int64_t a, std::int64_t b) {
    return "(" + std::to_string(a) + ", " + std::to_string(b) + ")";
}

std::string number(double v) {
    if (std::isnan(v))
        return "float(\"nan\")";
    if (std::isinf(v))
        return v > 0 ? "float(\"inf\")" : "float(\"-inf\")";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
}

// The graph's name in CamelCase from its ASCII letters and digits (whatever the C locale
// says of other bytes), "Network..." when that is empty, starts with a digit or is taken.
std::string className(const std::string& graphName) {
    std::string out;
    bool upper = true;
    for (char c : graphName) {
        const bool lower = c >= 'a' && c <= 'z';
        if (!lower && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
            upper = true;
            continue;
        }
        out += upper && lower ? char(c - 'a' + 'A') : c;
        upper = false;
    }
    static const std::set<std::string> reserved = pythonReservedNames(kPytorchSupportSource);
    if (out.empty() || (out[0] >= '0' && out[0] <= '9') || reserved.count(out))
        out = "Network" + out;
    return out;
}

class Writer {
public:
    Writer(const Model& model, const std::string& className)
        : m_model(model), m_className(className), m_attributes(reserved(className)),
          m_locals(reserved(className)) {
        std::vector<std::string> names;
        for (const PlanStep& s : model.steps())
            names.push_back(s.name);
        m_attributes.keepSafe(names);
    }

    Status run(const std::string& graphName, std::string& source);

private:
    static std::set<std::string> reserved(const std::string& className) {
        std::set<std::string> names = pythonReservedNames(kPytorchSupportSource);
        names.insert(className);
        return names;
    }
    // The Python expression of the module of a node: self.conv1, or self.my_layer for
    // "my layer" (see STATE_NAMES).
    std::string module(const std::string& node) { return "self." + m_attributes.of(node); }
    void declare(const std::string& node, const std::string& constructor) {
        m_init << "        " << module(node) << " = " << constructor << "\n";
        m_declared.insert(node);
    }
    // STATE_NAMES: {state-dict key: NetCanvas's tensor name} for the keys that differ.
    std::string stateNames();
    // The Python variable holding a value.
    std::string var(int value);
    const Dims& dims(int value) const { return m_model.values()[std::size_t(value)].perSample; }
    const Tensor& param(const PlanStep& step, std::size_t i) const {
        return m_model.params().at(step.params[i]).value;
    }
    const std::string& paramName(const PlanStep& step, std::size_t i) const {
        return m_model.params().at(step.params[i]).name;
    }
    // The expression of a parameter through the module that owns it ("conv1.weight").
    std::string paramExpression(const std::string& name) {
        const std::size_t dot = name.rfind('.');
        return module(name.substr(0, dot)) + "." + name.substr(dot + 1);
    }
    void line(const std::string& text) { m_forward << "        " << text << "\n"; }
    std::string activated(ActivationKind kind, float alpha, const std::string& e, int softmaxDim);

    Status step(const PlanStep& s);
    void convolution(const PlanStep& s);
    void pool(const PlanStep& s);
    void dense(const PlanStep& s);
    void batchNorm(const PlanStep& s);
    void recurrent(const PlanStep& s);
    Status loss(const PlanStep& s);

    const Model& m_model;
    const std::string m_className;
    PythonIdentifiers m_attributes;   // node name -> its module's attribute
    PythonIdentifiers m_locals;       // forward()'s variables
    std::set<std::string> m_declared; // the nodes with a module
    std::ostringstream m_init, m_forward, m_loss;
    std::map<int, std::string> m_vars;
    std::vector<int> m_outputs;
    int m_logits = -1; // the output a softmax cross-entropy reads
};

std::string Writer::var(int value) {
    if (auto found = m_vars.find(value); found != m_vars.end())
        return found->second;
    const Value& v = m_model.values()[std::size_t(value)];
    const PlanStep* s = m_model.stepOf(v.node);
    std::string hint = s ? s->name : "v";
    if (v.port > 0)
        hint += "_" + std::to_string(v.port);
    return m_vars[value] = m_locals.fresh(hint);
}

std::string Writer::activated(ActivationKind kind, float alpha, const std::string& e,
                              int softmaxDim) {
    return pytorchActivation(activationFacts(kind), e, number(alpha), softmaxDim);
}

void Writer::convolution(const PlanStep& s) {
    const Window& w = s.attrs.window;
    const Tensor& weight = param(s, 0);
    const std::string in = var(s.inputs[0]);
    const std::string out = var(s.outputs[0]);
    const std::string bias = s.attrs.useBias ? "True" : "False";
    const std::string geometry = "stride=" + tuple(w.sh, w.sw) + ", dilation=" + tuple(w.dh, w.dw);
    const bool tied = paramName(s, 0).rfind(s.name + ".", 0) != 0;
    if (s.kind == OpKind::Conv2D) {
        const bool symmetric = w.padTop == w.padBottom && w.padLeft == w.padRight;
        declare(s.name,
                "nn.Conv2d(" + std::to_string(weight.dim(1)) + ", " +
                    std::to_string(weight.dim(0)) + ", " + tuple(w.kh, w.kw) + ", " + geometry +
                    ", padding=" + (symmetric ? tuple(w.padTop, w.padLeft) : std::string("0")) +
                    ", bias=" + bias + ")");
        std::string e = in;
        if (!symmetric)
            e = "F.pad(" + in + ", (" + std::to_string(w.padLeft) + ", " +
                std::to_string(w.padRight) + ", " + std::to_string(w.padTop) + ", " +
                std::to_string(w.padBottom) + "))";
        line(out + " = " +
             activated(s.attrs.activation, s.attrs.alpha, module(s.name) + "(" + e + ")", 1));
        return;
    }
    // PyTorch's own padding and output_padding where they express the crop (top and left
    // cropped, the bottom and right that much less, by under the stride or dilation), so a
    // grown row gets the bias as NetCanvas's does; crop() otherwise.
    const int growH = w.padTop - w.padBottom, growW = w.padLeft - w.padRight;
    const bool native = w.padTop >= 0 && w.padLeft >= 0 && growH >= 0 && growW >= 0 &&
                        growH < std::max(w.sh, w.dh) && growW < std::max(w.sw, w.dw);
    const std::string cropping =
        native && (w.padTop || w.padLeft || growH || growW)
            ? ", padding=" + tuple(w.padTop, w.padLeft) +
                  (growH || growW ? ", output_padding=" + tuple(growH, growW) : std::string())
            : std::string();
    std::string e;
    if (tied) {
        // The Conv2D's weight itself ([out, in, kh, kw] is ConvTranspose2d's [in, out, ...]).
        if (s.attrs.useBias)
            declare(s.name, "TiedBias(" + std::to_string(weight.dim(1)) + ")");
        e = "F.conv_transpose2d(" + in + ", " + paramExpression(paramName(s, 0)) + ", " +
            (s.attrs.useBias ? module(s.name) + ".bias" : std::string("None")) + ", " + geometry +
            cropping + ")";
    } else {
        declare(s.name, "nn.ConvTranspose2d(" + std::to_string(weight.dim(0)) + ", " +
                            std::to_string(weight.dim(1)) + ", " + tuple(w.kh, w.kw) + ", " +
                            geometry + cropping + ", bias=" + bias + ")");
        e = module(s.name) + "(" + in + ")";
    }
    if (!native && (w.padTop || w.padLeft || w.padBottom || w.padRight))
        e = "crop(" + e + ", " + std::to_string(w.padTop) + ", " + std::to_string(w.padLeft) +
            ", " + std::to_string(w.padBottom) + ", " + std::to_string(w.padRight) + ")";
    line(out + " = " + activated(s.attrs.activation, s.attrs.alpha, e, 1));
}

void Writer::pool(const PlanStep& s) {
    const Window& w = s.attrs.window;
    const std::string in = var(s.inputs[0]), out = var(s.outputs[0]);
    const std::string kernel = tuple(w.kh, w.kw), stride = tuple(w.sh, w.sw);
    const bool padded = w.padTop || w.padLeft || w.padBottom || w.padRight;
    const std::string pads = "(" + std::to_string(w.padLeft) + ", " + std::to_string(w.padRight) +
                             ", " + std::to_string(w.padTop) + ", " + std::to_string(w.padBottom) +
                             ")";
    if (s.kind == OpKind::MaxPool2D)
        line(out + " = F.max_pool2d(" +
             (padded ? "F.pad(" + in + ", " + pads + ", value=float(\"-inf\"))" : in) + ", " +
             kernel + ", " + stride + ")");
    else if (padded)
        line(out + " = avg_pool_real(" + in + ", " + kernel + ", " + stride + ", " + pads + ")");
    else
        line(out + " = F.avg_pool2d(" + in + ", " + kernel + ", " + stride + ")");
}

void Writer::dense(const PlanStep& s) {
    const Tensor& weight = param(s, 0);
    const Dims& in = dims(s.inputs[0]);
    std::int64_t size = 1;
    for (std::int64_t d : in)
        size *= d;
    const bool perStep = in.size() >= 2 && in.back() == weight.dim(1) && size != weight.dim(1);
    declare(s.name, "nn.Linear(" + std::to_string(weight.dim(1)) + ", " +
                        std::to_string(weight.dim(0)) + (s.attrs.useBias ? "" : ", bias=False") +
                        ")");
    std::string x = var(s.inputs[0]);
    if (!perStep && in.size() != 1)
        x += ".flatten(1)";
    line(var(s.outputs[0]) + " = " +
         activated(s.attrs.activation, s.attrs.alpha, module(s.name) + "(" + x + ")", -1));
}

void Writer::batchNorm(const PlanStep& s) {
    const std::size_t rank = dims(s.inputs[0]).size();
    declare(s.name, std::string(rank >= 3 ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(") +
                        std::to_string(param(s, 0).size()) + ", eps=" + number(s.attrs.epsilon) +
                        ", momentum=" + number(1.0 - double(s.attrs.momentum)) + ")");
    line(var(s.outputs[0]) + " = " + module(s.name) + "(" + var(s.inputs[0]) + ")");
}

void Writer::recurrent(const PlanStep& s) {
    const Dims& in = dims(s.inputs[0]);
    const std::int64_t h = s.attrs.units, d = s.attrs.bidirectional ? 2 : 1;
    const char* type = s.kind == OpKind::LSTM  ? "nn.LSTM("
                       : s.kind == OpKind::GRU ? "nn.GRU("
                                               : "nn.RNN(";
    declare(s.name, std::string(type) + std::to_string(in[1]) + ", " + std::to_string(h) +
                        ", batch_first=True" +
                        (s.attrs.bidirectional ? ", bidirectional=True" : "") + ")");
    const std::string x = var(s.inputs[0]);
    auto state = [&](std::size_t port) -> std::string {
        if (port >= s.inputs.size() || s.inputs[port] == kNoValue)
            return {};
        return "initial_state(" + var(s.inputs[port]) + ", " + std::to_string(d) + ", " +
               std::to_string(h) + ")";
    };
    const std::string h0 = state(1), c0 = state(2);
    const std::string zeros =
        "torch.zeros(" + std::to_string(d) + ", " + x + ".shape[0], " + std::to_string(h) + ")";
    std::string hx = "None";
    if (s.kind == OpKind::LSTM && (!h0.empty() || !c0.empty()))
        hx = "(" + (h0.empty() ? zeros : h0) + ", " + (c0.empty() ? zeros : c0) + ")";
    else if (!h0.empty())
        hx = h0;
    const std::string out = var(s.outputs[0]);
    const std::string call = module(s.name) + "(" + x + (hx == "None" ? "" : ", " + hx) + ")";
    if (s.attrs.returnSequences) {
        line(out + ", _ = " + call);
        return;
    }
    line(out + " = " + call + "[1]" + (s.kind == OpKind::LSTM ? "[0]" : ""));
    line(out + " = " + out + ".transpose(0, 1).reshape(" + x + ".shape[0], " +
         std::to_string(d * h) + ")");
}

Status Writer::loss(const PlanStep& s) {
    auto target = [&](int value) -> std::string {
        const Value& v = m_model.values()[std::size_t(value)];
        if (v.node != m_model.inputStep().node)
            return {};
        return v.port == 0 ? "x" : "y";
    };
    const std::string t = target(s.inputs[1]);
    if (t.empty())
        return Status::error("its target is not the Input's, which the PyTorch export does "
                             "not handle yet");
    const std::size_t index =
        std::size_t(std::find(m_outputs.begin(), m_outputs.end(), s.inputs[0]) - m_outputs.begin());
    const std::string p = "outputs[" + std::to_string(index) + "]";
    std::string e;
    if (s.kind == OpKind::SoftmaxCrossEntropy && m_logits < 0)
        m_logits = int(index);
    if (s.kind == OpKind::SoftmaxCrossEntropy)
        e = "F.cross_entropy(" + p + " if " + p + ".dim() == 2 else " + p + ".transpose(1, 2), " +
            t + ".reshape(" + p + ".shape[:-1]).long(), ignore_index=-1)";
    else if (s.kind == OpKind::MSE)
        e = "F.mse_loss(" + p + ", " + t + ".reshape(" + p + ".shape))";
    else
        e = "F.binary_cross_entropy(" + p + ", " + t + ".reshape(" + p + ".shape))";
    m_loss << "        total = total + " << number(s.lossWeight) << " * " << e << "  # "
           << pythonCommentText(s.name) << "\n";
    return Status::ok();
}

Status Writer::step(const PlanStep& s) {
    const std::string out = s.outputs.empty() ? std::string() : var(s.outputs[0]);
    switch (s.kind) {
    case OpKind::Input:
        m_vars[s.outputs[0]] = "x";
        if (s.outputs.size() > 1)
            m_vars[s.outputs[1]] = "y";
        return Status::ok();
    case OpKind::Conv2D:
    case OpKind::Deconv2D:
        convolution(s);
        return Status::ok();
    case OpKind::MaxPool2D:
    case OpKind::AvgPool2D:
        pool(s);
        return Status::ok();
    case OpKind::GlobalAvgPool2D:
        line(out + " = " + var(s.inputs[0]) + ".mean(dim=(2, 3))");
        return Status::ok();
    case OpKind::Upscale2D:
        line(out + " = F.interpolate(" + var(s.inputs[0]) +
             ", scale_factor=" + tuple(s.attrs.window.sh, s.attrs.window.sw) +
             (s.attrs.bilinear ? ", mode=\"bilinear\", align_corners=False)"
                               : ", mode=\"nearest\")"));
        return Status::ok();
    case OpKind::Dense:
        dense(s);
        return Status::ok();
    case OpKind::Activation:
        line(out + " = " + activated(s.attrs.activation, s.attrs.alpha, var(s.inputs[0]), 1));
        return Status::ok();
    case OpKind::Dropout:
        declare(s.name, "nn.Dropout(" + number(s.attrs.rate) + ")");
        line(out + " = " + module(s.name) + "(" + var(s.inputs[0]) + ")");
        return Status::ok();
    case OpKind::BatchNorm:
        batchNorm(s);
        return Status::ok();
    case OpKind::Reshape: {
        const Dims& d = dims(s.outputs[0]);
        if (d.size() == 1) {
            line(out + " = " + var(s.inputs[0]) + ".flatten(1)");
            return Status::ok();
        }
        std::string shape;
        for (std::int64_t v : d)
            shape += ", " + std::to_string(v);
        line(out + " = " + var(s.inputs[0]) + ".reshape(" + var(s.inputs[0]) + ".shape[0]" + shape +
             ")");
        return Status::ok();
    }
    case OpKind::Concat:
    case OpKind::Add: {
        std::string list;
        for (int v : s.inputs)
            list += (list.empty() ? "" : s.kind == OpKind::Add ? " + " : ", ") + var(v);
        line(out + " = " +
             (s.kind == OpKind::Add
                  ? list
                  : "torch.cat([" + list + "], dim=" + std::to_string(s.attrs.axis + 1) + ")"));
        return Status::ok();
    }
    case OpKind::SimpleRNN:
    case OpKind::LSTM:
    case OpKind::GRU:
        recurrent(s);
        return Status::ok();
    case OpKind::Embedding: {
        const Tensor& w = param(s, 0);
        declare(s.name,
                "nn.Embedding(" + std::to_string(w.dim(0)) + ", " + std::to_string(w.dim(1)) + ")");
        line(out + " = " + module(s.name) + "(" + var(s.inputs[0]) + ".long())");
        return Status::ok();
    }
    case OpKind::SoftmaxCrossEntropy:
    case OpKind::MSE:
    case OpKind::BinaryCrossEntropy:
        return loss(s);
    }
    return Status::error("no PyTorch form for this layer");
}

std::string Writer::stateNames() {
    std::string entries;
    for (const PlanStep& s : m_model.steps()) {
        const std::string& node = s.name;
        if (!m_declared.count(node) || m_attributes.of(node) == node)
            continue;
        const std::string& attribute = m_attributes.of(node);
        for (std::size_t i = 0; i < s.params.size(); ++i) {
            const std::string& name = paramName(s, i);
            if (name.rfind(node + ".", 0) == 0) // not a tied weight owned by another node
                entries += "        " + pythonStringLiteral(attribute + name.substr(node.size())) +
                           ": " + pythonStringLiteral(name) + ",\n";
        }
    }
    return entries.empty() ? "{}" : "{\n" + entries + "    }";
}

Status Writer::run(const std::string& graphName, std::string& source) {
    for (const PlanStep& s : m_model.steps())
        if (isLoss(s.kind) &&
            std::find(m_outputs.begin(), m_outputs.end(), s.inputs[0]) == m_outputs.end())
            m_outputs.push_back(s.inputs[0]);
    if (m_outputs.empty())
        return Status::error("the graph has no loss, so no output to export");
    for (const PlanStep& s : m_model.steps())
        if (Status st = step(s); !st)
            return Status::error("layer '" + s.name +
                                 "' cannot be exported to PyTorch: " + st.message());
    const std::string name = m_className;
    const PlanStep& input = m_model.inputStep();
    std::string shape, outputNames, returned;
    for (std::int64_t d : dims(input.outputs[0]))
        shape += std::to_string(d) + ", ";
    for (int v : m_outputs) {
        outputNames += pythonStringLiteral(var(v)) + ", ";
        returned += (returned.empty() ? "" : ", ") + var(v);
    }
    std::int64_t vocabulary = 0;
    for (const PlanStep& s : m_model.steps())
        if (s.kind == OpKind::Embedding)
            vocabulary = param(s, 0).dim(0);
    std::ostringstream py;
    py << "\"\"\"" << name << ": the NetCanvas graph " << pythonStringLiteral(graphName)
       << " as a PyTorch module.\n\n"
       << "Written by `netcanvas-cli export --pytorch`. The layers are named as the graph's "
          "nodes, so\nweights.safetensors (NetCanvas's state-dict names) loads as it is; a node "
          "whose name is\nnot a safe Python name gets another attribute, and STATE_NAMES maps "
          "its keys back.\n`python3 model.py` prints the outputs for a fixed input; NetCanvas "
          "gives the same.\n"
          "\"\"\"\n\n"
       << kPytorchSupportSource << "\n\n"
       << "class TiedBias(nn.Module):\n"
       << "    \"\"\"The bias of a deconvolution that reuses a convolution's weight.\"\"\"\n\n"
       << "    def __init__(self, channels):\n"
       << "        super().__init__()\n"
       << "        self.bias = nn.Parameter(torch.zeros(channels))\n\n\n"
       << "# ---- the network --------------------------------------------------------------\n"
       << "class " << name << "(nn.Module):\n"
       << "    INPUT_SHAPE = (" << shape << ")\n"
       << "    VOCABULARY = " << vocabulary << "  # token ids in the input when > 0\n"
       << "    OUTPUTS = (" << outputNames << ")\n"
       << "    LOGITS = " << (m_logits < 0 ? std::string("None") : std::to_string(m_logits))
       << "  # the output holding class scores, for accuracy\n"
       << "    # state-dict key -> NetCanvas's tensor name, where they differ\n"
       << "    STATE_NAMES = " << stateNames() << "\n\n"
       << "    def __init__(self):\n"
       << "        super().__init__()\n"
       << m_init.str() << "\n"
       << "    def forward(self, x):\n"
       << m_forward.str() << "        return " << returned << "\n\n"
       << "    def loss(self, outputs, x, y):\n"
       << "        \"\"\"The graph's losses, weighted and summed.\"\"\"\n"
       << "        outputs = outputs if isinstance(outputs, tuple) else (outputs,)\n"
       << "        total = 0.0\n"
       << m_loss.str() << "        return total\n\n\n"
       << "Model = " << name << "\n\n"
       << "if __name__ == \"__main__\":\n"
       << "    run_check(" << name << ")\n";
    source = py.str();
    return Status::ok();
}

} // namespace

Result<std::string> pytorchModelSource(const Model& model, const std::string& graphName) {
    std::string source;
    Writer writer(model, className(graphName));
    if (Status s = writer.run(graphName, source); !s)
        return s;
    return source;
}

} // namespace nc::engine
