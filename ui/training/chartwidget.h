#pragma once
// One chart of the Charts panel: the overlaid runs' curves for the chart's tags, drawn with
// the shared options. It follows new points (auto-range) until the user zooms or pans (wheel,
// drag); a double-click follows again. Hovering shows every curve's value at that x; clicking
// a legend entry hides or shows its curve. Drawing happens in redraw(), which the panel calls
// from its ~30 Hz timer, and only when something changed.

#include "chartoptions.h"

#include <QWidget>

#include <map>
#include <memory>
#include <utility>

class QCustomPlot;
class QCPItemStraightLine;
class QCPItemText;
struct QCPRange;

namespace nc::ui {

class CurveView;
class RunLibrary;

class ChartWidget : public QWidget {
    Q_OBJECT

public:
    ChartWidget(ChartSpec spec, const RunLibrary* runs, const ChartOptions* options,
                QWidget* parent = nullptr);
    ~ChartWidget() override;

    const ChartSpec& spec() const { return m_spec; }
    QCustomPlot* plot() const { return m_plot; }
    // Creates and removes curves for the runs now overlaid; marks the chart for a redraw.
    void syncCurves();
    void markDirty() { m_dirty = true; }
    void optionsChanged(); // axis type, scales, smoothing
    // Draws if anything changed since the last call; returns whether it drew.
    bool redraw();
    // From a linked chart: the same x range, without echoing it back.
    void setXRange(double lower, double upper);
    void follow(); // back to auto-range
    bool isFollowing() const { return m_following; }
    // The x extent of the visible curves' data (false when there is none).
    bool dataXRange(double& lower, double& upper) const;
    // While following: the x range every following chart shares (the panel's union), so
    // the charts line up; each still fits its own y range.
    void setFollowedXRange(double lower, double upper);
    int curveCount() const { return int(m_curves.size()); }
    int visiblePoints() const; // the points handed to the plot at the last redraw
    // The hover line: every visible curve's value at x, as the tooltip shows it.
    QString valuesAt(double x) const;
    // PNG, SVG or PDF of the chart, or CSV of every point of its curves, by the suffix.
    bool exportTo(const QString& path, QString* error) const;

signals:
    void xRangeChanged(double lower, double upper);
    void closeRequested();

private:
    using CurveKey = std::pair<QString, std::string>; // run folder, tag
    void updateAxes();
    void applyAutoRange();
    void onMouseMove(QMouseEvent* event);
    const class RunSeries* seriesOf(const CurveKey& key) const;

    ChartSpec m_spec;
    const RunLibrary* m_runs;
    const ChartOptions* m_options;
    QCustomPlot* m_plot;
    QCPItemStraightLine* m_hoverLine;
    QCPItemText* m_hoverText;
    std::map<CurveKey, std::unique_ptr<CurveView>> m_curves;
    bool m_dirty = true;
    bool m_following = true;
    bool m_settingRange = false;
    bool m_hasFollowedX = false;
    double m_followedLower = 0, m_followedUpper = 1;
    XAxis m_axisShown = XAxis::Step;
};

} // namespace nc::ui
