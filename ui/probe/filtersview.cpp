#include "filtersview.h"

#include "matimage.h"
#include "pictureview.h"

#include "ui/backgroundpool.h"
#include "ui/graphdocument.h"

#include "engine/model.h"
#include "engine/probe/probeweights.h"
#include "engine/threading.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QScrollArea>
#include <QSpinBox>
#include <QThreadPool>
#include <QVBoxLayout>

namespace nc::ui {

namespace {

bool drawsFilters(const nc::graph::Node& node) {
    return node.type == "Conv2D" || node.type == "Deconv2D" || node.type == "Dense";
}

struct Drawn {
    QImage picture;
    QString status;
};

Drawn drawFilters(const nc::graph::Graph& graph, const std::string& layer,
                  engine::SnapshotPtr weights, std::uint64_t seed, vis::FilterStyle style) {
    auto model = engine::compileWithWeights(graph, weights, seed, "the chosen weights");
    if (!model)
        return {{}, QString::fromStdString(model.message())};
    engine::Model& m = model.value();
    const nc::graph::Node* node = graph.findByName(layer);
    const engine::PlanStep* step = node ? m.stepOf(node->id) : nullptr;
    if (!step || step->params.empty())
        return {{}, QObject::tr("Pick a layer with weights")};
    const engine::Parameter& w = m.params().at(step->params[0]);
    const engine::Dims fedBy = m.values()[std::size_t(step->inputs[0])].perSample;
    const int channels = vis::filterChannels(w.value, fedBy);
    if (style.channel >= channels)
        style.channel = -1;
    auto picture = vis::renderFilters(w.value, style, fedBy);
    if (!picture)
        return {{}, QString::fromStdString(picture.message())};
    QString status = QObject::tr("%1: %2, %3 input channel(s)")
                         .arg(QString::fromStdString(w.name),
                              QString::fromStdString(engine::formatDims(w.value.dims())))
                         .arg(channels);
    return {toQImage(picture.value()), status};
}

} // namespace

FiltersView::FiltersView(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_layer(new QComboBox), m_channel(new QSpinBox),
      m_colormap(new QComboBox), m_picture(new PictureView), m_status(new QLabel) {
    m_channel->setRange(-1, 4096);
    m_channel->setSpecialValueText(tr("mean"));
    m_channel->setValue(-1);
    m_channel->setToolTip(tr("Which input channel each filter shows; 'mean' averages them (RGB "
                             "filters then show in colour)"));
    for (vis::Colormap map : vis::allColormaps())
        m_colormap->addItem(QString::fromUtf8(vis::colormapName(map).data()), int(map));
    m_status->setWordWrap(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Layer:")));
    controls->addWidget(m_layer, 1);
    controls->addWidget(new QLabel(tr("Channel:")));
    controls->addWidget(m_channel);
    controls->addWidget(new QLabel(tr("Colormap:")));
    controls->addWidget(m_colormap);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_picture);
    scroll->setAlignment(Qt::AlignCenter);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);

    connect(m_layer, &QComboBox::currentIndexChanged, this, &FiltersView::redraw);
    connect(m_channel, &QSpinBox::valueChanged, this, &FiltersView::redraw);
    connect(m_colormap, &QComboBox::currentIndexChanged, this, &FiltersView::redraw);
    connect(m_document, &GraphDocument::graphChanged, this, [this](unsigned mask) {
        using namespace nc::graph;
        if (!(mask & ~NodeMoved))
            return;
        // The list names the layers of some types: only adding, removing or renaming a node
        // changes it (refilling it looks at every node).
        if (mask & (NodeAdded | NodeRemoved | NodeRenamed))
            refillLayers();
        redraw();
    });
    connect(m_document, &GraphDocument::graphReset, this, [this] {
        refillLayers();
        redraw();
    });
    refillLayers();
    redraw();
}

void FiltersView::refillLayers() {
    const QString current = m_layer->currentText();
    const QSignalBlocker block(m_layer);
    m_layer->clear();
    const nc::graph::Graph& graph = m_document->graph();
    for (nc::graph::NodeId id : graph.nodeIds())
        if (const nc::graph::Node* node = graph.node(id); drawsFilters(*node))
            m_layer->addItem(QString::fromStdString(node->name));
    const int keep = m_layer->findText(current);
    m_layer->setCurrentIndex(keep >= 0 ? keep : 0);
}

void FiltersView::setWeights(engine::SnapshotPtr weights, std::uint64_t seed,
                             const QString& label) {
    m_weights = std::move(weights);
    m_seed = seed;
    m_label = label;
    redraw();
}

bool FiltersView::selectLayer(const QString& name) {
    const int i = m_layer->findText(name);
    if (i >= 0)
        m_layer->setCurrentIndex(i);
    return i >= 0;
}

QString FiltersView::layer() const {
    return m_layer->currentText();
}

void FiltersView::setChannel(int channel) {
    m_channel->setValue(channel);
}

vis::FilterStyle FiltersView::style() const {
    vis::FilterStyle s;
    s.channel = m_channel->value();
    s.map.colormap = vis::Colormap(m_colormap->currentData().toInt());
    return s;
}

QImage FiltersView::picture() const {
    return m_picture->picture();
}

QString FiltersView::statusText() const {
    return m_status->text();
}

void FiltersView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_stale)
        redraw();
}

void FiltersView::redraw() {
    m_stale = !isVisible();
    if (m_stale)
        return;
    if (m_layer->count() == 0) {
        m_status->setText(tr("The graph has no Conv2D, Deconv2D or Dense layer."));
        m_picture->setPicture({});
        return;
    }
    runLatest(
        this, &FiltersView::m_generation,
        [graph = m_document->graph(), layer = m_layer->currentText().toStdString(),
         weights = m_weights, seed = m_seed,
         style = style()] { return drawFilters(graph, layer, weights, seed, style); },
        [](FiltersView& view, const Drawn& drawn) {
            view.m_picture->setPicture(drawn.picture);
            view.m_status->setText(drawn.picture.isNull() || view.m_label.isEmpty()
                                       ? drawn.status
                                       : drawn.status + " · " + view.m_label);
            ++view.m_done;
            emit view.drawn();
        });
}

} // namespace nc::ui
