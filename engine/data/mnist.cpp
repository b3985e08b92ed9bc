// MNIST-style IDX files (also Fashion-MNIST): images [n, rows, cols] and labels [n] of bytes,
// raw or gzip-compressed (idx.h reads and checks each file).

#include "idx.h"
#include "loaders.h"

#include <filesystem>

namespace nc::engine {

using nc::core::Status;
namespace fs = std::filesystem;

namespace {

// The path of `stem` or `stem.gz` in `dir`; empty when neither exists. A file that exists but
// cannot be looked at (a symlink loop, no permission) is an I/O error.
Result<std::string> findFile(const std::string& dir, const std::string& stem) {
    for (const char* suffix : {"", ".gz"}) {
        const fs::path p = fs::path(dir) / (stem + suffix);
        std::error_code ec;
        const bool exists = fs::exists(p, ec);
        if (ec)
            return Status::ioError("mnist:" + dir + ": cannot read " + p.filename().string() +
                                   ": " + ec.message());
        if (exists)
            return p.string();
    }
    return std::string();
}

} // namespace

Result<Dataset> loadMnist(const std::string& dir) {
    std::error_code ec;
    const bool isFolder = fs::is_directory(dir, ec);
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
        return Status::ioError("mnist:" + dir + ": cannot read: " + ec.message());
    if (!isFolder)
        return Status::ioError("mnist:" + dir + ": not a folder");
    std::string images, labels;
    for (const char* prefix : {"train", "t10k"}) {
        Result<std::string> i = findFile(dir, std::string(prefix) + "-images-idx3-ubyte");
        Result<std::string> l = findFile(dir, std::string(prefix) + "-labels-idx1-ubyte");
        if (!i)
            return i.status();
        if (!l)
            return l.status();
        images = i.value();
        labels = l.value();
        if (!images.empty() && !labels.empty())
            break;
    }
    if (images.empty() || labels.empty())
        return Status::error(
            "mnist:" + dir +
            ": no train-images-idx3-ubyte/train-labels-idx1-ubyte (or t10k-) pair, raw or .gz");
    Result<IdxArray> imageFile = readIdxFile(images, 3);
    if (!imageFile)
        return imageFile.status();
    Result<IdxArray> labelFile = readIdxFile(labels, 1);
    if (!labelFile)
        return labelFile.status();
    const IdxArray& ia = imageFile.value();
    const IdxArray& la = labelFile.value();
    const std::uint64_t n = ia.dims[0], rows = ia.dims[1], cols = ia.dims[2];
    if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
        return Status::error(images + ": implausible image size " + std::to_string(rows) + "x" +
                             std::to_string(cols));
    if (la.dims[0] != n)
        return Status::error(labels + ": " + std::to_string(la.dims[0]) + " labels for " +
                             std::to_string(n) + " images in " + images);
    Tensor samples({std::int64_t(n), 1, std::int64_t(rows), std::int64_t(cols)});
    Tensor targets({std::int64_t(n), 1});
    for (std::size_t i = 0; i < ia.values.size(); ++i)
        samples[std::int64_t(i)] = float(ia.values[i]) / 255.0f;
    std::int64_t maxLabel = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const int label = la.values[i];
        if (label > 99)
            return Status::error(labels + ": label " + std::to_string(label) + " of image " +
                                 std::to_string(i) + " is not a class index");
        targets[std::int64_t(i)] = float(label);
        maxLabel = std::max<std::int64_t>(maxLabel, label);
    }
    Dataset data(std::move(samples), std::move(targets));
    data.name = "mnist:" + dir;
    data.classes = maxLabel + 1;
    return data;
}

Result<Dataset> loadMnistRows(const std::string& dir) {
    Result<Dataset> data = loadMnist(dir);
    if (!data)
        return data;
    Dataset& d = data.value();
    d.reshapeSamples({d.sampleDims()[1], d.sampleDims()[2]}); // steps = rows
    d.name = "mnist:" + dir + "?rows";
    return data;
}

} // namespace nc::engine
