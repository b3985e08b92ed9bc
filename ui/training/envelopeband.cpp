#include "envelopeband.h"

#include <algorithm>
#include <cmath>

namespace nc::ui {

EnvelopeBand::EnvelopeBand(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis) {
    setPen(Qt::NoPen);
    setSelectable(QCP::stNone);
}

std::vector<BandColumn> bandColumns(std::span<const double> x, std::span<const double> low,
                                    std::span<const double> high, double from, double to,
                                    int buckets) {
    std::vector<BandColumn> columns;
    const std::size_t n = std::min({x.size(), low.size(), high.size()});
    if (n == 0 || !(to > from) || buckets <= 0)
        return columns;
    // One point before the range and one after, so the band reaches the plot's edges.
    std::size_t begin = std::size_t(std::lower_bound(x.begin(), x.begin() + n, from) - x.begin());
    std::size_t end = std::size_t(std::upper_bound(x.begin(), x.begin() + n, to) - x.begin());
    begin = begin > 0 ? begin - 1 : 0;
    end = std::min(end + 1, n);
    const double scale = double(buckets) / (to - from);
    long current = 0;
    for (std::size_t i = begin; i < end; ++i) {
        if (!std::isfinite(low[i]) || !std::isfinite(high[i]))
            continue;
        const long bucket = long(std::floor((x[i] - from) * scale));
        if (columns.empty() || bucket != current) {
            columns.push_back({x[i], x[i], low[i], high[i]});
            current = bucket;
            continue;
        }
        BandColumn& c = columns.back();
        c.x1 = x[i];
        c.low = std::min(c.low, low[i]);
        c.high = std::max(c.high, high[i]);
    }
    return columns;
}

namespace {

// Widens `range` to hold `v` when `v` is in the sign domain asked for.
void widen(QCPRange& range, bool& found, double v, QCP::SignDomain domain) {
    if ((domain == QCP::sdPositive && v <= 0) || (domain == QCP::sdNegative && v >= 0))
        return;
    range = found ? QCPRange(std::min(range.lower, v), std::max(range.upper, v)) : QCPRange(v, v);
    found = true;
}

} // namespace

QCPRange EnvelopeBand::getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain) const {
    QCPRange range;
    foundRange = false;
    for (const BandColumn& c : m_columns) {
        widen(range, foundRange, c.x0, inSignDomain);
        widen(range, foundRange, c.x1, inSignDomain);
    }
    return range;
}

QCPRange EnvelopeBand::getValueRange(bool& foundRange, QCP::SignDomain inSignDomain,
                                     const QCPRange& inKeyRange) const {
    QCPRange range;
    foundRange = false;
    const bool anyKey = inKeyRange == QCPRange();
    for (const BandColumn& c : m_columns)
        if (anyKey || (c.x1 >= inKeyRange.lower && c.x0 <= inKeyRange.upper)) {
            widen(range, foundRange, c.low, inSignDomain);
            widen(range, foundRange, c.high, inSignDomain);
        }
    return range;
}

void EnvelopeBand::draw(QCPPainter* painter) {
    QCPAxis* key = keyAxis();
    QCPAxis* value = valueAxis();
    if (!key || !value || m_columns.empty() || brush().style() == Qt::NoBrush)
        return;
    const bool logValue = value->scaleType() == QCPAxis::stLogarithmic;
    const double floor = value->range().lower;
    auto yPixel = [&](double y) { return value->coordToPixel(logValue && y <= 0 ? floor : y); };
    painter->setPen(Qt::NoPen);
    painter->setBrush(brush());
    painter->setAntialiasing(false);
    // Each column spans from its first x to the next column's first x, so columns meet.
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
        const BandColumn& c = m_columns[i];
        const double left = key->coordToPixel(c.x0);
        const double right =
            key->coordToPixel(i + 1 < m_columns.size() ? m_columns[i + 1].x0 : c.x1);
        const double top = yPixel(c.high), bottom = yPixel(c.low);
        const int l = int(std::lround(std::min(left, right)));
        const int r = int(std::lround(std::max(left, right)));
        const int t = int(std::lround(std::min(top, bottom)));
        const int b = int(std::lround(std::max(top, bottom)));
        painter->fillRect(QRect(l, t, std::max(1, r - l), std::max(1, b - t)), brush());
    }
}

void EnvelopeBand::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const {
    painter->fillRect(rect, brush());
}

} // namespace nc::ui
