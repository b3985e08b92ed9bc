#include "chartspanel.h"

#include "chartwidget.h"
#include "runlibrary.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>

#include <limits>
#include <set>

namespace nc::ui {

namespace {

constexpr int kFrameMs = 33; // ~30 Hz

QString tagTitle(const std::string& tag) {
    QString t = QString::fromStdString(tag);
    return t.replace('_', ' ');
}

} // namespace

ChartsPanel::ChartsPanel(RunLibrary* runs, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_chartLayout(new QVBoxLayout),
      m_frameTimer(new QTimer(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    buildToolbar(layout);
    auto* host = new QWidget;
    host->setLayout(m_chartLayout);
    m_chartLayout->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea;
    scroll->setWidget(host);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll, 1);

    addChart({tr("Loss: training (per step) and validation (per epoch)"),
              {"step/batch_loss", "epoch/val_loss"}});
    addChart({tr("Validation accuracy"), {"epoch/val_accuracy"}});

    auto resync = [this] {
        for (ChartWidget* c : m_charts)
            c->syncCurves();
    };
    connect(runs, &RunLibrary::runsChanged, this, resync);
    connect(runs, &RunLibrary::overlayChanged, this, resync);
    connect(runs, &RunLibrary::runUpdated, this, [this](const QString&) {
        for (ChartWidget* c : m_charts)
            c->markDirty();
    });
    connect(m_frameTimer, &QTimer::timeout, this, &ChartsPanel::redrawNow);
    m_frameTimer->start(kFrameMs);
}

void ChartsPanel::buildToolbar(QVBoxLayout* layout) {
    m_smoothing = new QComboBox;
    m_smoothing->addItem(tr("No smoothing"), int(SmoothingMode::None));
    m_smoothing->addItem(tr("EMA (TensorBoard)"), int(SmoothingMode::Ema));
    m_smoothing->addItem(tr("Moving average"), int(SmoothingMode::MovingAverage));
    m_smoothing->addItem(tr("Min/max envelope"), int(SmoothingMode::Envelope));
    m_smoothing->setCurrentIndex(1);
    m_weight = new QSlider(Qt::Horizontal);
    m_weight->setRange(0, 999); // weight = value / 1000, as TensorBoard's 0..0.999
    m_weight->setValue(600);
    m_weight->setMaximumWidth(140);
    m_weightLabel = new QLabel("0.600");
    m_window = new QSpinBox;
    m_window->setRange(1, 10001);
    m_window->setSingleStep(2);
    m_window->setValue(25);
    m_window->setSuffix(tr(" points"));
    m_xAxis = new QComboBox;
    m_xAxis->addItem(tr("Step"), int(XAxis::Step));
    m_xAxis->addItem(tr("Epoch"), int(XAxis::Epoch));
    m_xAxis->addItem(tr("Relative time"), int(XAxis::RelativeTime));
    m_xAxis->addItem(tr("Wall time"), int(XAxis::WallTime));
    auto toggle = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        b->setCheckable(true);
        connect(b, &QToolButton::toggled, this, &ChartsPanel::onOptionsEdited);
        return b;
    };
    m_logX = toggle(tr("log x"), tr("Logarithmic x axis"));
    m_logY = toggle(tr("log y"), tr("Logarithmic y axis"));
    m_addChart = new QToolButton;
    m_addChart->setText(tr("Add Chart"));
    m_addChart->setPopupMode(QToolButton::InstantPopup);
    auto* addMenu = new QMenu(m_addChart);
    m_addChart->setMenu(addMenu);
    connect(addMenu, &QMenu::aboutToShow, this, [this, addMenu] {
        addMenu->clear();
        const std::vector<std::string> tags = availableTags();
        if (tags.empty())
            addMenu->addAction(tr("(no run overlaid yet)"))->setEnabled(false);
        for (const std::string& tag : tags)
            addMenu->addAction(tagTitle(tag), this, [this, tag] {
                addChart({tagTitle(tag), {tag}});
            });
    });

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Smoothing")));
    bar->addWidget(m_smoothing);
    bar->addWidget(m_weight);
    bar->addWidget(m_weightLabel);
    bar->addWidget(m_window);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("x")));
    bar->addWidget(m_xAxis);
    bar->addWidget(m_logX);
    bar->addWidget(m_logY);
    bar->addStretch(1);
    bar->addWidget(m_addChart);
    layout->addLayout(bar);

    connect(m_smoothing, &QComboBox::currentIndexChanged, this, &ChartsPanel::onOptionsEdited);
    connect(m_weight, &QSlider::valueChanged, this, &ChartsPanel::onOptionsEdited);
    connect(m_window, &QSpinBox::valueChanged, this, &ChartsPanel::onOptionsEdited);
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, &ChartsPanel::onOptionsEdited);
    onOptionsEdited();
}

