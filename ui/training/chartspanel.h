#pragma once
// The Charts panel: a toolbar for the shared chart options (smoothing with TensorBoard's
// EMA slider, a moving average or a min/max envelope; the x axis: step, epoch, relative or
// wall time; log scales) and the charts, by default training loss per step with validation
// loss per epoch, and validation accuracy. "Add Chart" offers every scalar the overlaid runs
// have (learning rate, images/s, per-layer gradient norms). Zooming or panning one chart moves
// them all. Charts are drawn from a ~30 Hz timer, only when new points or a change arrived.

#include "chartoptions.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace nc::ui {

class ChartWidget;
class RunLibrary;

class ChartsPanel : public QWidget {
    Q_OBJECT

public:
    explicit ChartsPanel(RunLibrary* runs, QWidget* parent = nullptr);

    const std::vector<ChartWidget*>& charts() const { return m_charts; }
    ChartWidget* addChart(ChartSpec spec);
    void removeChart(ChartWidget* chart);
    const ChartOptions& options() const { return m_options; }
    void setOptions(const ChartOptions& options);
    // Draws every chart that changed now (the timer does this ~30 times a second).
    int redrawNow();
    // Every scalar tag of the overlaid runs, sorted.
    std::vector<std::string> availableTags() const;

private:
    void buildToolbar(QVBoxLayout* layout);
    void onOptionsEdited();
    void showChartMenu(ChartWidget* chart, const QPoint& global);
    void exportChart(ChartWidget* chart);

    RunLibrary* m_runs;
    ChartOptions m_options;
    std::vector<ChartWidget*> m_charts;
    QVBoxLayout* m_chartLayout;
    QTimer* m_frameTimer;
    QComboBox* m_smoothing;
    QSlider* m_weight;
    QLabel* m_weightLabel;
    QSpinBox* m_window;
    QComboBox* m_xAxis;
    QToolButton* m_logX;
    QToolButton* m_logY;
    QToolButton* m_addChart;
    bool m_linking = false;
};

} // namespace nc::ui
