#pragma once
// The min/max envelope of a curve drawn as one filled column per pixel bucket, low to high,
// instead of a filled polygon between two graphs: axis-aligned rectangles are the raster
// engine's fastest fill, where a translucent polygon with thousands of vertices is among its
// slowest. The buckets come from every point of the envelope (nothing is sampled away).
//
//   auto* band = new EnvelopeBand(plot->xAxis, plot->yAxis);
//   band->setBrush(QColor(31, 119, 180, 40));
//   band->setBand(x, low, high, from, to, pixels);

#include <qcustomplot.h>

#include <span>
#include <vector>

namespace nc::ui {

struct BandColumn {
    double x0, x1, low, high; // x0..x1: the first and last x in the bucket
};

// `x` ascending; low[i] <= high[i]. For each of `buckets` equal slices of [from, to] that
// holds points, the lowest low and the highest high, plus one point each side of the range.
std::vector<BandColumn> bandColumns(std::span<const double> x, std::span<const double> low,
                                    std::span<const double> high, double from, double to,
                                    int buckets);

class EnvelopeBand : public QCPAbstractPlottable {
public:
    EnvelopeBand(QCPAxis* keyAxis, QCPAxis* valueAxis);

    void setBand(std::span<const double> x, std::span<const double> low,
                 std::span<const double> high, double from, double to, int buckets) {
        m_columns = bandColumns(x, low, high, from, to, buckets);
    }
    void clear() { m_columns.clear(); }
    std::size_t columns() const { return m_columns.size(); }

    double selectTest(const QPointF&, bool, QVariant* = nullptr) const override { return -1; }
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain,
                           const QCPRange& inKeyRange) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    std::vector<BandColumn> m_columns;
};

} // namespace nc::ui
