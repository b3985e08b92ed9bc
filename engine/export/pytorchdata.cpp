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

// Every row as float32, as data.npz holds them.
std::uint64_t rowBytes(const Dataset& data) {
    return std::uint64_t(data.size()) *
           std::uint64_t(product(data.sampleDims()) + product(data.targetDims())) * sizeof(float);
}

} // namespace

Result<Dataset> loadPytorchData(const Model& model, const std::string& spec,
                                std::uint64_t maxBytes) {
    const Dims& sampleDims = model.values()[std::size_t(model.inputStep().outputs[0])].perSample;
    Result<DatasetSize> estimate = estimateDatasetSize(spec, sampleDims);
    if (!estimate)
        return estimate.status();
    if (estimate.value().rowBytes > maxBytes)
        return tooLarge(spec, "estimated at ", estimate.value().rowBytes, maxBytes);
    Result<Dataset> data = loadDataset(spec, sampleDims);
    if (!data)
        return data.status();
    if (const std::uint64_t bytes = rowBytes(data.value()); bytes > maxBytes)
        return tooLarge(spec, "", bytes, maxBytes);
    return data;
}

Status writePytorchData(const Dataset& data, const std::string& path) {
    // Text windows are written out here, all at once (tables are written where they are).
    if (!data.holdsTables())
        if (Status fits = checkMemoryFor(data.name, rowBytes(data)); !fits)
            return fits;
    const Dataset::Tables rows = data.tables();
    return writeNpz(path, {{"x", &rows.samples}, {"y", &rows.targets}});
}

Status exportPytorchData(const Model& model, const std::string& spec, const std::string& path,
                         std::uint64_t maxBytes) {
    Result<Dataset> data = loadPytorchData(model, spec, maxBytes);
    return data ? writePytorchData(data.value(), path) : data.status();
}

} // namespace nc::engine
