// The ONNX importer's operators: each reads its inputs (layer outputs, constants, shape
// values), adds the NetCanvas node it stands for with its parameters and weights, and binds
// its outputs.

#include "onnximporter.h"

#include <algorithm>
#include <map>

namespace nc::engine::onnximport {

namespace {

using nc::graph::IntList;

const std::set<std::string> kShapeOps{"Shape",  "Gather", "Unsqueeze", "Squeeze",
                                      "Concat", "Cast",   "Identity"};

// TensorFlow-style "same" as NetCanvas resolves it: the odd cell at the end.
std::pair<std::int64_t, std::int64_t> samePads(std::int64_t in, std::int64_t stride,
                                               std::int64_t extent) {
    const std::int64_t out = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + extent - in, 0);
    return {total / 2, total - total / 2};
}

Tensor transposed(const Tensor& m) {
    Tensor t({m.dim(1), m.dim(0)});
    for (std::int64_t i = 0; i < m.dim(0); ++i)
        for (std::int64_t j = 0; j < m.dim(1); ++j)
            t[j * m.dim(0) + i] = m[i * m.dim(1) + j];
    return t;
}

} // namespace

Status Importer::node(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    // Inputs every handler below reads without asking (a malformed file has fewer).
    static const std::map<std::string, int> kRequired{{"Conv", 2},
                                                      {"ConvTranspose", 2},
                                                      {"Gemm", 2},
                                                      {"MatMul", 2},
                                                      {"Add", 2},
                                                      {"Reshape", 2},
                                                      {"Gather", 2},
                                                      {"LSTM", 3},
                                                      {"GRU", 3},
                                                      {"RNN", 3},
                                                      {"BatchNormalization", 5}};
    const auto required = kRequired.find(op);
    const int needed = required == kRequired.end() ? 1 : required->second;
    if ((op != "Constant" && n.input_size() < needed) || n.output_size() < 1)
        return Status::error("it has " + std::to_string(n.input_size()) + " inputs and " +
                             std::to_string(n.output_size()) + " outputs; " + op + " needs " +
                             std::to_string(needed) + " and 1");
    auto isView = [&](int i) {
        auto found = m_values.find(n.input(i));
        return found != m_values.end() && std::holds_alternative<RecurrentView>(found->second);
    };
    if (op == "Shape" || op == "Constant" ||
        (kShapeOps.count(op) && n.input_size() > 0 && ints(n.input(0))))
        return shapeArithmetic(n);
    if (n.input_size() > 0 && isView(0) &&
        (op == "Transpose" || op == "Squeeze" || op == "Gather" || op == "Reshape"))
        return recurrentView(n, std::get<RecurrentView>(m_values[n.input(0)]));
    if (op == "ConstantOfShape") {
        // Zeros shaped at run time: PyTorch's initial states of a recurrent layer.
        const Tensor* value = nullptr;
        Tensor fill;
        for (const auto& a : n.attribute())
            if (a.name() == "value") {
                auto t = tensorOf(a.t());
                if (!t)
                    return t.status();
                fill = t.value();
                value = &fill;
            }
        if (value && (*value)[0] != 0.0f)
            return Status::error("a ConstantOfShape other than zeros");
        m_zeros.insert(n.output(0));
        return Status::ok();
    }
    if (op == "Pad") {
        const Ints* pads = n.input_size() > 1 ? ints(n.input(1)) : nullptr;
        if (!pads || std::any_of(pads->values.begin(), pads->values.end(),
                                 [](std::int64_t v) { return v != 0; }))
            return Status::error("a Pad other than an empty one (padding belongs to the "
                                 "convolution or pool)");
        auto found = m_values.find(n.input(0));
        if (found == m_values.end())
            return Status::error("its input \"" + n.input(0) + "\" is unknown");
        bind(n.output(0), found->second);
        return Status::ok();
    }
    if (op == "Cast" || op == "Identity") {
        auto found = m_values.find(n.input(0));
        if (found == m_values.end())
            return Status::error("its input \"" + n.input(0) + "\" is unknown");
        bind(n.output(0), found->second);
        return Status::ok();
    }
    if (op == "Conv" || op == "ConvTranspose")
        return convolution(n, op == "ConvTranspose");
    if (op == "MaxPool" || op == "AveragePool")
        return pool(n);
    if (op == "GlobalAveragePool") {
        auto in = ref(n.input(0));
        if (!in)
            return in.status();
        auto id = add("GlobalAvgPool2D", n);
        if (!id)
            return id.status();
        if (Status s = wire(in.value(), id.value()); !s)
            return s;
        // ONNX keeps [C, 1, 1]; NetCanvas's layer gives [C].
        auto keep = add("Reshape", n);
        if (!keep)
            return keep.status();
        const Dims c = dims(n.input(0));
        if (Status s = set(keep.value(), "shape", IntList{c.empty() ? 1 : c[0], 1, 1}); !s)
            return s;
        if (Status s = wire({id.value(), 0}, keep.value()); !s)
            return s;
        bind(n.output(0), Ref{keep.value(), 0});
        return Status::ok();
    }
    if (op == "Gemm" || op == "MatMul")
        return dense(n);
    if (op == "Relu")
        return activation(n, "relu", 0.0);
    if (op == "Sigmoid")
        return activation(n, "sigmoid", 0.0);
    if (op == "Tanh")
        return activation(n, "tanh", 0.0);
    if (op == "LeakyRelu")
        return activation(n, "leaky_relu", attrFloat(n, "alpha", 0.01f));
    if (op == "Elu")
        return activation(n, "elu", attrFloat(n, "alpha", 1.0f));
    if (op == "Softmax")
        return activation(n, "softmax", 0.0);
    if (op == "Flatten" || op == "Reshape")
        return reshape(n);
    if (op == "BatchNormalization")
        return batchNorm(n);
    if (op == "Resize" || op == "Upsample")
        return resize(n);
    if (op == "LSTM" || op == "GRU" || op == "RNN")
        return recurrent(n);
    if (op == "Transpose" && constant(n.input(0)) && constant(n.input(0))->rank() == 2) {
        bind(n.output(0), transposed(*constant(n.input(0)))); // a weight, folded
        return Status::ok();
    }
    if (op == "Transpose") {
        auto in = ref(n.input(0));
        if (!in)
            return in.status();
        if (attrInts(n, "perm") != std::vector<std::int64_t>{1, 0, 2} ||
            dims(n.input(0)).size() != 2)
            return Status::error("a Transpose other than the one before a recurrent layer");
        m_timeMajor[n.output(0)] = in.value();
        return Status::ok();
    }
    if (op == "Gather") {
        const Tensor* table = constant(n.input(0));
        auto indices = ref(n.input(1));
        if (!table || !indices || table->rank() != 2 || attrInt(n, "axis", 0) != 0)
            return Status::error("a Gather other than an embedding lookup (a constant table "
                                 "indexed by a layer's output)");
        auto id = add("Embedding", n, n.input(0));
        if (!id)
            return id.status();
        if (Status s = set(id.value(), "vocabulary", table->dim(0)); !s)
            return s;
        if (Status s = set(id.value(), "units", table->dim(1)); !s)
            return s;
        if (Status s = wire(indices.value(), id.value()); !s)
            return s;
        weight(id.value(), "weight", *table);
        bind(n.output(0), Ref{id.value(), 0});
        return Status::ok();
    }
    if (op == "Dropout") {
        auto in = ref(n.input(0));
        if (!in)
            return in.status();
        double rate = attrFloat(n, "ratio", 0.5f);
        if (n.input_size() > 1 && !n.input(1).empty()) {
            const Tensor* r = constant(n.input(1));
            if (!r)
                return Status::error("its ratio is not a constant");
            rate = (*r)[0];
        }
        auto id = layer("Dropout", n, in.value());
        if (!id)
            return id.status();
        if (Status s = set(id.value(), "rate", rate); !s)
            return s;
        return Status::ok();
    }
    if (op == "Add" || op == "Sum" || op == "Concat") {
        // MatMul + Add of a constant: the Dense layer's bias.
        if (op == "Add" && n.input_size() == 2) {
            const Tensor* bias = constant(n.input(1));
            const int data = bias ? 0 : 1;
            if (!bias)
                bias = constant(n.input(0));
            if (bias) {
                auto in = ref(n.input(data));
                if (!in || !m_biasless.count(in.value().node) || m_readers[n.input(data)] != 1)
                    return Status::error("an Add of a constant that is not a Dense layer's bias");
                m_biasless.erase(in.value().node);
                if (Status s = set(in.value().node, "use_bias", true); !s)
                    return s;
                Tensor b({bias->size()});
                std::copy(bias->data(), bias->data() + bias->size(), b.data());
                weight(in.value().node, "bias", b);
                bind(n.output(0), in.value());
                return Status::ok();
            }
        }
        auto id = add(op == "Concat" ? "Concat" : "Add", n);
        if (!id)
            return id.status();
        if (op == "Concat") {
            std::int64_t axis = attrInt(n, "axis", 1);
            if (axis < 0)
                axis += std::int64_t(dims(n.input(0)).size()) + 1;
            if (axis < 1)
                return Status::error("a Concat along the batch");
            if (Status s = set(id.value(), "axis", axis - 1); !s)
                return s;
        }
        for (int i = 0; i < n.input_size(); ++i) {
            auto in = ref(n.input(i));
            if (!in)
                return in.status();
            if (Status s = wire(in.value(), id.value(), nc::graph::PortIndex(i)); !s)
                return s;
        }
        bind(n.output(0), Ref{id.value(), 0});
        return Status::ok();
    }
    return Status::error("NetCanvas has no layer for this operator");
}

