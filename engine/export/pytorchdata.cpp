#include "pytorchdata.h"

#include "engine/data/datasize.h"
#include "engine/data/dataspec.h"
#include "engine/npz.h"

namespace nc::engine {

namespace {

std::string mebibytes(std::uint64_t bytes) {
    return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

Status tooLarge(const std::string& spec, const char* what, std::uint64_t bytes,
                std::uint64_t maxBytes) {
    return Status::error(spec + " is " + what + mebibytes(bytes) + ", more than the " +
                         mebibytes(maxBytes) +
                         " an exported data.npz may hold (ask for fewer "
                         "samples, e.g. ?count=N)");
}

} // namespace

Result<Dataset> loadPytorchData(const Model& model, const std::string& spec,
                                std::uint64_t maxBytes) {
    const Dims& sampleDims = model.values()[std::size_t(model.inputStep().outputs[0])].perSample;
    Result<std::uint64_t> estimate = estimateDatasetBytes(spec, sampleDims);
    if (!estimate)
        return estimate.status();
    if (estimate.value() > maxBytes)
        return tooLarge(spec, "estimated at ", estimate.value(), maxBytes);
    Result<Dataset> data = loadDataset(spec, sampleDims);
    if (!data)
        return data.status();
    const Dataset& set = data.value();
    const auto bytes = std::uint64_t(set.samples.size() + set.targets.size()) * sizeof(float);
    if (bytes > maxBytes)
        return tooLarge(spec, "", bytes, maxBytes);
    return data;
}

Status writePytorchData(const Dataset& data, const std::string& path) {
    return writeNpz(path, {{"x", &data.samples}, {"y", &data.targets}});
}

Status exportPytorchData(const Model& model, const std::string& spec, const std::string& path,
                         std::uint64_t maxBytes) {
    Result<Dataset> data = loadPytorchData(model, spec, maxBytes);
    return data ? writePytorchData(data.value(), path) : data.status();
}

} // namespace nc::engine
