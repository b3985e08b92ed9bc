#include "stepgradientchart.h"

#include "ui/training/runlibrary.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace nc::ui {

StepGradientChart::StepGradientChart(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot), m_summary(new QLabel) {
    m_plot->setMinimumHeight(180);
    m_plot->xAxis->setLabel(tr("time step"));
    m_plot->yAxis->setLabel(tr("|d loss / d input| (log)"));
    m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->legend->setVisible(true);
    m_summary->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("<b>Gradient per time step</b> (recurrent layers)")));
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_summary);
    hide();
}

void StepGradientChart::setLayers(const std::vector<engine::LayerHealth>& layers) {
    m_plot->clearGraphs();
    QStringList lines;
    double low = 0, high = 0;
    int steps = 0;
    for (const engine::LayerHealth& h : layers) {
        if (h.stepGradientNorms.empty())
            continue;
        QCPGraph* graph = m_plot->addGraph();
        graph->setName(QString::fromStdString(h.name));
        graph->setPen(QPen(RunLibrary::colorFor(m_plot->graphCount() - 1), 2));
        for (std::size_t t = 0; t < h.stepGradientNorms.size(); ++t) {
            const double v = h.stepGradientNorms[t];
            if (v <= 0) // nothing to draw on a log scale
                continue;
            graph->addData(double(t), v);
            low = low == 0 ? v : std::min(low, v);
            high = std::max(high, v);
        }
        steps = std::max(steps, int(h.stepGradientNorms.size()));
        const double first = h.stepGradientNorms.front(), last = h.stepGradientNorms.back();
        if (last > 0)
            lines << tr("%1: step 0 gets %2 of the last step's gradient")
                         .arg(QString::fromStdString(h.name))
                         .arg(QString::number(first / last, 'g', 3));
    }
    setVisible(m_plot->graphCount() > 0);
    m_summary->setText(lines.join('\n'));
    if (m_plot->graphCount() == 0)
        return;
    m_plot->xAxis->setRange(0, std::max(1, steps - 1));
    if (high > 0)
        m_plot->yAxis->setRange(low / 2, high * 2);
    m_plot->replot();
}

int StepGradientChart::curves() const {
    return m_plot->graphCount();
}

QString StepGradientChart::summary() const {
    return m_summary->text();
}

} // namespace nc::ui