Status Importer::convolution(const onnx::NodeProto& n, bool transposed) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Tensor* w = constant(n.input(1));
    if (!w || w->rank() != 4)
        return Status::error("its weight is not a constant 4-D tensor");
    if (attrInt(n, "group", 1) != 1)
        return Status::error("grouped convolutions are not a NetCanvas layer");
    const Dims x = dims(n.input(0));
    if (x.size() != 3)
        return Status::error("its input is not [channels, height, width]");
    std::vector<std::int64_t> strides = attrInts(n, "strides"), dil = attrInts(n, "dilations"),
                              pads = attrInts(n, "pads");
    if (strides.empty())
        strides = {1, 1};
    if (dil.empty())
        dil = {1, 1};
    if (pads.empty())
        pads = {0, 0, 0, 0};
    if (strides.size() != 2 || dil.size() != 2 || pads.size() != 4)
        return Status::error("strides, dilations and pads of the wrong length");
    const std::int64_t kh = w->dim(2), kw = w->dim(3);
    const std::int64_t eh = dil[0] * (kh - 1) + 1, ew = dil[1] * (kw - 1) + 1;
    const std::string autoPad = attrString(n, "auto_pad", "NOTSET");
    nc::graph::ParamValue padding = std::string("valid");
    if (!transposed) {
        const auto sameH = samePads(x[1], strides[0], eh), sameW = samePads(x[2], strides[1], ew);
        if (autoPad == "SAME_UPPER" ||
            (autoPad == "NOTSET" &&
             pads ==
                 std::vector<std::int64_t>{sameH.first, sameW.first, sameH.second, sameW.second} &&
             (sameH.first != sameH.second || sameW.first != sameW.second)))
            padding = std::string("same");
        else if (autoPad == "VALID" || pads == std::vector<std::int64_t>{0, 0, 0, 0})
            padding = std::string("valid");
        else if (autoPad == "NOTSET" && pads[0] == pads[2] && pads[1] == pads[3])
            padding = IntList{pads[0], pads[1]};
        else
            return Status::error("its padding (" + autoPad + ") has no NetCanvas form");
    } else {
        std::vector<std::int64_t> extra = attrInts(n, "output_padding");
        if (extra.empty())
            extra = {0, 0};
        if (extra.size() != 2)
            return Status::error("output_padding of the wrong length");
        if (!attrInts(n, "output_shape").empty() || autoPad != "NOTSET")
            return Status::error("output_shape and auto_pad have no NetCanvas form");
        const std::int64_t bottom = pads[2] - extra[0], right = pads[3] - extra[1];
        // NetCanvas's "same" deconvolution gives in * stride: this crop.
        const std::int64_t sameH = (x[1] - 1) * strides[0] + eh - x[1] * strides[0],
                           sameW = (x[2] - 1) * strides[1] + ew - x[2] * strides[1];
        if (pads[0] == 0 && pads[1] == 0 && bottom == 0 && right == 0)
            padding = std::string("valid");
        else if (pads[0] == sameH / 2 && bottom == sameH - sameH / 2 && pads[1] == sameW / 2 &&
                 right == sameW - sameW / 2)
            padding = std::string("same");
        else if (pads[0] == eh - 1 && bottom == eh - 1 && pads[1] == ew - 1 && right == ew - 1)
            padding = std::string("full");
        else if (pads[0] == bottom && pads[1] == right && bottom >= 0 && right >= 0)
            padding = IntList{pads[0], pads[1]};
        else
            return Status::error("its crop has no NetCanvas form");
    }
    auto id = layer(transposed ? "Deconv2D" : "Conv2D", n, in.value(), n.input(1));
    if (!id)
        return id.status();
    const bool bias = n.input_size() > 2 && !n.input(2).empty();
    const std::int64_t filters = transposed ? w->dim(1) : w->dim(0);
    // A ConvTranspose reading a Conv's very initializer: a tied Deconv2D.
    auto owner = transposed ? m_convOfWeight.find(n.input(1)) : m_convOfWeight.end();
    const bool tied = owner != m_convOfWeight.end();
    std::vector<std::pair<std::string, nc::graph::ParamValue>> params{
        {"padding", padding}, {"use_bias", bias}, {"activation", std::string("linear")}};
    if (tied)
        params.insert(params.begin(), std::pair<std::string, nc::graph::ParamValue>{
                                          "tie_weights_to", std::int64_t(owner->second)});
    else
        params.insert(params.begin(), {{"filters", filters},
                                       {"kernel_size", IntList{kh, kw}},
                                       {"stride", IntList{strides[0], strides[1]}},
                                       {"dilation", IntList{dil[0], dil[1]}}});
    for (auto& [param, value] : params)
        if (Status s = set(id.value(), param, value); !s)
            return s;
    if (!transposed)
        m_convOfWeight[n.input(1)] = id.value();
    if (!tied)
        weight(id.value(), "weight", *w);
    if (bias) {
        const Tensor* b = constant(n.input(2));
        if (!b)
            return Status::error("its bias is not a constant");
        weight(id.value(), "bias", *b);
    }
    return Status::ok();
}

