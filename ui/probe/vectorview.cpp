#include "vectorview.h"

#include "matimage.h"
#include "pictureview.h"

#include "engine/vis/featuremaps.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nc::ui {

namespace {
constexpr int kTop = 5;
}

std::vector<std::pair<int, double>> topEntries(const engine::Tensor& value, int k, bool softmax) {
    const int n = int(value.size());
    std::vector<double> v(value.data(), value.data() + n);
    if (softmax && n > 0) {
        const double top = *std::max_element(v.begin(), v.end());
        double sum = 0;
        for (double& x : v)
            sum += (x = std::exp(x - top));
        for (double& x : v)
            x /= sum;
    }
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    k = std::min(k, n);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return v[std::size_t(a)] > v[std::size_t(b)]; });
    std::vector<std::pair<int, double>> top;
    for (int i = 0; i < k; ++i)
        top.emplace_back(order[std::size_t(i)], v[std::size_t(order[std::size_t(i)])]);
    return top;
}

VectorView::VectorView(QWidget* parent)
    : QWidget(parent), m_mode(new QComboBox), m_stack(new QStackedWidget), m_strip(new PictureView),
      m_plot(new QCustomPlot), m_top(new QLabel) {
    m_mode->addItems({tr("Bars"), tr("Heat strip")});
    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(QColor(31, 119, 180));
    m_bars->setWidth(0.8);
    m_plot->setMinimumHeight(140);
    m_plot->xAxis->setLabel(tr("index"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_strip);
    m_stack->addWidget(m_plot);
    m_stack->addWidget(scroll);
    m_top->setTextFormat(Qt::RichText);
    m_top->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_top->setMinimumWidth(150);

    auto* header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Show as:")));
    header->addWidget(m_mode);
    header->addStretch();
    auto* body = new QHBoxLayout;
    body->addWidget(m_stack, 1);
    body->addWidget(m_top);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addLayout(body, 1);
    connect(m_mode, &QComboBox::currentIndexChanged, m_stack, &QStackedWidget::setCurrentIndex);
}

void VectorView::setValue(const engine::Tensor& value, bool logits) {
    m_value = value;
    m_logits = logits;
    redraw();
}

void VectorView::redraw() {
    const int n = int(m_value.size());
    QVector<double> keys(n), values(n);
    for (int i = 0; i < n; ++i) {
        keys[i] = i;
        values[i] = std::isfinite(m_value[i]) ? m_value[i] : 0.0;
    }
    m_bars->setData(keys, values, true);
    m_plot->xAxis->setRange(-0.5, n - 0.5);
    bool found = false;
    QCPRange range = m_bars->getValueRange(found);
    range.expand(0.0);
    m_plot->yAxis->setRange(range.lower - 0.05 * range.size(), range.upper + 0.05 * range.size());
    m_plot->yAxis->setLabel(m_logits ? tr("logit") : tr("value"));
    m_plot->replot(QCustomPlot::rpQueuedReplot);

    vis::MapStyle style;
    style.columns = std::min(n, 64);
    style.zeroCentred = true;
    style.colormap = vis::Colormap::Diverging;
    m_strip->setPicture(toQImage(vis::renderVectorStrip(m_value, style)));

    QString text = m_logits ? tr("<b>Top %1 (softmax)</b><br>").arg(std::min(kTop, n))
                            : tr("<b>Largest %1</b><br>").arg(std::min(kTop, n));
    for (const auto& [index, v] : topEntries(m_value, kTop, m_logits))
        text += m_logits ? tr("class %1: %2 %<br>").arg(index).arg(100.0 * v, 0, 'f', 1)
                         : tr("[%1]: %2<br>").arg(index).arg(v, 0, 'g', 4);
    m_top->setText(text);
}

QString VectorView::topText() const {
    return m_top->text();
}

QImage VectorView::stripPicture() const {
    return m_strip->picture();
}

} // namespace nc::ui
