// The ONNX importer's matrix products: Gemm (alpha, beta, transA, transB, and every
// broadcast form of C NetCanvas's per-unit bias can hold) and MatMul followed by the Add of its
// bias, as a Dense layer.

#include "onnximporter.h"

namespace nc::engine::onnximport {

namespace {

const OpRule kRules[] = {
    {"Gemm",
     &Importer::gemm,
     2,
     3,
     1,
     {{"alpha", AttrKind::Float},
      {"beta", AttrKind::Float},
      {"transA", AttrKind::Int, 0, 1},
      {"transB", AttrKind::Int, 0, 1},
      {"broadcast", AttrKind::Int, 0, 1}}},
    {"MatMul", &Importer::matMul, 2, 2},
};

// Gemm's C as one value per unit, from any form ONNX broadcasts to [M, units]: a scalar, [1],
// [units], [1, units], [1, 1], or [M, 1] and [M, units] whose rows are all equal (NetCanvas's
// bias is the same for every sample).
Result<std::vector<float>> perUnitBias(const Tensor& c, std::int64_t units) {
    const Dims& d = c.dims();
    const std::int64_t rows = d.size() == 2 ? d[0] : 1;
    const std::int64_t columns = d.empty() ? 1 : d.back();
    if (d.size() > 2 || (columns != 1 && columns != units))
        return Status::error("its C of shape " + formatDims(d) + " does not broadcast to [M, " +
                             std::to_string(units) + "]");
    for (std::int64_t r = 1; r < rows; ++r)
        for (std::int64_t j = 0; j < columns; ++j)
            if (c[r * columns + j] != c[j])
                return Status::error("its C of shape " + formatDims(d) +
                                     " differs between samples; NetCanvas's bias is one per unit");
    std::vector<float> bias(static_cast<std::size_t>(units));
    for (std::int64_t j = 0; j < units; ++j)
        bias[std::size_t(j)] = c[columns == 1 ? 0 : j];
    return bias;
}

} // namespace

std::span<const OpRule> denseRules() {
    return kRules;
}

Status Importer::gemm(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    if (attrInt(n, "transA", 0) != 0)
        return Status::error("transA=1 multiplies across the batch; NetCanvas's Dense takes one "
                             "sample at a time");
    const Tensor* b = constant(n.input(1));
    if (!b || b->rank() != 2)
        return Status::error("its B is not a constant matrix");
    const Dims x = dims(n.input(0));
    if (x.size() != 1)
        return Status::error("its A is not [batch, features]");
    // Dense's weight is [units, features]: B itself with transB=1, else B transposed.
    Tensor w = attrInt(n, "transB", 0) ? release(n.input(1), *b) : transposed(*b);
    if (w.dim(1) != x[0])
        return Status::error("its B " + formatDims(b->dims()) + " takes " +
                             std::to_string(w.dim(1)) + " features; A has " + std::to_string(x[0]));
    const float alpha = attrFloat(n, "alpha", 1.0f), beta = attrFloat(n, "beta", 1.0f);
    for (std::int64_t i = 0; i < w.size(); ++i)
        w[i] *= alpha;
    const std::int64_t units = w.dim(0);
    const bool hasC = n.input_size() > 2 && !n.input(2).empty() && beta != 0.0f;
    std::vector<float> bias;
    if (hasC) {
        const Tensor* c = constant(n.input(2));
        if (!c)
            return Status::error("its C is not a constant");
        auto perUnit = perUnitBias(*c, units);
        if (!perUnit)
            return perUnit.status();
        bias = perUnit.value();
    }
    auto id = layer("Dense", n, in.value(), n.input(1));
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "units", units); !s)
        return s;
    if (Status s = set(id.value(), "use_bias", hasC); !s)
        return s;
    if (Status s = set(id.value(), "activation", std::string("linear")); !s)
        return s;
    weight(id.value(), "weight", w);
    if (hasC) {
        Tensor full({units});
        for (std::int64_t i = 0; i < units; ++i)
            full[i] = beta * bias[std::size_t(i)];
        weight(id.value(), "bias", full);
    }
    return Status::ok();
}

Status Importer::matMul(const onnx::NodeProto& n) {
    auto in = ref(n.input(0));
    if (!in)
        return in.status();
    const Tensor* b = constant(n.input(1));
    if (!b || b->rank() != 2)
        return Status::error("its second input is not a constant matrix");
    const Dims x = dims(n.input(0));
    if (x.empty() || x.size() > 2)
        return Status::error("a matrix product over more than a vector or a sequence");
    if (b->dim(0) != x.back())
        return Status::error("its matrix " + formatDims(b->dims()) + " takes " +
                             std::to_string(b->dim(0)) + " features; its input has " +
                             std::to_string(x.back()));
    auto id = layer("Dense", n, in.value(), n.input(1));
    if (!id)
        return id.status();
    if (Status s = set(id.value(), "units", b->dim(1)); !s)
        return s;
    if (Status s = set(id.value(), "use_bias", false); !s)
        return s;
    if (Status s = set(id.value(), "activation", std::string("linear")); !s)
        return s;
    if (x.size() == 2)
        if (Status s = set(id.value(), "per_step", true); !s)
            return s;
    weight(id.value(), "weight", transposed(*b)); // x [.., K] times [K, units]
    m_biasless.insert(id.value());
    return Status::ok();
}

// MatMul + Add of a constant: the Dense layer's bias, when nothing else reads the product and
// the constant holds one value per unit (or one for all).
Status Importer::denseBias(const onnx::NodeProto& n, const Tensor& bias, int data) {
    auto in = ref(n.input(data));
    if (!in || !m_biasless.count(in.value().node) || readers(n.input(data)) != 1)
        return Status::error("an Add of a constant that is not a Dense layer's bias");
    const std::int64_t units = dims(n.input(data)).empty() ? 0 : dims(n.input(data)).back();
    for (std::size_t axis = 0; axis + 1 < bias.dims().size(); ++axis)
        if (bias.dims()[axis] != 1)
            return Status::error("its constant " + formatDims(bias.dims()) +
                                 " is not one value per unit");
    if (bias.size() != units && bias.size() != 1)
        return Status::error("its constant " + formatDims(bias.dims()) + " is not one value per " +
                             "unit of the " + std::to_string(units));
    m_biasless.erase(in.value().node);
    if (Status s = set(in.value().node, "use_bias", true); !s)
        return s;
    Tensor b({units});
    for (std::int64_t i = 0; i < units; ++i)
        b[i] = bias[bias.size() == 1 ? 0 : i];
    weight(in.value().node, "bias", b);
    bind(n.output(0), in.value());
    return Status::ok();
}

} // namespace nc::engine::onnximport
