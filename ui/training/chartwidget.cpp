#include "chartwidget.h"

#include "chartexport.h"
#include "curveview.h"
#include "runlibrary.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace nc::ui {

namespace {

constexpr int kAntialiasedPointsLimit = 20000;

QString tagLabel(const std::string& tag) {
    // "epoch/val_loss" -> "val loss", "gradient_norm/conv1.weight" -> "gradient norm conv1.weight"
    QString t = QString::fromStdString(tag);
    if (t.startsWith("step/batch_"))
        t = "train " + t.mid(11) + " (batch)";
    else if (t.startsWith("step/") || t.startsWith("epoch/"))
        t = t.section('/', 1);
    return t.replace('_', ' ').replace('/', ' ');
}

QString axisLabel(XAxis axis) {
    switch (axis) {
    case XAxis::Step:
        return QObject::tr("step");
    case XAxis::Epoch:
        return QObject::tr("epoch");
    case XAxis::RelativeTime:
        return QObject::tr("time since the run began (s)");
    case XAxis::WallTime:
        return QObject::tr("wall time");
    }
    return {};
}

} // namespace

ChartWidget::ChartWidget(ChartSpec spec, const RunLibrary* runs, const ChartOptions* options,
                         QWidget* parent)
    : QWidget(parent), m_spec(std::move(spec)), m_runs(runs), m_options(options),
      m_plot(new QCustomPlot) {
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setNoAntialiasingOnDrag(true);
    // Long curves: plain polylines (QPainter's fast path); antialiasing is switched off for
    // the curves while many points are drawn (redraw()).
    m_plot->setPlottingHints(QCP::phFastPolylines | QCP::phImmediateRefresh);
    m_plot->addLayer(CurveView::kBandLayer, m_plot->layer("main"), QCustomPlot::limBelow);
    m_plot->addLayer(CurveView::kRawLayer, m_plot->layer("main"), QCustomPlot::limBelow);
    m_plot->plotLayout()->insertRow(0);
    auto* title = new QCPTextElement(m_plot, m_spec.title, QFont(font().family(), 10, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, title);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->legend->setSelectableParts(QCPLegend::spItems);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_hoverLine = new QCPItemStraightLine(m_plot);
    m_hoverLine->setPen(QPen(QColor(0, 0, 0, 90), 1, Qt::DotLine));
    m_hoverLine->setVisible(false);
    m_hoverText = new QCPItemText(m_plot);
    m_hoverText->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_hoverText->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_hoverText->position->setCoords(0.01, 0.02);
    m_hoverText->setTextAlignment(Qt::AlignLeft);
    m_hoverText->setPadding(QMargins(5, 3, 5, 3));
    m_hoverText->setBrush(QColor(255, 255, 255, 225));
    m_hoverText->setPen(QPen(QColor(0, 0, 0, 60)));
    m_hoverText->setFont(QFont(font().family(), 8));
    m_hoverText->setVisible(false);
    m_plot->setMinimumHeight(180);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange& range) {
                m_dirty = true; // a new level of detail for the new range
                if (!m_settingRange)
                    emit xRangeChanged(range.lower, range.upper);
            });
    connect(m_plot, &QCustomPlot::mousePress, this, [this] { m_following = false; });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_following = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { follow(); });
    connect(m_plot, &QCustomPlot::mouseMove, this, &ChartWidget::onMouseMove);
    connect(m_plot, &QCustomPlot::legendClick, this,
            [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
                auto* entry = qobject_cast<QCPPlottableLegendItem*>(item);
                if (!entry)
                    return;
                for (auto& [key, curve] : m_curves)
                    if (curve->legendGraph() == entry->plottable()) {
                        curve->setVisible(!curve->isVisible());
                        entry->setTextColor(curve->isVisible() ? Qt::black : Qt::gray);
                        m_dirty = true;
                    }
                redraw();
            });
    updateAxes();
}

ChartWidget::~ChartWidget() = default;

