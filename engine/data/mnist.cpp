// MNIST-style IDX files (also Fashion-MNIST): magic 2051 for images [n, rows, cols] of bytes,
// 2049 for labels [n] of bytes, big-endian counts, optionally gzip-compressed.

#include "loaders.h"

#include <filesystem>
#include <zlib.h>

namespace nc::engine {

using nc::core::Status;

namespace {

// The whole (decompressed) file; gzread also reads uncompressed files as they are.
Result<std::string> readMaybeGzip(const std::string& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        return Status::error("cannot open " + path);
    std::string bytes;
    char buffer[1 << 16];
    int n = 0;
    while ((n = gzread(file, buffer, sizeof buffer)) > 0)
        bytes.append(buffer, std::size_t(n));
    int error = 0;
    const char* message = gzerror(file, &error);
    gzclose(file);
    if (n < 0 || (error != Z_OK && error != Z_BUF_ERROR))
        return Status::error(path + ": cannot decompress: " + message);
    return bytes;
}

std::uint32_t bigEndian(const std::string& bytes, std::size_t offset) {
    auto b = [&](std::size_t i) {
        return std::uint32_t(static_cast<unsigned char>(bytes[offset + i]));
    };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

std::string findFile(const std::string& dir, const std::string& stem) {
    for (const char* suffix : {"", ".gz"}) {
        std::filesystem::path p = std::filesystem::path(dir) / (stem + suffix);
        if (std::filesystem::exists(p))
            return p.string();
    }
    return {};
}

} // namespace

Result<Dataset> loadMnist(const std::string& dir) {
    if (!std::filesystem::is_directory(dir))
        return Status::error("mnist:" + dir + ": not a folder");
    std::string images, labels;
    for (const char* prefix : {"train", "t10k"}) {
        images = findFile(dir, std::string(prefix) + "-images-idx3-ubyte");
        labels = findFile(dir, std::string(prefix) + "-labels-idx1-ubyte");
        if (!images.empty() && !labels.empty())
            break;
    }
    if (images.empty() || labels.empty())
        return Status::error(
            "mnist:" + dir +
            ": no train-images-idx3-ubyte/train-labels-idx1-ubyte (or t10k-) pair, raw or .gz");
    Result<std::string> imageBytes = readMaybeGzip(images);
    if (!imageBytes)
        return Status::error(imageBytes.message());
    Result<std::string> labelBytes = readMaybeGzip(labels);
    if (!labelBytes)
        return Status::error(labelBytes.message());
    const std::string& ib = imageBytes.value();
    const std::string& lb = labelBytes.value();
    if (ib.size() < 16 || bigEndian(ib, 0) != 2051)
        return Status::error(images + ": bad magic number (expected an IDX image file, 2051)");
    if (lb.size() < 8 || bigEndian(lb, 0) != 2049)
        return Status::error(labels + ": bad magic number (expected an IDX label file, 2049)");
    const std::uint64_t n = bigEndian(ib, 4), rows = bigEndian(ib, 8), cols = bigEndian(ib, 12);
    if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
        return Status::error(images + ": implausible image size " + std::to_string(rows) + "x" +
                             std::to_string(cols));
    if (ib.size() - 16 < n * rows * cols)
        return Status::error(images + ": truncated: " + std::to_string(n) + " images need " +
                             std::to_string(n * rows * cols) + " bytes of pixels, the file has " +
                             std::to_string(ib.size() - 16));
    const std::uint64_t labelCount = bigEndian(lb, 4);
    if (labelCount != n)
        return Status::error(labels + ": " + std::to_string(labelCount) + " labels for " +
                             std::to_string(n) + " images in " + images);
    if (lb.size() - 8 < n)
        return Status::error(labels + ": truncated: " + std::to_string(n) +
                             " labels expected, the file has " + std::to_string(lb.size() - 8));
    Dataset data;
    data.name = "mnist:" + dir;
    data.samples = Tensor({std::int64_t(n), 1, std::int64_t(rows), std::int64_t(cols)});
    data.targets = Tensor({std::int64_t(n), 1});
    for (std::uint64_t i = 0; i < n * rows * cols; ++i)
        data.samples[std::int64_t(i)] = float(static_cast<unsigned char>(ib[16 + i])) / 255.0f;
    std::int64_t maxLabel = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const int label = static_cast<unsigned char>(lb[8 + i]);
        if (label > 99)
            return Status::error(labels + ": label " + std::to_string(label) + " of image " +
                                 std::to_string(i) + " is not a class index");
        data.targets[std::int64_t(i)] = float(label);
        maxLabel = std::max<std::int64_t>(maxLabel, label);
    }
    data.classes = maxLabel + 1;
    return data;
}

} // namespace nc::engine