Status Importer::pool(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Dims x = dims(n.input(0));
    const std::vector<std::int64_t> k = attrInts(n, "kernel_shape");
    std::vector<std::int64_t> strides = attrInts(n, "strides"), pads = attrInts(n, "pads");
    if (k.size() != 2 || x.size() != 3)
        return Status::error("only 2-D pooling over [channels, height, width]");
    if (strides.empty())
        strides = {1, 1};
    if (pads.empty())
        pads = {0, 0, 0, 0};
    if (strides.size() != 2 || pads.size() != 4)
        return Status::error("strides and pads of the wrong length");
    if (attrInt(n, "ceil_mode", 0) != 0 || !attrInts(n, "dilations").empty())
        return Status::error("ceil_mode and dilations have no NetCanvas form");
    const auto sameH = samePads(x[1], strides[0], k[0]), sameW = samePads(x[2], strides[1], k[1]);
    std::string padding;
    if (pads == std::vector<std::int64_t>{0, 0, 0, 0} || attrString(n, "auto_pad", "") == "VALID")
        padding = "valid";
    else if (pads ==
                 std::vector<std::int64_t>{sameH.first, sameW.first, sameH.second, sameW.second} ||
             attrString(n, "auto_pad", "") == "SAME_UPPER")
        padding = "same";
    else
        return Status::error("its padding has no NetCanvas form (valid or TensorFlow-style same)");
    const bool average = n.op_type() == "AveragePool";
    if (average && padding == "same" && attrInt(n, "count_include_pad", 0) != 0)
        return Status::error("count_include_pad=1: NetCanvas does not count padding cells");
    auto id = layer(average ? "AvgPool2D" : "MaxPool2D", n, in.value());
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "pool_size", IntList{k[0], k[1]}); !s)
        return s;
    if (Status s = set(id.value(), "stride", IntList{strides[0], strides[1]}); !s)
        return s;
    if (Status s = set(id.value(), "padding", padding); !s)
        return s;
    return Status::ok();
}