const RunSeries* ChartWidget::seriesOf(const CurveKey& key) const {
    const RunData* run = m_runs->find(key.first);
    if (!run)
        return nullptr;
    auto it = run->scalars.find(key.second);
    return it == run->scalars.end() ? nullptr : &it->second;
}

void ChartWidget::syncCurves() {
    std::map<CurveKey, std::unique_ptr<CurveView>> kept;
    for (const auto& run : m_runs->runs()) {
        if (!m_runs->isOverlaid(run->folder))
            continue;
        for (std::size_t t = 0; t < m_spec.tags.size(); ++t) {
            const std::string& tag = m_spec.tags[t];
            CurveKey key{run->folder, tag};
            auto existing = m_curves.find(key);
            const QString name =
                m_spec.tags.size() > 1 ? run->name + " · " + tagLabel(tag) : run->name;
            if (existing != m_curves.end() && existing->second->name() == name) {
                kept[key] = std::move(existing->second);
                continue;
            }
            if (!run->scalars.contains(tag) && !run->live)
                continue; // a finished run without this scalar
            kept[key] =
                std::make_unique<CurveView>(m_plot, name, run->color, isStepTag(tag), t > 0);
        }
    }
    m_curves.clear(); // removes the graphs of runs no longer overlaid
    m_curves = std::move(kept);
    m_dirty = true;
}

void ChartWidget::optionsChanged() {
    updateAxes();
    m_dirty = true;
    if (m_following || m_axisShown != m_options->xAxis)
        m_following = true;
    m_axisShown = m_options->xAxis;
}

