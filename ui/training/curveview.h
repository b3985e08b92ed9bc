#pragma once
// One curve of a chart (a run's scalar) as QCustomPlot graphs: the raw points (faint), the
// smoothed line and, for the envelope, its band. The smoothing is computed on every point
// and cached until the series grows or the options change; a redraw then hands the graphs
// only the level of detail their pixels show (levelofdetail.h).

#include "chartoptions.h"
#include "runseries.h"

#include <QColor>
#include <QString>

#include <vector>

class QCustomPlot;
class QCPGraph;

namespace nc::ui {

class EnvelopeBand;

class CurveView {
public:
    // Layers of the plot (made by the chart) that the bands and the raw curves go on.
    static constexpr const char* kBandLayer = "bands";
    static constexpr const char* kRawLayer = "raw";

    CurveView(QCustomPlot* plot, QString name, QColor color, bool stepTag, bool dashed);
    ~CurveView();
    CurveView(const CurveView&) = delete;
    CurveView& operator=(const CurveView&) = delete;

    // Recomputes what changed and sets the graphs' data for x in [from, to] over `pixels`.
    void update(const RunSeries& series, const ChartOptions& options, double from, double to,
                int pixels);
    void setVisible(bool visible);
    bool isVisible() const { return m_visible; }
    QCPGraph* legendGraph() const { return m_line; }
    const QString& name() const { return m_name; }
    // The value shown at `x` (smoothed where smoothing applies), nearest point; NaN if none.
    double valueAt(const RunSeries& series, const ChartOptions& options, double x) const;
    // The x range of the series under `options`, from its ends (cheap).
    static bool xBounds(const RunSeries& series, const ChartOptions& options, double& xMin,
                        double& xMax);
    // The x range and value range of the series under `options` (for auto-scaling).
    bool bounds(const RunSeries& series, const ChartOptions& options, double& xMin, double& xMax,
                double& yMin, double& yMax) const;

private:
    void smooth(const RunSeries& series, const ChartOptions& options);

    QCustomPlot* m_plot;
    QString m_name;
    bool m_stepTag;
    QCPGraph* m_raw = nullptr;      // step tags only
    QCPGraph* m_line;               // smoothed (step tags) or the epoch values
    EnvelopeBand* m_band = nullptr; // the min/max envelope, step tags only
    bool m_visible = true;
    // The cache: the smoothed values of the first m_smoothedPoints points under m_options.
    std::size_t m_smoothedPoints = 0;
    ChartOptions m_smoothedWith;
    std::vector<double> m_smoothed, m_envelopeLow, m_envelopeHigh;
};

} // namespace nc::ui
