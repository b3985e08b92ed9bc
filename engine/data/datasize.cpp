#include "datasize.h"

#include "specquery.h"

#include <filesystem>
#include <fstream>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

namespace fs = std::filesystem;

// The defaults of dataspec.cpp: 2,000 samples for shapes and text, 10,000 otherwise.
constexpr std::int64_t defaultCount(const std::string& name) {
    return name == "shapes" || name == "text" ? 2000 : 10000;
}

// Bytes per sample: its values and at most as many targets (a label, a target per step, or
// a sequence), as float32.
std::uint64_t bytesPerSample(std::int64_t values) {
    return (2 * std::uint64_t(values) + 1) * sizeof(float);
}

// A gzip file's uncompressed size (its trailer's ISIZE: exact below 4 GiB).
std::uint64_t gunzippedSize(const fs::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in || in.tellg() < 4)
        return 0;
    in.seekg(-4, std::ios::end);
    unsigned char b[4] = {};
    in.read(reinterpret_cast<char*>(b), 4);
    return std::uint64_t(b[0]) | std::uint64_t(b[1]) << 8 | std::uint64_t(b[2]) << 16 |
           std::uint64_t(b[3]) << 24;
}

// The regular files under `path` (itself when it is a file), as count and bytes on disk
// (`unzip`: gzip files counted at their uncompressed size).
Result<std::pair<std::uint64_t, std::uint64_t>> filesUnder(const std::string& path, bool unzip) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status))
        return Status::ioError(path + ": no such file or folder");
    std::uint64_t count = 0, bytes = 0;
    auto add = [&](const fs::path& file) {
        ++count;
        bytes +=
            unzip && file.extension() == ".gz" ? gunzippedSize(file) : fs::file_size(file, error);
    };
    if (!fs::is_directory(status)) {
        add(path);
        return std::pair{count, bytes};
    }
    for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
         it.increment(error))
        if (it->is_regular_file(error))
            add(it->path());
    if (error)
        return Status::ioError(path + ": " + error.message());
    return std::pair{count, bytes};
}

std::string beforeQuery(const std::string& text) {
    return text.substr(0, text.find('?'));
}
std::string afterQuery(const std::string& text) {
    const std::size_t q = text.find('?');
    return q == std::string::npos ? "" : text.substr(q + 1);
}

} // namespace

Result<std::uint64_t> estimateDatasetBytes(const std::string& spec, const Dims& sampleDims) {
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos)
        return Status::error("data spec \"" + spec + "\" has no kind");
    const std::string kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    const std::int64_t values = product(sampleDims);
    if (kind == "synthetic") {
        const std::string name = beforeQuery(rest);
        Result<SpecQuery> q =
            SpecQuery::parse(spec, afterQuery(rest), {"count", "seed", "rows", "task", "steps"});
        if (!q)
            return q.status();
        Result<std::int64_t> count = q.value().integer("count", defaultCount(name), 1, 10'000'000);
        Result<std::int64_t> steps = q.value().integer("steps", 1, 1, 100'000);
        if (!count)
            return count.status();
        if (!steps)
            return steps.status();
        // A sequence longer than the Input's (?steps=) scales every sample.
        const std::int64_t inputSteps =
            sampleDims.empty() ? 1 : std::max<std::int64_t>(1, sampleDims[0]);
        const std::uint64_t scale = q.value().has("steps") && steps.value() > inputSteps
                                        ? std::uint64_t(steps.value() / inputSteps + 1)
                                        : 1;
        return std::uint64_t(count.value()) * bytesPerSample(values) * scale;
    }
    const std::string path = beforeQuery(rest);
    if (path.empty())
        return Status::error("data spec \"" + spec + "\" names no path");
    Result<std::pair<std::uint64_t, std::uint64_t>> files = filesUnder(path, kind == "mnist");
    if (!files)
        return files.status();
    const auto [count, bytes] = files.value();
    if (kind == "mnist") // one byte per value on disk, four in memory
        return bytes * sizeof(float) + bytesPerSample(0) * count;
    if (kind == "images") // every file decoded to the Input's shape
        return count * bytesPerSample(values);
    if (kind == "csv") // a value takes at least two characters ("0,")
        return bytes / 2 * sizeof(float) + bytesPerSample(0);
    if (kind == "text") { // a window of `steps` every `stride` characters, and its targets
        Result<SpecQuery> q = SpecQuery::parse(spec, afterQuery(rest), {"steps", "stride"});
        if (!q)
            return q.status();
        const std::int64_t input = sampleDims.empty() ? 1 : sampleDims[0];
        Result<std::int64_t> steps = q.value().integer("steps", input, 1, 100'000);
        if (!steps)
            return steps.status();
        Result<std::int64_t> stride = q.value().integer("stride", steps.value(), 1, 100'000);
        if (!stride)
            return stride.status();
        return (bytes / std::uint64_t(stride.value()) + 1) * bytesPerSample(steps.value());
    }
    return Status::error("unknown data kind \"" + kind + "\"");
}

} // namespace nc::engine
