#include "runseries.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nc::ui {

void RunSeries::append(const SeriesPoint& point) {
    if (m_value.empty() && m_origin == 0)
        m_origin = point.wall;
    m_step.push_back(point.step);
    m_epoch.push_back(point.epoch);
    m_wall.push_back(point.wall);
    m_relative.push_back(point.wall - m_origin);
    m_value.push_back(point.value);
    noteValue(point.value);
}

void RunSeries::noteValue(double v) {
    if (!std::isfinite(v))
        return;
    m_min = std::min(m_min, v);
    m_max = std::max(m_max, v);
    if (v > 0) {
        m_minPositive = std::min(m_minPositive, v);
        m_maxPositive = std::max(m_maxPositive, v);
    }
}

void RunSeries::truncateAfterEpoch(double epoch) {
    const std::size_t keep =
        std::size_t(std::upper_bound(m_epoch.begin(), m_epoch.end(), epoch) - m_epoch.begin());
    for (std::vector<double>* column : {&m_step, &m_epoch, &m_wall, &m_relative, &m_value})
        column->resize(std::min(column->size(), keep));
    m_min = m_minPositive = kInf;
    m_max = m_maxPositive = -kInf;
    for (double v : m_value)
        noteValue(v);
}

bool RunSeries::valueRange(bool positiveOnly, double& lo, double& hi) const {
    if (positiveOnly ? m_minPositive == kInf : m_min == kInf)
        return false;
    lo = std::min(lo, positiveOnly ? m_minPositive : m_min);
    hi = std::max(hi, positiveOnly ? m_maxPositive : m_max);
    return true;
}

void RunSeries::setOrigin(double wallOrigin) {
    m_origin = wallOrigin;
    for (std::size_t i = 0; i < m_wall.size(); ++i)
        m_relative[i] = m_wall[i] - m_origin;
}

std::span<const double> RunSeries::x(XAxis axis) const {
    switch (axis) {
    case XAxis::Step:
        return m_step;
    case XAxis::Epoch:
        return m_epoch;
    case XAxis::RelativeTime:
        return m_relative;
    case XAxis::WallTime:
        return m_wall;
    }
    return m_step;
}

} // namespace nc::ui