Status Importer::dense(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Tensor* b = constant(n.input(1));
    if (!b || b->rank() != 2)
        return Status::error("its weight is not a constant matrix");
    Tensor w;
    const bool gemm = n.op_type() == "Gemm";
    if (gemm) {
        if (attrInt(n, "transA", 0) != 0)
            return Status::error("transA=1 has no NetCanvas form");
        w = attrInt(n, "transB", 0) ? *b : transposed(*b);
        const float alpha = attrFloat(n, "alpha", 1.0f);
        for (std::int64_t i = 0; i < w.size(); ++i)
            w[i] *= alpha;
    } else {
        w = transposed(*b); // MatMul: x [.., K] times [K, units]
    }
    const Dims x = dims(n.input(0));
    const bool perStep = x.size() == 2;
    if (x.size() > 2 || (gemm && x.size() != 1))
        return Status::error("a matrix product over more than a vector or a sequence");
    auto id = layer("Dense", n, in.value(), n.input(1));
    if (!id)
        return id.status();
    const bool bias = gemm && n.input_size() > 2 && !n.input(2).empty();
    if (Status s = set(id.value(), "units", w.dim(0)); !s)
        return s;
    if (Status s = set(id.value(), "use_bias", bias); !s)
        return s;
    if (Status s = set(id.value(), "activation", std::string("linear")); !s)
        return s;
    if (perStep)
        if (Status s = set(id.value(), "per_step", true); !s)
            return s;
    weight(id.value(), "weight", w);
    if (bias) {
        const Tensor* c = constant(n.input(2));
        if (!c)
            return Status::error("its bias is not a constant");
        const float beta = attrFloat(n, "beta", 1.0f);
        Tensor full({w.dim(0)});
        for (std::int64_t i = 0; i < full.size(); ++i)
            full[i] = beta * (*c)[c->size() == 1 ? 0 : i];
        weight(id.value(), "bias", full);
    } else if (!gemm) {
        m_biasless.insert(id.value());
    }
    return Status::ok();
}

