#include "datasize.h"

#include "idx.h"
#include "loaders.h"
#include "syntheticspec.h"

#include "core/availablememory.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

namespace fs = std::filesystem;

// Bytes of `count` rows of `values` floats and a label each.
std::uint64_t labelledRows(std::uint64_t count, std::int64_t values) {
    return count * (std::uint64_t(values) + 1) * sizeof(float);
}

// A gzip file's uncompressed size (its trailer's ISIZE: exact below 4 GiB).
std::uint64_t gunzippedSize(const fs::path& file) {
    std::error_code error;
    if (!fs::is_regular_file(file, error)) // a FIFO would block the open: its reader says why
        return 0;
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in || in.tellg() < 4)
        return 0;
    in.seekg(-4, std::ios::end);
    unsigned char b[4] = {};
    in.read(reinterpret_cast<char*>(b), 4);
    return std::uint64_t(b[0]) | std::uint64_t(b[1]) << 8 | std::uint64_t(b[2]) << 16 |
           std::uint64_t(b[3]) << 24;
}

// The regular files under `path` (itself when it is a file), as count and bytes on disk, each
// counted at most at `cap` bytes, what its reader takes at most (`unzip`: gzip files at their
// uncompressed size). A file whose size cannot be read counts nothing: its reader says why.
Result<std::pair<std::uint64_t, std::uint64_t>> filesUnder(const std::string& path, bool unzip,
                                                           std::uint64_t cap) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status))
        return Status::ioError(path + ": no such file or folder");
    std::uint64_t count = 0, bytes = 0;
    auto add = [&](const fs::path& file) {
        ++count;
        std::error_code unreadable;
        const std::uint64_t size = unzip && file.extension() == ".gz"
                                       ? gunzippedSize(file)
                                       : fs::file_size(file, unreadable);
        bytes += unreadable ? 0 : std::min(size, cap);
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

Result<DatasetSize> estimateDatasetSize(const std::string& spec, const Dims& sampleDims) {
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos)
        return Status::error("data spec \"" + spec + "\" has no kind");
    const std::string kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    if (kind == "synthetic") {
        Result<SyntheticSpec> s = SyntheticSpec::parse(spec, sampleDims);
        if (!s)
            return s.status();
        return DatasetSize{s.value().rowBytes(), s.value().memoryBytes()};
    }
    if (kind != "mnist" && kind != "images" && kind != "csv" && kind != "text")
        return Status::error("unknown data kind \"" + kind + "\"");
    // Only mnist: and text: take options; a CSV file or an image folder is all of `rest`.
    const bool options = kind == "mnist" || kind == "text";
    const std::string path = options ? beforeQuery(rest) : rest;
    if (path.empty())
        return Status::error("data spec \"" + spec + "\" names no path");
    TextWindowing text;
    if (kind == "text") {
        Result<TextWindowing> parsed = parseTextWindowing(spec, afterQuery(rest), sampleDims);
        if (!parsed)
            return parsed.status();
        text = parsed.value();
    }
    // An IDX file's gzip trailer may claim anything: its reader takes kMaxIdxFileBytes at most.
    const bool mnist = kind == "mnist";
    Result<std::pair<std::uint64_t, std::uint64_t>> files =
        filesUnder(path, mnist, mnist ? kMaxIdxFileBytes : UINT64_MAX);
    if (!files)
        return files.status();
    const auto [count, bytes] = files.value();
    if (kind == "mnist") { // one byte a value on disk, read whole, then four in memory
        const std::uint64_t rows = bytes * sizeof(float) + labelledRows(count, 0);
        return DatasetSize{rows, rows + 2 * bytes};
    }
    if (kind == "images") { // every file decoded to the Input's shape
        const std::uint64_t rows = labelledRows(count, product(sampleDims));
        return DatasetSize{rows, rows};
    }
    // csv: a value takes at least two characters ("0,"); the values are read into a list
    // that grows (to up to twice their size), then copied into the table
    if (kind == "csv") {
        const std::uint64_t rows = bytes / 2 * sizeof(float) + labelledRows(1, 0);
        return DatasetSize{rows, 3 * rows};
    }
    // text, written out: a window of `steps` every `stride` characters, and its targets;
    // held: the file's bytes while its tokens (at most one a byte, an int each) are read
    const auto steps = std::uint64_t(text.steps);
    const auto stride = std::uint64_t(text.stride);
    const std::uint64_t windows = stride > 0 ? bytes / stride + 1 : 0; // 0: the reader refuses
    const std::uint64_t rows = windows * 2 * steps * sizeof(float);
    return DatasetSize{rows, bytes + bytes * sizeof(int)};
}

Status checkMemoryFor(const std::string& spec, std::uint64_t bytes) {
    const nc::core::MemoryRoom room = nc::core::availableMemory();
    if (bytes <= room.bytes)
        return Status::ok();
    const bool synthetic = spec.rfind("synthetic:", 0) == 0;
    return Status::error(
        spec + " needs " + nc::core::describeMemorySize(bytes) + " of memory, but " +
        room.describe() +
        (synthetic ? " (ask for fewer samples: ?count=N)" : " (use a smaller data set)"));
}

} // namespace nc::engine
