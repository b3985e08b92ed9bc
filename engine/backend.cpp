#include "backend.h"

#include "parameterstore.h"
#include "stepvalues.h"

#include <algorithm>

namespace nc::engine {

namespace {

// Writes `values` at `at` into a tensor on the backend's device (through the host).
Status writeAt(Backend& backend, Tensor& t, std::int64_t at, std::initializer_list<float> values) {
    if (t.onHost()) {
        std::int64_t i = at;
        for (float v : values)
            t[i++] = v;
        return Status::ok();
    }
    Tensor host;
    if (Status s = backend.download(t, host); !s)
        return s;
    std::int64_t i = at;
    for (float v : values)
        host[i++] = v;
    return backend.upload(host, t);
}

// The StepValues a tensor on the backend's device holds (through the host).
Result<StepValues> readStepValues(Backend& backend, const Tensor& t) {
    Result<Tensor> host = toHost(backend, t);
    if (!host)
        return host.status();
    return stepValuesIn(host.value());
}

// A download done at once.
class DownloadedNow final : public PendingDownload {
public:
    explicit DownloadedNow(Tensor host) : m_host(std::move(host)) {}
    bool ready() override { return true; }
    Result<Tensor> take() override { return std::move(m_host); }

private:
    Tensor m_host;
};

} // namespace

Result<std::unique_ptr<PendingDownload>> Backend::downloadLater(const Tensor& t) {
    Tensor host;
    if (Status s = download(t, host); !s)
        return s;
    return std::unique_ptr<PendingDownload>(std::make_unique<DownloadedNow>(std::move(host)));
}

Status Backend::beginRecording() {
    return Status::error(name() + " cannot record work");
}

Result<std::unique_ptr<RecordedWork>> Backend::endRecording() {
    return Status::error(name() + " cannot record work");
}

Status Backend::recordStepMetrics(std::span<const WeightedLoss> losses, const Tensor* logits,
                                  const Tensor* labels, Tensor& log, const Tensor& stepValues) {
    Result<StepValues> values = readStepValues(*this, stepValues);
    if (!values)
        return values.status();
    const std::int64_t at = 3 * std::int64_t(values.value().slot);
    float total = 0.0f;
    for (const WeightedLoss& loss : losses) {
        Result<Tensor> value = toHost(*this, *loss.value);
        if (!value)
            return value.status();
        total += loss.weight * value.value()[0];
    }
    std::int64_t correct = 0, labelled = 0;
    if (logits && labels) {
        Result<Tensor> scores = toHost(*this, *logits);
        Result<Tensor> classes = toHost(*this, *labels);
        if (!scores)
            return scores.status();
        if (!classes)
            return classes.status();
        const Tensor& z = scores.value();
        const std::int64_t width = z.dim(z.rank() - 1), rows = z.size() / width;
        for (std::int64_t i = 0; i < rows; ++i) {
            const float label = classes.value()[i];
            if (label < 0.0f) // padding
                continue;
            const float* row = z.data() + i * width;
            correct +=
                std::int64_t(std::max_element(row, row + width) - row) == std::int64_t(label);
            ++labelled;
        }
    }
    return writeAt(*this, log, at, {total, float(correct), float(labelled)});
}

Status Backend::noteNonFinite(const Tensor& t, std::int64_t code, std::int64_t codesPerSlot,
                              const Tensor& stepValues, Tensor& firstBad) {
    Result<bool> finite = allFinite(t);
    if (!finite)
        return finite.status();
    if (finite.value())
        return Status::ok();
    Result<float> current = [&]() -> Result<float> {
        Result<Tensor> host = toHost(*this, firstBad);
        if (!host)
            return host.status();
        return host.value()[0];
    }();
    if (!current)
        return current.status();
    Result<StepValues> values = readStepValues(*this, stepValues);
    if (!values)
        return values.status();
    const float noted = float(code + codesPerSlot * std::int64_t(values.value().slot));
    return writeAt(*this, firstBad, 0, {std::min(current.value(), noted)});
}

void gatherRowsOnHost(const Tensor& table, std::span<const std::int64_t> rows, Tensor& out) {
    Dims dims = table.dims();
    dims[0] = std::int64_t(rows.size());
    out.resize(dims);
    const std::int64_t width = sampleSize(table);
    for (std::size_t i = 0; i < rows.size(); ++i)
        std::copy_n(table.data() + rows[i] * width, width, out.data() + std::int64_t(i) * width);
}

Status Backend::gatherRows(const Tensor& table, std::span<const std::int64_t> rows, Tensor& out) {
    if (!table.onHost())
        return Status::error(name() + " cannot gather rows of a table on " + table.device().text());
    Tensor batch;
    gatherRowsOnHost(table, rows, batch);
    return upload(batch, out);
}

Status Backend::zeroTensors(std::span<Tensor* const> tensors) {
    for (Tensor* t : tensors)
        t->zero();
    return Status::ok();
}

Status zeroGradients(Backend& backend, ParameterStore& params) {
    std::vector<Tensor*> grads;
    grads.reserve(params.size());
    for (Parameter& p : params.all())
        if (!p.grad.empty())
            grads.push_back(&p.grad);
    return backend.zeroTensors(grads);
}

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
