// images:DIR: one subfolder per class (sorted by name = class index), images decoded with
// OpenCV and resized to the Input's HxW; 1 channel reads grayscale, 3 reads RGB. Nothing
// here throws: folder walks use error codes, an image whose header claims more than
// kMaxImagePixels is refused before decoding, and OpenCV's exceptions become messages.

#include "imageheader.h"
#include "loaders.h"

#include "core/atomicwrite.h"
#include "core/inputfile.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace nc::engine {

using nc::core::Status;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMaxImagePixels = std::uint64_t(1) << 26; // 8192x8192
constexpr std::size_t kMaxImageFileBytes = std::size_t(256) << 20;

bool isImageFile(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* known :
         {".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".ppm", ".tif", ".tiff", ".webp"})
        if (ext == known)
            return true;
    return false;
}

// The entries of `dir` that `keep` accepts, sorted; a folder that cannot be read (no
// permission, a symlink loop) is an I/O error naming it.
template <typename Keep> Result<std::vector<fs::path>> listFolder(const fs::path& dir, Keep keep) {
    std::vector<fs::path> found;
    std::error_code ec;
    auto cannot = [&dir](const std::error_code& e) {
        return Status::ioError("cannot read " + dir.string() + ": " + e.message());
    };
    fs::directory_iterator it(dir, ec);
    if (ec)
        return cannot(ec);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec)
            return cannot(ec);
        Result<bool> wanted = keep(*it);
        if (!wanted)
            return wanted.status();
        if (wanted.value())
            found.push_back(it->path());
    }
    if (ec)
        return cannot(ec);
    std::sort(found.begin(), found.end());
    return found;
}

// One image, decoded, resized and scaled into `out` (channels x height x width).
Status decodeInto(const std::string& path, int channels, int height, int width, float* out) {
    Result<std::string> bytes = nc::core::readWholeFile(path, kMaxImageFileBytes);
    if (!bytes)
        return bytes.status();
    if (std::optional<ImageSize> size = imageSizeFromHeader(bytes.value());
        size && (size->width == 0 || size->height == 0 ||
                 size->width > kMaxImagePixels / std::max<std::uint64_t>(size->height, 1)))
        return Status::error(path + ": the image claims to be " + std::to_string(size->width) +
                             "x" + std::to_string(size->height) + " pixels; at most " +
                             std::to_string(kMaxImagePixels) + " pixels are allowed");
    try {
        const cv::Mat encoded(1, int(bytes.value().size()), CV_8U, bytes.value().data());
        cv::Mat image =
            cv::imdecode(encoded, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
        if (image.empty())
            return Status::error(path + ": cannot decode this image");
        cv::Mat resized, scaled;
        cv::resize(image, resized, cv::Size(width, height), 0, 0, cv::INTER_AREA);
        if (channels == 3)
            cv::cvtColor(resized, resized, cv::COLOR_BGR2RGB);
        resized.convertTo(scaled, CV_32F, 1.0 / 255.0);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                for (int c = 0; c < channels; ++c)
                    out[(c * height + y) * width + x] = scaled.ptr<float>(y)[x * channels + c];
    } catch (const cv::Exception& e) {
        return Status::error(path + ": cannot decode this image (" + e.err + ")");
    } catch (const std::exception& e) { // bad_alloc
        return Status::error(path + ": cannot decode this image (" + e.what() + ")");
    }
    return Status::ok();
}

} // namespace

Result<Dataset> loadImageFolder(const std::string& dir, const Dims& sampleDims) {
    if (sampleDims.size() != 3 || (sampleDims[0] != 1 && sampleDims[0] != 3))
        return Status::error("images:" + dir +
                             ": the Input must be 1xHxW or 3xHxW for an image folder");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return Status::ioError(
            "images:" + dir + ": not a folder" +
            (ec && ec != std::errc::no_such_file_or_directory ? " (" + ec.message() + ")" : ""));
    Result<std::vector<fs::path>> classes =
        listFolder(dir, [](const fs::directory_entry& e) -> Result<bool> {
            std::error_code error;
            const bool folder = e.is_directory(error);
            if (error && error != std::errc::no_such_file_or_directory) // a broken link: skip
                return Status::ioError("cannot read " + e.path().string() + ": " + error.message());
            return folder;
        });
    if (!classes)
        return classes.status();
    if (classes.value().size() < 2)
        return Status::error("images:" + dir +
                             ": needs one subfolder per class, and at least two classes");
    std::vector<std::pair<fs::path, int>> files;
    for (std::size_t c = 0; c < classes.value().size(); ++c) {
        const fs::path& folder = classes.value()[c];
        Result<std::vector<fs::path>> found =
            listFolder(folder, [](const fs::directory_entry& e) -> Result<bool> {
                if (!isImageFile(e.path()))
                    return false;
                std::error_code error;
                const bool regular = e.is_regular_file(error);
                if (error && error != std::errc::no_such_file_or_directory)
                    return Status::ioError("cannot read " + e.path().string() + ": " +
                                           error.message());
                return regular;
            });
        if (!found)
            return found.status();
        if (found.value().empty())
            return Status::error(folder.string() +
                                 ": no images (png, jpg, bmp, pgm, ppm, tif, webp)");
        for (const fs::path& f : found.value())
            files.emplace_back(f, int(c));
    }
    const int channels = int(sampleDims[0]), height = int(sampleDims[1]),
              width = int(sampleDims[2]);
    Tensor samples({std::int64_t(files.size()), channels, height, width});
    Tensor targets({std::int64_t(files.size()), 1});
    // The first failure in file order, whatever order the threads finish in.
    std::vector<Status> failures(files.size(), Status::ok());
#pragma omp parallel for schedule(dynamic, 8)
    for (std::size_t i = 0; i < files.size(); ++i) {
        float* out = samples.data() + std::int64_t(i) * channels * height * width;
        failures[i] = decodeInto(files[i].first.string(), channels, height, width, out);
        targets[std::int64_t(i)] = float(files[i].second);
    }
    for (const Status& s : failures)
        if (!s)
            return s;
    Dataset data(std::move(samples), std::move(targets));
    data.name = "images:" + dir;
    data.classes = std::int64_t(classes.value().size());
    return data;
}

} // namespace nc::engine
