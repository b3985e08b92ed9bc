#pragma once
// A histogram of one tensor's finite values (40 bins over its range), for the probe panel.

#include "engine/tensor.h"

#include <QWidget>

class QCPBars;
class QCustomPlot;

namespace nc::ui {

class TensorHistogram : public QWidget {
    Q_OBJECT

public:
    explicit TensorHistogram(QWidget* parent = nullptr);
    void setValue(const engine::Tensor& value);
    // The counts drawn, for tests.
    const std::vector<double>& counts() const { return m_counts; }

private:
    QCustomPlot* m_plot;
    QCPBars* m_bars;
    std::vector<double> m_counts;
};

// `bins` counts of the finite values between their min and max, and the bin width; the
// largest value falls in the last bin.
std::vector<double> binValues(const engine::Tensor& value, int bins, double& lo, double& width);

} // namespace nc::ui