Status Importer::activation(const onnx::NodeProto& n, const std::string& function, double alpha) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    if (function == "softmax") {
        const std::int64_t rank = std::int64_t(dims(n.input(0)).size()) + 1;
        std::int64_t axis = attrInt(n, "axis", -1);
        if (axis < 0)
            axis += rank;
        if (axis != 1)
            return Status::error("a softmax over an axis other than the first per-sample one");
    }
    // Folded into the convolution or Dense layer before it when nothing else reads that.
    const nc::graph::Node* producer = m_result.graph.node(in.value().node);
    const bool fusable = producer && m_readers[n.input(0)] == 1 && function != "softmax" &&
                         (producer->type == "Conv2D" || producer->type == "Deconv2D" ||
                          (producer->type == "Dense" && !m_biasless.count(producer->id))) &&
                         (function != "leaky_relu" || std::abs(alpha - 0.01) < 1e-7) &&
                         (function != "elu" || std::abs(alpha - 1.0) < 1e-7);
    if (fusable) {
        if (Status s = set(in.value().node, "activation", function); !s)
            return s;
        bind(n.output(0), in.value());
        return Status::ok();
    }
    auto id = layer("Activation", n, in.value());
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "function", function); !s)
        return s;
    if (function == "leaky_relu" || function == "elu")
        if (Status s = set(id.value(), "alpha", alpha); !s)
            return s;
    return Status::ok();
}

