#include "tensorhistogram.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {
constexpr int kBins = 40;
}

std::vector<double> binValues(const engine::Tensor& value, int bins, double& lo, double& width) {
    double hi = -INFINITY;
    lo = INFINITY;
    for (std::int64_t i = 0; i < value.size(); ++i)
        if (std::isfinite(value[i])) {
            lo = std::min(lo, double(value[i]));
            hi = std::max(hi, double(value[i]));
        }
    std::vector<double> counts(std::size_t(bins), 0.0);
    if (!(lo <= hi)) {
        lo = 0;
        width = 1;
        return counts;
    }
    width = hi > lo ? (hi - lo) / bins : 1.0;
    for (std::int64_t i = 0; i < value.size(); ++i)
        if (std::isfinite(value[i])) {
            const int b = std::min(bins - 1, int((double(value[i]) - lo) / width));
            counts[std::size_t(b)] += 1;
        }
    return counts;
}

TensorHistogram::TensorHistogram(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot) {
    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(QColor(255, 127, 14));
    m_plot->yAxis->setLabel(tr("count"));
    m_plot->setMinimumHeight(110);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void TensorHistogram::setValue(const engine::Tensor& value) {
    double lo = 0, width = 1;
    m_counts = binValues(value, kBins, lo, width);
    QVector<double> keys(kBins), counts(kBins);
    for (int b = 0; b < kBins; ++b) {
        keys[b] = lo + (b + 0.5) * width;
        counts[b] = m_counts[std::size_t(b)];
    }
    m_bars->setWidth(width * 0.95);
    m_bars->setData(keys, counts, true);
    m_plot->xAxis->setRange(lo, lo + kBins * width);
    m_plot->yAxis->setRange(0,
                            std::max(1.0, *std::max_element(counts.begin(), counts.end())) * 1.05);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace nc::ui
