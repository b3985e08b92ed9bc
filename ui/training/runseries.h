#pragma once
// One scalar of a run over time, every point kept: its value and the four x coordinates a
// chart can plot it against. Points arrive in order (a resumed run continues after its last
// point), so every x column is ascending.

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace nc::ui {

enum class XAxis { Step, Epoch, RelativeTime, WallTime };

struct SeriesPoint {
    double step = 0;  // global optimizer step
    double epoch = 0; // fractional: 1.5 is half-way through the second epoch
    double wall = 0;  // seconds since 1970
    double value = 0;
};

class RunSeries {
public:
    void append(const SeriesPoint& point);
    std::size_t size() const { return m_value.size(); }
    bool empty() const { return m_value.empty(); }
    // Seconds since `origin` for RelativeTime (the run's start), else the column itself.
    std::span<const double> x(XAxis axis) const;
    std::span<const double> values() const { return m_value; }
    void setOrigin(double wallOrigin);
    // Drops the points after `epoch` (the x epoch column), as a resumed run cuts back.
    void truncateAfterEpoch(double epoch);
    // The least and greatest finite values (only the positive ones with `positiveOnly`, for a
    // log axis), kept up to date by append(); false when there are none.
    bool valueRange(bool positiveOnly, double& lo, double& hi) const;
    double origin() const { return m_origin; }

private:
    void noteValue(double v);

    static constexpr double kInf = std::numeric_limits<double>::infinity();
    std::vector<double> m_step, m_epoch, m_wall, m_relative, m_value;
    double m_origin = 0;
    double m_min = kInf, m_max = -kInf, m_minPositive = kInf, m_maxPositive = -kInf;
};

} // namespace nc::ui
