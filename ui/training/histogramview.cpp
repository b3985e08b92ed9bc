#include "histogramview.h"

#include "runlibrary.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {

// TensorBoard's distribution basis points, as fractions: pairs from the outside in, then the
// median.
constexpr double kBands[][2] = {{0.0, 1.0}, {0.0668, 0.9332}, {0.1587, 0.8413}, {0.3085, 0.6915}};
constexpr int kRidgeBins = 80;
constexpr int kMaxRidges = 30;

QColor faded(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

} // namespace

HistogramView::HistogramView(RunLibrary* runs, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_run(new QComboBox), m_tag(new QComboBox),
      m_style(new QComboBox), m_empty(new QLabel), m_plot(new QCustomPlot) {
    m_style->addItem(tr("Percentile bands"), int(Style::Bands));
    m_style->addItem(tr("Ridge plot"), int(Style::Ridges));
    m_tag->setMinimumContentsLength(24);
    m_tag->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Run")));
    bar->addWidget(m_run, 1);
    bar->addWidget(new QLabel(tr("Tensor")));
    bar->addWidget(m_tag, 2);
    bar->addWidget(m_style);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet("color: palette(mid);");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setPlottingHints(QCP::phFastPolylines);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_empty);
    layout->addWidget(m_plot, 1);

    connect(m_run, &QComboBox::currentIndexChanged, this, [this] {
        fillTags();
        m_dirty = true;
    });
    connect(m_tag, &QComboBox::currentIndexChanged, this, [this] { m_dirty = true; });
    connect(m_style, &QComboBox::currentIndexChanged, this, [this] { m_dirty = true; });
    connect(runs, &RunLibrary::runsChanged, this, &HistogramView::fillRuns);
    connect(runs, &RunLibrary::overlayChanged, this, &HistogramView::fillRuns);
    connect(runs, &RunLibrary::runUpdated, this, [this](const QString& folder) {
        if (folder == m_run->currentData().toString()) {
            if (m_tag->count() == 0)
                fillTags();
            m_dirty = true;
        }
    });
    auto* timer = new QTimer(this); // new epochs arrive a few times a minute at most
    connect(timer, &QTimer::timeout, this, &HistogramView::redrawIfChanged);
    timer->start(250);
    fillRuns();
}

void HistogramView::fillRuns() {
    const QString current = m_run->currentData().toString();
    const QSignalBlocker block(m_run);
    m_run->clear();
    for (const auto& run : m_runs->runs())
        if (m_runs->isOverlaid(run->folder) || run->folder == current)
            m_run->addItem(run->name, run->folder);
    const int keep = m_run->findData(current);
    m_run->setCurrentIndex(keep >= 0 ? keep : m_run->count() - 1);
    fillTags();
    m_dirty = true;
}

void HistogramView::fillTags() {
    const QString current = m_tag->currentText();
    const QSignalBlocker block(m_tag);
    m_tag->clear();
    if (const RunData* run = m_runs->find(m_run->currentData().toString()))
        for (const auto& [tag, list] : run->histograms)
            m_tag->addItem(QString::fromStdString(tag));
    const int keep = m_tag->findText(current);
    m_tag->setCurrentIndex(keep >= 0 ? keep : 0);
    m_dirty = true;
}

void HistogramView::select(const QString& folder, const QString& tag, Style style) {
    m_run->setCurrentIndex(m_run->findData(folder));
    m_tag->setCurrentIndex(m_tag->findText(tag));
    m_style->setCurrentIndex(m_style->findData(int(style)));
    draw();
}

void HistogramView::redrawIfChanged() {
    if (m_dirty && isVisible())
        draw();
}

void HistogramView::draw() {
    m_dirty = false;
    m_plot->clearGraphs();
    m_plot->clearItems();
    m_plot->yAxis->setTickLabels(true);
    m_epochsShown = 0;
    const RunData* run = m_runs->find(m_run->currentData().toString());
    const std::string tag = m_tag->currentText().toStdString();
    const bool has = run && run->histograms.contains(tag) && !run->histograms.at(tag).empty();
    m_empty->setText(m_runs->runs().empty() ? tr("No runs yet. Weights and gradients are recorded "
                                                 "at the end of every epoch.")
                                            : tr("No histograms for this choice yet: they are "
                                                 "recorded at the end of every epoch."));
    m_empty->setVisible(!has);
    if (has) {
        if (Style(m_style->currentData().toInt()) == Style::Bands)
            drawBands(*run, tag);
        else
            drawRidges(*run, tag);
    }
    m_plot->replot();
}

