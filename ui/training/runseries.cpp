#include "runseries.h"

namespace nc::ui {

void RunSeries::append(const SeriesPoint& point) {
    if (m_value.empty() && m_origin == 0)
        m_origin = point.wall;
    m_step.push_back(point.step);
    m_epoch.push_back(point.epoch);
    m_wall.push_back(point.wall);
    m_relative.push_back(point.wall - m_origin);
    m_value.push_back(point.value);
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
