#include "curveview.h"

#include "envelopeband.h"
#include "levelofdetail.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {

void setPoints(QCPGraph* graph, const CurvePoints& points) {
    graph->setData(QVector<double>(points.x.begin(), points.x.end()),
                   QVector<double>(points.y.begin(), points.y.end()), true);
}

QColor withAlpha(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

// Smoothing that cannot be used on a log axis is left to the raw values there: nothing here
// changes with the axis, the plot skips non-positive values itself.
bool smoothed(const ChartOptions& o, bool stepTag) {
    return stepTag && o.smoothing != SmoothingMode::None;
}

} // namespace

CurveView::CurveView(QCustomPlot* plot, QString name, QColor color, bool stepTag, bool dashed)
    : m_plot(plot), m_name(std::move(name)), m_stepTag(stepTag) {
    if (stepTag) {
        m_band = new EnvelopeBand(plot->xAxis, plot->yAxis);
        m_band->setBrush(withAlpha(color, 40));
        m_band->removeFromLegend();
        m_raw = plot->addGraph();
        m_raw->setPen(QPen(withAlpha(color, 70), 1));
        m_raw->removeFromLegend();
        // Every run's band under every run's raw points, and those under every line.
        if (plot->layer(kBandLayer) && plot->layer(kRawLayer)) {
            m_band->setLayer(kBandLayer);
            m_raw->setLayer(kRawLayer);
        }
    }
    m_line = plot->addGraph();
    QPen pen(color, stepTag ? 2 : 1.6);
    if (dashed)
        pen.setStyle(Qt::DashLine);
    m_line->setPen(pen);
    m_line->setName(m_name);
    if (!stepTag)
        m_line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, Qt::white, 6));
}

CurveView::~CurveView() {
    if (m_band)
        m_plot->removePlottable(m_band);
    for (QCPGraph* g : {m_raw, m_line})
        if (g)
            m_plot->removeGraph(g);
}

void CurveView::smooth(const RunSeries& series, const ChartOptions& options) {
    if (m_smoothedPoints == series.size() && m_smoothedWith == options)
        return;
    m_smoothedPoints = series.size();
    m_smoothedWith = options;
    m_smoothed.clear();
    m_envelopeLow.clear();
    m_envelopeHigh.clear();
    if (!smoothed(options, m_stepTag))
        return;
    switch (options.smoothing) {
    case SmoothingMode::Ema:
        m_smoothed = emaDebiased(series.values(), options.emaWeight);
        break;
    case SmoothingMode::MovingAverage:
        m_smoothed = centredMovingAverage(series.values(), options.window);
        break;
    case SmoothingMode::Envelope: {
        m_smoothed = centredMovingAverage(series.values(), options.window);
        Envelope e = minMaxEnvelope(series.values(), options.window);
        m_envelopeLow = std::move(e.low);
        m_envelopeHigh = std::move(e.high);
        break;
    }
    case SmoothingMode::None:
        break;
    }
}

void CurveView::update(const RunSeries& series, const ChartOptions& options, double from, double to,
                       int pixels) {
    smooth(series, options);
    const std::span<const double> x = series.x(options.xAxis);
    const bool smoothing = smoothed(options, m_stepTag);
    if (m_raw) {
        setPoints(m_raw, reduceForDisplay(x, series.values(), from, to, pixels));
        m_raw->setVisible(m_visible && smoothing);
    }
    // A smoothed curve changes little from pixel to pixel: half the buckets draw it alike.
    setPoints(m_line, smoothing ? reduceForDisplay(x, m_smoothed, from, to, pixels / 2)
                                : reduceForDisplay(x, series.values(), from, to, pixels));
    m_line->setVisible(m_visible);
    const bool band = smoothing && options.smoothing == SmoothingMode::Envelope;
    if (m_band) {
        // One column per two pixels: the band's outline is the envelope's, to a pixel.
        if (band)
            m_band->setBand(x, m_envelopeLow, m_envelopeHigh, from, to, pixels / 2);
        else
            m_band->clear();
        m_band->setVisible(m_visible && band);
    }
}

void CurveView::setVisible(bool visible) {
    m_visible = visible;
    if (m_band)
        m_band->setVisible(visible && m_band->columns() > 0);
    for (QCPGraph* g : {m_raw, m_line})
        if (g)
            g->setVisible(visible);
}

double CurveView::valueAt(const RunSeries& series, const ChartOptions& options, double at) const {
    const std::span<const double> x = series.x(options.xAxis);
    if (x.empty())
        return std::nan("");
    auto it = std::lower_bound(x.begin(), x.end(), at);
    std::size_t i = std::size_t(it - x.begin());
    if (i == x.size() || (i > 0 && at - x[i - 1] < x[i] - at))
        i = i == 0 ? 0 : i - 1;
    const bool useSmoothed = smoothed(options, m_stepTag) && i < m_smoothed.size();
    return useSmoothed ? m_smoothed[i] : series.values()[i];
}

bool CurveView::xBounds(const RunSeries& series, const ChartOptions& options, double& xMin,
                        double& xMax) {
    const std::span<const double> x = series.x(options.xAxis);
    if (x.empty())
        return false;
    xMin = std::min(xMin, x.front());
    xMax = std::max(xMax, x.back());
    return true;
}

bool CurveView::bounds(const RunSeries& series, const ChartOptions& options, double& xMin,
                       double& xMax, double& yMin, double& yMax) const {
    const std::span<const double> x = series.x(options.xAxis);
    if (x.empty())
        return false;
    xMin = std::min(xMin, x.front());
    xMax = std::max(xMax, x.back());
    series.valueRange(options.logY, yMin, yMax); // kept as points arrive: no scan per frame
    return true;
}

} // namespace nc::ui