void ChartsPanel::onOptionsEdited() {
    ChartOptions o;
    o.smoothing = SmoothingMode(m_smoothing->currentData().toInt());
    o.emaWeight = m_weight->value() / 1000.0;
    o.window = m_window->value();
    o.xAxis = XAxis(m_xAxis->currentData().toInt());
    o.logX = m_logX->isChecked();
    o.logY = m_logY->isChecked();
    m_weightLabel->setText(QString::number(o.emaWeight, 'f', 3));
    m_weight->setVisible(o.smoothing == SmoothingMode::Ema);
    m_weightLabel->setVisible(o.smoothing == SmoothingMode::Ema);
    m_window->setVisible(o.smoothing == SmoothingMode::MovingAverage ||
                         o.smoothing == SmoothingMode::Envelope);
    m_logX->setEnabled(o.xAxis != XAxis::WallTime);
    if (o == m_options)
        return;
    m_options = o;
    for (ChartWidget* c : m_charts)
        c->optionsChanged();
}

void ChartsPanel::setOptions(const ChartOptions& o) {
    m_smoothing->setCurrentIndex(m_smoothing->findData(int(o.smoothing)));
    m_weight->setValue(int(o.emaWeight * 1000 + 0.5));
    m_window->setValue(o.window);
    m_xAxis->setCurrentIndex(m_xAxis->findData(int(o.xAxis)));
    m_logX->setChecked(o.logX);
    m_logY->setChecked(o.logY);
    onOptionsEdited();
}

ChartWidget* ChartsPanel::addChart(ChartSpec spec) {
    auto* chart = new ChartWidget(std::move(spec), m_runs, &m_options);
    m_charts.push_back(chart);
    m_chartLayout->addWidget(chart, 1);
    chart->setContextMenuPolicy(Qt::CustomContextMenu);
    chart->plot()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(
        chart->plot(), &QWidget::customContextMenuRequested, this,
        [this, chart](const QPoint& at) { showChartMenu(chart, chart->plot()->mapToGlobal(at)); });
    connect(chart, &ChartWidget::xRangeChanged, this, [this, chart](double lower, double upper) {
        if (m_linking)
            return;
        m_linking = true;
        for (ChartWidget* other : m_charts)
            if (other != chart)
                other->setXRange(lower, upper);
        m_linking = false;
    });
    chart->syncCurves();
    return chart;
}

void ChartsPanel::removeChart(ChartWidget* chart) {
    std::erase(m_charts, chart);
    chart->deleteLater();
}

void ChartsPanel::showChartMenu(ChartWidget* chart, const QPoint& global) {
    QMenu menu;
    menu.addAction(tr("Export..."), this, [this, chart] { exportChart(chart); });
    menu.addAction(tr("Fit to Data"), chart, &ChartWidget::follow);
    menu.addSeparator();
    QAction* remove =
        menu.addAction(tr("Remove Chart"), this, [this, chart] { removeChart(chart); });
    remove->setEnabled(m_charts.size() > 1);
    menu.exec(global);
}

void ChartsPanel::exportChart(ChartWidget* chart) {
    QSettings settings;
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Chart"), settings.value("charts/exportFolder").toString(),
        tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf);;CSV data (*.csv)"),
        &selected);
    if (path.isEmpty())
        return;
    settings.setValue("charts/exportFolder", QFileInfo(path).absolutePath());
    QString error;
    if (!chart->exportTo(path, &error))
        QMessageBox::warning(this, tr("Export Chart"), error);
}

int ChartsPanel::redrawNow() {
    // Following charts share the union of their x extents, so their x axes line up.
    double lower = std::numeric_limits<double>::infinity(), upper = -lower;
    for (ChartWidget* c : m_charts) {
        double l = 0, u = 0;
        if (c->isFollowing() && c->dataXRange(l, u)) {
            lower = std::min(lower, l);
            upper = std::max(upper, u);
        }
    }
    if (lower <= upper)
        for (ChartWidget* c : m_charts)
            if (c->isFollowing())
                c->setFollowedXRange(lower, upper);
    int drawn = 0;
    for (ChartWidget* c : m_charts)
        drawn += c->redraw() ? 1 : 0;
    return drawn;
}

std::vector<std::string> ChartsPanel::availableTags() const {
    std::set<std::string> tags;
    for (const auto& run : m_runs->runs())
        if (m_runs->isOverlaid(run->folder))
            for (const auto& [tag, series] : run->scalars)
                tags.insert(tag);
    return {tags.begin(), tags.end()};
}

} // namespace nc::ui
