#include "trainreporter.h"

#include "graph_model/shape.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace nc::cli {

namespace {

std::string duration(double seconds) {
    const long s = long(std::max(0.0, seconds));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", s / 60, s % 60);
    return buffer;
}

nlohmann::ordered_json jsonNumber(double v) {
    return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
}

} // namespace

TrainReporter::TrainReporter(bool json, bool progressBar)
    : m_json(json), m_progressBar(progressBar) {}

void TrainReporter::clearProgress() {
    if (m_progressBar && m_lastDrawnPercent >= 0)
        std::fprintf(stderr, "\r%*s\r", 90, "");
    m_lastDrawnPercent = -1;
}

void TrainReporter::step(const nc::engine::StepReport& r) {
    if (!m_progressBar)
        return;
    const int percent = int(100 * r.step / std::max<std::int64_t>(1, r.steps));
    if (percent == m_lastDrawnPercent && r.step != r.steps)
        return;
    m_lastDrawnPercent = percent;
    constexpr int width = 30;
    const int filled = width * percent / 100;
    std::fprintf(stderr, "\repoch %d [%s%s] %3d%%  loss %.4f  %s img/s  ETA %s ", r.epoch,
                 std::string(std::size_t(filled), '#').c_str(),
                 std::string(std::size_t(width - filled), '.').c_str(), percent, r.loss,
                 nc::graph::formatCount(std::int64_t(r.imagesPerSecond)).c_str(),
                 duration(r.etaSeconds).c_str());
    std::fflush(stderr);
}

void TrainReporter::epoch(const nc::engine::EpochReport& r) {
    clearProgress();
    if (m_json) {
        nlohmann::ordered_json j;
        j["epoch"] = r.epoch;
        j["epochs"] = r.epochs;
        j["train_loss"] = jsonNumber(r.trainLoss);
        j["train_accuracy"] = jsonNumber(r.trainAccuracy);
        j["val_loss"] = jsonNumber(r.valLoss);
        j["val_accuracy"] = jsonNumber(r.valAccuracy);
        j["epoch_s"] = r.seconds;
        j["images_per_s"] = r.imagesPerSecond;
        j["lr"] = r.lr;
        std::cout << j.dump() << std::endl;
    } else {
        std::string line = "epoch " + std::to_string(r.epoch) + "/" + std::to_string(r.epochs);
        char buffer[160];
        std::snprintf(buffer, sizeof buffer, "  train_loss %.4f", r.trainLoss);
        line += buffer;
        if (!std::isnan(r.trainAccuracy)) {
            std::snprintf(buffer, sizeof buffer, "  train_acc %.2f%%", 100 * r.trainAccuracy);
            line += buffer;
        }
        if (!std::isnan(r.valLoss)) {
            std::snprintf(buffer, sizeof buffer, "  val_loss %.4f", r.valLoss);
            line += buffer;
        }
        if (!std::isnan(r.valAccuracy)) {
            std::snprintf(buffer, sizeof buffer, "  val_acc %.2f%%", 100 * r.valAccuracy);
            line += buffer;
        }
        std::snprintf(buffer, sizeof buffer, "  %.1f s  %s img/s", r.seconds,
                      nc::graph::formatCount(std::int64_t(r.imagesPerSecond)).c_str());
        line += buffer;
        std::cout << line << std::endl;
    }
}

} // namespace nc::cli
