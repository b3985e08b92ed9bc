#pragma once
// Each layer's weights and gradients over the epochs, for one run: as percentile bands
// (TensorBoard's distributions: min–max, 7–93 %, 16–84 %, 31–69 % and the median, per epoch)
// or as a ridge plot (one density curve per epoch, later epochs in front). The run and the
// tensor are chosen from the runs overlaid and the histograms they recorded.

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;

namespace nc::ui {

class RunLibrary;
struct RunData;

class HistogramView : public QWidget {
    Q_OBJECT

public:
    enum class Style { Bands, Ridges };

    explicit HistogramView(RunLibrary* runs, QWidget* parent = nullptr);
    QCustomPlot* plot() const { return m_plot; }
    void select(const QString& folder, const QString& tag, Style style);
    // Redraws if the chosen run changed (the panel's timer calls this).
    void redrawIfChanged();
    int epochsShown() const { return m_epochsShown; }

private:
    void fillRuns();
    void fillTags();
    void draw();
    void drawBands(const RunData& run, const std::string& tag);
    void drawRidges(const RunData& run, const std::string& tag);

    RunLibrary* m_runs;
    QComboBox* m_run;
    QComboBox* m_tag;
    QComboBox* m_style;
    QLabel* m_empty;
    QCustomPlot* m_plot;
    bool m_dirty = true;
    int m_epochsShown = 0;
};

} // namespace nc::ui