Status Importer::reshape(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Dims x = dims(n.input(0));
    std::int64_t size = 1;
    for (std::int64_t d : x)
        size *= d;
    Dims target;
    if (n.op_type() == "Flatten") {
        if (attrInt(n, "axis", 1) != 1)
            return Status::error("a Flatten at an axis other than 1");
        target = {size};
    } else {
        const Ints* shape = ints(n.input(1));
        if (!shape || shape->values.empty())
            return Status::error("its target shape is computed at run time");
        const std::int64_t first = shape->values[0];
        if (first != kBatch && first != 0 && first != -1)
            return Status::error("it changes the batch dimension");
        std::int64_t known = 1, unknown = -1;
        for (std::size_t i = 1; i < shape->values.size(); ++i) {
            std::int64_t v = shape->values[i];
            if (v == 0 && i - 1 < x.size())
                v = x[i - 1];
            if (v == -1 || v == kBatch) {
                if (unknown >= 0 || first == -1)
                    return Status::error("its target shape has two unknown dimensions");
                unknown = std::int64_t(target.size());
                v = -1;
            } else {
                known *= v;
            }
            target.push_back(v);
        }
        if (unknown >= 0)
            target[std::size_t(unknown)] = known ? size / known : 0;
    }
    auto id = layer(target.size() == 1 ? "Flatten" : "Reshape", n, in.value());
    if (!id)
        return id.status();
    if (target.size() != 1)
        if (Status s = set(id.value(), "shape", IntList(target)); !s)
            return s;
    return Status::ok();
}

Status Importer::batchNorm(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Tensor* parts[4] = {constant(n.input(1)), constant(n.input(2)), constant(n.input(3)),
                              constant(n.input(4))};
    for (const Tensor* t : parts)
        if (!t)
            return Status::error("its scale, bias, mean and variance must be constants");
    auto id = layer("BatchNorm", n, in.value(), n.input(1));
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "epsilon", double(attrFloat(n, "epsilon", 1e-5f))); !s)
        return s;
    if (Status s = set(id.value(), "momentum", double(attrFloat(n, "momentum", 0.9f))); !s)
        return s;
    const char* names[4] = {"weight", "bias", "running_mean", "running_var"};
    for (int i = 0; i < 4; ++i)
        weight(id.value(), names[i], *parts[i]);
    return Status::ok();
}

Status Importer::resize(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Dims x = dims(n.input(0));
    const Dims y = dims(n.output(0));
    if (x.size() != 3 || y.size() != 3 || y[1] % x[1] != 0 || y[2] % x[2] != 0)
        return Status::error("only whole-number upscaling of [channels, height, width]");
    const std::string mode = attrString(n, "mode", "nearest");
    const std::string coordinates =
        attrString(n, "coordinate_transformation_mode",
                   n.op_type() == "Upsample" ? "asymmetric" : "half_pixel");
    std::string ours;
    if (mode == "nearest" && coordinates == "asymmetric" &&
        attrString(n, "nearest_mode", "floor") == "floor")
        ours = "nearest";
    else if ((mode == "linear" || mode == "bilinear") &&
             (coordinates == "half_pixel" || coordinates == "pytorch_half_pixel"))
        ours = "bilinear";
    else
        return Status::error("mode " + mode + " with " + coordinates +
                             " coordinates has no NetCanvas form");
    auto id = layer("Upscale2D", n, in.value());
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "scale", IntList{y[1] / x[1], y[2] / x[2]}); !s)
        return s;
    if (Status s = set(id.value(), "mode", ours); !s)
        return s;
    return Status::ok();
}

} // namespace nc::engine::onnximport