void HistogramView::drawBands(const RunData& run, const std::string& tag) {
    const auto& list = run.histograms.at(tag);
    QVector<double> epochs;
    for (const EpochHistogram& h : list)
        epochs << h.epoch;
    m_epochsShown = int(list.size());
    auto quantiles = [&](double q) {
        QVector<double> v;
        for (const EpochHistogram& h : list)
            v << engine::histogramQuantile(h.histogram, q);
        return v;
    };
    int alpha = 45;
    for (const auto& band : kBands) {
        QCPGraph* low = m_plot->addGraph();
        QCPGraph* high = m_plot->addGraph();
        low->setData(epochs, quantiles(band[0]), true);
        high->setData(epochs, quantiles(band[1]), true);
        low->setPen(QPen(faded(run.color, alpha + 30), 1));
        high->setPen(QPen(faded(run.color, alpha + 30), 1));
        high->setBrush(faded(run.color, alpha));
        high->setChannelFillGraph(low);
        alpha += 25;
    }
    QCPGraph* median = m_plot->addGraph();
    median->setData(epochs, quantiles(0.5), true);
    median->setPen(QPen(run.color.darker(120), 2));
    median->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    m_plot->xAxis->setLabel(tr("epoch"));
    m_plot->yAxis->setLabel(QString::fromStdString(tag));
    auto* key = new QCPItemText(m_plot);
    key->position->setType(QCPItemPosition::ptAxisRectRatio);
    key->position->setCoords(0.01, 0.02);
    key->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    key->setText(tr("bands: min–max, 7–93 %, 16–84 %, 31–69 %; line: median"));
    key->setFont(QFont(font().family(), 8));
    m_plot->rescaleAxes();
    m_plot->xAxis->scaleRange(1.05);
}

void HistogramView::drawRidges(const RunData& run, const std::string& tag) {
    const auto& all = run.histograms.at(tag);
    // At most kMaxRidges epochs, spread over the run, the last always included.
    std::vector<const EpochHistogram*> shown;
    const std::size_t step = std::max<std::size_t>(1, (all.size() + kMaxRidges - 1) / kMaxRidges);
    for (std::size_t i = (all.size() - 1) % step; i < all.size(); i += step)
        shown.push_back(&all[i]);
    m_epochsShown = int(shown.size());
    // The range of the middle 99 % of every epoch's values: a few outliers would otherwise
    // squeeze every ridge into a spike.
    double lo = engine::histogramQuantile(shown.front()->histogram, 0.005);
    double hi = engine::histogramQuantile(shown.front()->histogram, 0.995);
    for (const EpochHistogram* h : shown) {
        lo = std::min(lo, engine::histogramQuantile(h->histogram, 0.005));
        hi = std::max(hi, engine::histogramQuantile(h->histogram, 0.995));
    }
    if (!(hi > lo))
        hi = lo + 1;
    const double binWidth = (hi - lo) / kRidgeBins;
    QVector<double> centres;
    for (int b = 0; b < kRidgeBins; ++b)
        centres << lo + (b + 0.5) * binWidth;
    // Earlier epochs higher up and behind; each ridge's peak rises 1.8 rows.
    const int rows = int(shown.size());
    for (int r = 0; r < rows; ++r) {
        const EpochHistogram& h = *shown[std::size_t(r)];
        const std::vector<double> density =
            engine::histogramDensity(h.histogram, lo, hi, kRidgeBins);
        const double peak = std::max(1.0, *std::max_element(density.begin(), density.end()));
        const double base = double(rows - 1 - r);
        QVector<double> y, baseline(kRidgeBins, base);
        for (double d : density)
            y << base + 1.8 * d / peak;
        QCPGraph* floor = m_plot->addGraph();
        floor->setData(centres, baseline, true);
        floor->setPen(Qt::NoPen);
        QCPGraph* ridge = m_plot->addGraph();
        ridge->setData(centres, y, true);
        const int shade = 60 + 140 * (r + 1) / rows;
        ridge->setPen(QPen(run.color.darker(130), 1.2));
        ridge->setBrush(faded(run.color.lighter(100 + (rows - r) * 3), shade));
        ridge->setChannelFillGraph(floor);
        auto* label = new QCPItemText(m_plot);
        label->position->setCoords(lo, base + 0.25);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
        label->setText(tr("epoch %1 ").arg(h.epoch));
        label->setFont(QFont(font().family(), 7));
    }
    m_plot->xAxis->setLabel(QString::fromStdString(tag));
    m_plot->yAxis->setLabel(tr("epochs (later in front)"));
    m_plot->yAxis->setTickLabels(false);
    m_plot->xAxis->setRange(lo - (hi - lo) * 0.12, hi);
    m_plot->yAxis->setRange(-0.2, rows + 1.2);
}

} // namespace nc::ui
