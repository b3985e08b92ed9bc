#include "layerhealthview.h"

#include "stepgradientchart.h"

#include "ui/backgroundpool.h"
#include "ui/graphdocument.h"

#include "engine/backendlist.h"
#include "engine/probe/probeweights.h"
#include "engine/threading.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include <numeric>

namespace nc::ui {

namespace {

enum Column { Layer, Units, Dead, GradientNorm, Columns };

struct Outcome {
    std::vector<engine::LayerHealth> layers;
    QString status;
};

Outcome measure(const nc::graph::Graph& graph, const engine::Dataset& data,
                const engine::SnapshotPtr& weights, std::uint64_t seed, const QString& label) {
    auto model = engine::compileWithWeights(graph, weights, seed, label.toStdString());
    if (!model)
        return {{}, QString::fromStdString(model.message())};
    const double split = graph.training() ? graph.training()->valSplit : 0.2;
    const engine::Dataset validation = split > 0 ? engine::splitTail(data, split).second : data;
    const std::int64_t n = std::min<std::int64_t>(LayerHealthView::kSamples, validation.size());
    if (n == 0)
        return {{}, QObject::tr("No validation samples.")};
    std::vector<std::int64_t> indices(static_cast<std::size_t>(n));
    std::iota(indices.begin(), indices.end(), 0);
    engine::Tensor x, y;
    validation.gather(indices.data(), n, x, y);
    auto backend = engine::createBackend("cpu");
    auto layers = engine::layerHealth(model.value(), *backend.value(), x, y);
    if (!layers)
        return {{}, QString::fromStdString(layers.message())};
    return {std::move(layers).value(),
            QObject::tr("%1, on the first %2 validation samples (eval mode)").arg(label).arg(n)};
}

} // namespace

LayerHealthView::LayerHealthView(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_table(new QTableWidget), m_status(new QLabel),
      m_steps(new StepGradientChart) {
    m_table->setColumnCount(Columns);
    m_table->setHorizontalHeaderLabels(
        {tr("Layer"), tr("Units"), tr("Dead ReLU units"), tr("Gradient norm (weight)")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_status->setWordWrap(true);
    m_status->setText(tr("Waiting for the data set..."));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_steps, 1);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row) {
        if (row >= 0 && row < int(m_layers.size()))
            emit nodeChosen(m_layers[std::size_t(row)].node);
    });
}

void LayerHealthView::setData(std::shared_ptr<const engine::Dataset> dataset) {
    m_data = std::move(dataset);
}

void LayerHealthView::refresh(engine::SnapshotPtr weights, std::uint64_t seed,
                              const QString& label) {
    if (!m_data)
        return;
    runLatest(
        this, &LayerHealthView::m_generation,
        [weights, seed, label, graph = m_document->graph(), dataset = m_data] {
            return measure(graph, *dataset, weights, seed, label);
        },
        [](LayerHealthView& view, const Outcome& outcome) {
            ++view.m_done;
            view.m_layers = outcome.layers;
            view.m_status->setText(outcome.status);
            view.present();
        });
}

QString LayerHealthView::statusText() const {
    return m_status->text();
}

void LayerHealthView::present() {
    m_table->setRowCount(int(m_layers.size()));
    for (int row = 0; row < int(m_layers.size()); ++row) {
        const engine::LayerHealth& h = m_layers[std::size_t(row)];
        m_table->setItem(row, Layer, new QTableWidgetItem(QString::fromStdString(h.name)));
        m_table->setItem(row, Units,
                         new QTableWidgetItem(h.units > 0 ? QString::number(h.units) : QString()));
        auto* dead = new QTableWidgetItem(
            h.deadShare ? QString::number(100.0 * *h.deadShare, 'f', 1) + " %" : QString());
        if (h.deadShare && *h.deadShare >= 0.5)
            dead->setForeground(QColor(192, 57, 43)); // half or more never fire
        m_table->setItem(row, Dead, dead);
        m_table->setItem(row, GradientNorm,
                         new QTableWidgetItem(h.gradientNorm
                                                  ? QString::number(*h.gradientNorm, 'g', 4)
                                                  : QString()));
    }
    m_steps->setLayers(m_layers);
}

} // namespace nc::ui
