#include "runmetrics.h"

#include "core/atomicwrite.h"
#include "core/numberparse.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace nc::engine {

namespace {

std::string cell(double v) {
    if (std::isnan(v))
        return "";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
    return buffer;
}

constexpr int kCells = 8; // the columns of kHeader

bool isCell(std::string_view text) {
    return text.empty() || text == "inf" || text == "-inf" ||
           nc::core::parseDouble(text, "cell").isOk();
}

} // namespace

bool RunMetrics::isRow(std::string_view text, int epoch) {
    int cells = 0;
    while (true) {
        const std::size_t end = std::min(text.find(','), text.size());
        const std::string_view cell = text.substr(0, end);
        if (cells == 0 ? cell != std::to_string(epoch) : !isCell(cell))
            return false;
        ++cells;
        if (end == text.size())
            break;
        text.remove_prefix(end + 1);
    }
    return cells == kCells;
}

int RunMetrics::lastEpoch(std::string_view csv) {
    int last = 0;
    while (!csv.empty()) {
        const std::size_t end = std::min(csv.find('\n'), csv.size());
        std::string_view line = csv.substr(0, end);
        csv.remove_prefix(std::min(end + 1, csv.size()));
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const auto epoch = nc::core::parseInt64(line.substr(0, line.find(',')), "epoch", 1,
                                                std::numeric_limits<int>::max());
        if (epoch && int(epoch.value()) > last && isRow(line, int(epoch.value())))
            last = int(epoch.value());
    }
    return last;
}

RunMetrics RunMetrics::parse(std::string_view csv, int throughEpoch) {
    RunMetrics metrics;
    while (!csv.empty()) {
        const std::size_t end = std::min(csv.find('\n'), csv.size());
        std::string_view line = csv.substr(0, end);
        csv.remove_prefix(std::min(end + 1, csv.size()));
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const auto epoch =
            nc::core::parseInt64(line.substr(0, line.find(',')), "epoch", 1, throughEpoch);
        if (epoch && isRow(line, int(epoch.value())))
            metrics.m_rows.emplace_back(int(epoch.value()), std::string(line));
    }
    // The first row of each epoch, in epoch order: linear in the file, whatever it holds.
    std::stable_sort(metrics.m_rows.begin(), metrics.m_rows.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    metrics.m_rows.erase(std::unique(metrics.m_rows.begin(), metrics.m_rows.end(),
                                     [](const auto& a, const auto& b) { return a.first == b.first; }),
                         metrics.m_rows.end());
    return metrics;
}

std::string RunMetrics::row(const EpochReport& r) {
    return std::to_string(r.epoch) + "," + cell(r.trainLoss) + "," + cell(r.trainAccuracy) + "," +
           cell(r.valLoss) + "," + cell(r.valAccuracy) + "," + cell(r.seconds) + "," +
           cell(r.imagesPerSecond) + "," + cell(r.lr);
}

void RunMetrics::set(int epoch, std::string row) {
    auto at = std::lower_bound(m_rows.begin(), m_rows.end(), epoch,
                               [](const auto& entry, int e) { return entry.first < e; });
    if (at != m_rows.end() && at->first == epoch)
        at->second = std::move(row);
    else
        m_rows.insert(at, {epoch, std::move(row)});
}

bool RunMetrics::has(int epoch) const {
    auto at = std::lower_bound(m_rows.begin(), m_rows.end(), epoch,
                               [](const auto& entry, int e) { return entry.first < e; });
    return at != m_rows.end() && at->first == epoch;
}

std::string RunMetrics::csv() const {
    std::string out(kHeader);
    out += '\n';
    for (const auto& [epoch, text] : m_rows)
        out += text + '\n';
    return out;
}

std::vector<EpochReport> RunMetrics::reports() const {
    std::vector<EpochReport> out;
    for (const auto& [epoch, text] : m_rows) {
        std::vector<double> cells;
        std::string_view rest = text;
        rest.remove_prefix(std::min(rest.find(','), rest.size()));
        while (!rest.empty()) {
            rest.remove_prefix(1); // the comma
            const std::size_t end = std::min(rest.find(','), rest.size());
            auto value = nc::core::parseDouble(rest.substr(0, end), "cell");
            cells.push_back(value ? value.value() : kNoMetric);
            rest.remove_prefix(end);
        }
        cells.resize(7, kNoMetric);
        EpochReport r;
        r.epoch = epoch;
        r.trainLoss = cells[0];
        r.trainAccuracy = cells[1];
        r.valLoss = cells[2];
        r.valAccuracy = cells[3];
        r.seconds = cells[4];
        r.imagesPerSecond = cells[5];
        r.lr = cells[6];
        out.push_back(r);
    }
    return out;
}

nc::core::Status RunMetrics::save(const std::string& path) const {
    return nc::core::writeFileAtomically(path, csv());
}

} // namespace nc::engine