void ChartWidget::updateAxes() {
    m_plot->xAxis->setLabel(axisLabel(m_options->xAxis));
    if (m_options->xAxis == XAxis::WallTime) {
        auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
        ticker->setDateTimeFormat("hh:mm:ss\nd MMM");
        m_plot->xAxis->setTicker(ticker);
        m_plot->xAxis->setScaleType(QCPAxis::stLinear);
    } else if (m_options->logX) {
        m_plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    } else {
        m_plot->xAxis->setScaleType(QCPAxis::stLinear);
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    if (m_options->logY) {
        m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    } else {
        m_plot->yAxis->setScaleType(QCPAxis::stLinear);
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
}

void ChartWidget::applyAutoRange() {
    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin;
    double yMin = xMin, yMax = -xMin;
    bool any = false;
    for (const auto& [key, curve] : m_curves)
        if (const RunSeries* s = seriesOf(key); s && curve->isVisible())
            any = curve->bounds(*s, *m_options, xMin, xMax, yMin, yMax) || any;
    if (!any || !std::isfinite(yMin))
        return;
    if (m_options->logX && m_options->xAxis != XAxis::WallTime)
        xMin = std::max(xMin, 1e-3);
    if (xMax <= xMin)
        xMax = xMin + 1;
    const double pad = (yMax - yMin) * 0.05;
    if (m_options->logY)
        m_plot->yAxis->setRange(yMin / 1.2, yMax * 1.2);
    else
        m_plot->yAxis->setRange(yMin - pad - (pad == 0), yMax + pad + (pad == 0));
    if (m_hasFollowedX) {
        xMin = std::min(xMin, m_followedLower);
        xMax = std::max(xMax, m_followedUpper);
    }
    m_settingRange = true;
    m_plot->xAxis->setRange(xMin, xMax);
    m_settingRange = false;
}

bool ChartWidget::dataXRange(double& lower, double& upper) const {
    lower = std::numeric_limits<double>::infinity();
    upper = -lower;
    bool any = false;
    for (const auto& [key, curve] : m_curves)
        if (const RunSeries* s = seriesOf(key); s && curve->isVisible())
            any = CurveView::xBounds(*s, *m_options, lower, upper) || any;
    return any;
}

void ChartWidget::setFollowedXRange(double lower, double upper) {
    if (m_hasFollowedX && lower == m_followedLower && upper == m_followedUpper)
        return;
    m_hasFollowedX = true;
    m_followedLower = lower;
    m_followedUpper = upper;
    m_dirty = true;
}

bool ChartWidget::redraw() {
    if (!m_dirty || !isVisible())
        return false;
    m_dirty = false;
    if (m_following)
        applyAutoRange();
    const QCPRange range = m_plot->xAxis->range();
    const int pixels = std::max(50, m_plot->axisRect()->width());
    for (const auto& [key, curve] : m_curves)
        if (const RunSeries* s = seriesOf(key))
            curve->update(*s, *m_options, range.lower, range.upper, pixels);
    // Antialiased wide polylines cost the raster engine dearly; dense charts go without.
    const bool dense = visiblePoints() > kAntialiasedPointsLimit;
    m_plot->setNotAntialiasedElements(dense ? QCP::aePlottables | QCP::aeFills : QCP::aeNone);
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
    return true;
}

int ChartWidget::visiblePoints() const {
    int points = 0;
    for (int i = 0; i < m_plot->graphCount(); ++i)
        if (m_plot->graph(i)->visible())
            points += m_plot->graph(i)->dataCount();
    return points;
}

void ChartWidget::setXRange(double lower, double upper) {
    m_settingRange = true;
    m_following = false;
    m_plot->xAxis->setRange(lower, upper);
    m_settingRange = false;
    m_dirty = true;
}

void ChartWidget::follow() {
    m_following = true;
    m_dirty = true;
    redraw();
    const QCPRange range = m_plot->xAxis->range();
    emit xRangeChanged(range.lower, range.upper);
}

QString ChartWidget::valuesAt(double x) const {
    QStringList lines;
    for (const auto& [key, curve] : m_curves) {
        const RunSeries* s = seriesOf(key);
        if (!s || !curve->isVisible())
            continue;
        const double v = curve->valueAt(*s, *m_options, x);
        if (std::isfinite(v))
            lines << QString("%1: %2").arg(curve->name()).arg(v, 0, 'g', 5);
    }
    return lines.join('\n');
}

void ChartWidget::onMouseMove(QMouseEvent* event) {
    const double x = m_plot->xAxis->pixelToCoord(event->position().x());
    const bool inside = m_plot->axisRect()->rect().contains(event->position().toPoint());
    const QString text = inside ? valuesAt(x) : QString();
    m_hoverLine->setVisible(!text.isEmpty());
    m_hoverText->setVisible(!text.isEmpty());
    if (!text.isEmpty()) {
        m_hoverLine->point1->setCoords(x, 0);
        m_hoverLine->point2->setCoords(x, 1);
        const QString where =
            m_options->xAxis == XAxis::WallTime
                ? QDateTime::fromMSecsSinceEpoch(qint64(x * 1000)).toString("hh:mm:ss")
                : QString::number(x, 'g', 6);
        m_hoverText->setText(axisLabel(m_options->xAxis) + " " + where + "\n" + text);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool ChartWidget::exportTo(const QString& path, QString* error) const {
    if (QFileInfo(path).suffix().toLower() != "csv")
        return exportChartPicture(m_plot, path, error);
    QByteArray csv = "run,folder,tag,step,epoch,wall_time,value\n";
    for (const auto& [key, curve] : m_curves) {
        const RunSeries* s = seriesOf(key);
        if (!s)
            continue;
        QString name = curve->name().section(" · ", 0, 0);
        name.replace('"', "\"\"");
        QString folder = key.first;
        folder.replace('"', "\"\"");
        const auto step = s->x(XAxis::Step), epoch = s->x(XAxis::Epoch),
                   wall = s->x(XAxis::WallTime);
        for (std::size_t i = 0; i < s->size(); ++i)
            csv += QString("\"%1\",\"%2\",%3,%4,%5,%6,%7\n")
                       .arg(name, folder, QString::fromStdString(key.second))
                       .arg(step[i], 0, 'g', 12)
                       .arg(epoch[i], 0, 'g', 8)
                       .arg(wall[i], 0, 'f', 3)
                       .arg(s->values()[i], 0, 'g', 9)
                       .toUtf8();
    }
    return writeTextFile(path, csv, error);
}

} // namespace nc::ui
