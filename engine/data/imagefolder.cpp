// images:DIR: one subfolder per class (sorted by name = class index), images decoded with
// OpenCV and resized to the Input's HxW; 1 channel reads grayscale, 3 reads RGB.

#include "loaders.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace nc::engine {

using nc::core::Status;
namespace fs = std::filesystem;

namespace {

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

} // namespace

Result<Dataset> loadImageFolder(const std::string& dir, const Dims& sampleDims) {
    if (sampleDims.size() != 3 || (sampleDims[0] != 1 && sampleDims[0] != 3))
        return Status::error("images:" + dir +
                             ": the Input must be 1xHxW or 3xHxW for an image folder");
    if (!fs::is_directory(dir))
        return Status::error("images:" + dir + ": not a folder");
    std::vector<fs::path> classes;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
        if (e.is_directory())
            classes.push_back(e.path());
    std::sort(classes.begin(), classes.end());
    if (classes.size() < 2)
        return Status::error("images:" + dir +
                             ": needs one subfolder per class, and at least two classes");
    std::vector<std::pair<fs::path, int>> files;
    for (std::size_t c = 0; c < classes.size(); ++c) {
        std::vector<fs::path> found;
        for (const fs::directory_entry& e : fs::directory_iterator(classes[c]))
            if (e.is_regular_file() && isImageFile(e.path()))
                found.push_back(e.path());
        if (found.empty())
            return Status::error(classes[c].string() +
                                 ": no images (png, jpg, bmp, pgm, ppm, tif, webp)");
        std::sort(found.begin(), found.end());
        for (const fs::path& f : found)
            files.emplace_back(f, int(c));
    }
    const int channels = int(sampleDims[0]), height = int(sampleDims[1]),
              width = int(sampleDims[2]);
    Dataset data;
    data.name = "images:" + dir;
    data.classes = std::int64_t(classes.size());
    data.samples = Tensor({std::int64_t(files.size()), channels, height, width});
    data.targets = Tensor({std::int64_t(files.size()), 1});
    std::string failure;
#pragma omp parallel for schedule(dynamic, 8)
    for (std::size_t i = 0; i < files.size(); ++i) {
        cv::Mat image = cv::imread(files[i].first.string(),
                                   channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
        if (image.empty()) {
#pragma omp critical
            if (failure.empty())
                failure = files[i].first.string() + ": cannot decode this image";
            continue;
        }
        cv::Mat resized, scaled;
        cv::resize(image, resized, cv::Size(width, height), 0, 0, cv::INTER_AREA);
        if (channels == 3)
            cv::cvtColor(resized, resized, cv::COLOR_BGR2RGB);
        resized.convertTo(scaled, CV_32F, 1.0 / 255.0);
        float* out = data.samples.data() + std::int64_t(i) * channels * height * width;
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                for (int c = 0; c < channels; ++c)
                    out[(c * height + y) * width + x] = scaled.ptr<float>(y)[x * channels + c];
        data.targets[std::int64_t(i)] = float(files[i].second);
    }
    if (!failure.empty())
        return Status::error(failure);
    return data;
}

} // namespace nc::engine
