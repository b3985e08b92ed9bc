#include "featuremapview.h"

#include "matimage.h"
#include "pictureview.h"

#include "engine/vis/featuremaps.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>

namespace nc::ui {

FeatureMapView::FeatureMapView(QWidget* parent)
    : QWidget(parent), m_colormap(new QComboBox), m_shared(new QCheckBox(tr("Shared scale"))),
      m_zeroCentred(new QCheckBox(tr("Zero-centred"))), m_channel(new QSlider(Qt::Horizontal)),
      m_channelLabel(new QLabel), m_grid(new PictureView), m_map(new PictureView),
      m_hover(new QLabel) {
    for (vis::Colormap map : vis::allColormaps())
        m_colormap->addItem(QString::fromUtf8(vis::colormapName(map).data()), int(map));
    m_colormap->setCurrentIndex(int(vis::Colormap::Viridis));
    m_shared->setToolTip(tr("One range for every map, so their strengths compare; otherwise "
                            "each map is stretched over its own range"));
    m_zeroCentred->setToolTip(tr("Zero at the middle of the colormap (pair with 'diverging')"));
    m_grid->setToolTip(tr("Click a map to enlarge it"));
    m_hover->setMinimumWidth(160);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Colormap:")));
    controls->addWidget(m_colormap);
    controls->addWidget(m_shared);
    controls->addWidget(m_zeroCentred);
    controls->addStretch();
    auto* channelRow = new QHBoxLayout;
    channelRow->addWidget(new QLabel(tr("Map:")));
    channelRow->addWidget(m_channel, 1);
    channelRow->addWidget(m_channelLabel);

    auto* scroll = new QScrollArea;
    scroll->setWidget(m_grid);
    scroll->setAlignment(Qt::AlignCenter);
    auto* enlarged = new QVBoxLayout;
    enlarged->addWidget(m_map, 0, Qt::AlignHCenter);
    enlarged->addWidget(m_hover);
    enlarged->addStretch();
    auto* body = new QHBoxLayout;
    body->addWidget(scroll, 1);
    body->addLayout(enlarged);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(channelRow);
    layout->addLayout(body, 1);

    auto restyle = [this] {
        redraw();
        emit styleChanged();
    };
    connect(m_colormap, &QComboBox::currentIndexChanged, this, restyle);
    connect(m_shared, &QCheckBox::toggled, this, restyle);
    connect(m_zeroCentred, &QCheckBox::toggled, this, restyle);
    connect(m_channel, &QSlider::valueChanged, this, &FeatureMapView::redraw);
    connect(m_grid, &PictureView::clicked, this, [this](QPoint p) {
        const int map = vis::mapAtPixel(vis::mapShapeOf(m_value), style(), p.x(), p.y());
        if (map >= 0)
            m_channel->setValue(map);
    });
    connect(m_map, &PictureView::hovered, this, &FeatureMapView::showValueAt);
}

vis::MapStyle FeatureMapView::style() const {
    vis::MapStyle s;
    s.colormap = vis::Colormap(m_colormap->currentData().toInt());
    s.sharedScale = m_shared->isChecked();
    s.zeroCentred = m_zeroCentred->isChecked();
    return s;
}

void FeatureMapView::setStyle(const vis::MapStyle& style) {
    const QSignalBlocker a(m_colormap), b(m_shared), c(m_zeroCentred);
    m_colormap->setCurrentIndex(m_colormap->findData(int(style.colormap)));
    m_shared->setChecked(style.sharedScale);
    m_zeroCentred->setChecked(style.zeroCentred);
    redraw();
}

int FeatureMapView::channel() const {
    return m_channel->value();
}

void FeatureMapView::setChannel(int channel) {
    m_channel->setValue(channel);
}

void FeatureMapView::setValue(const engine::Tensor& value) {
    m_value = value;
    const vis::MapShape shape = vis::mapShapeOf(value);
    const QSignalBlocker block(m_channel);
    m_channel->setRange(0, std::max(shape.channels - 1, 0));
    redraw();
}

void FeatureMapView::redraw() {
    if (m_value.empty())
        return;
    const vis::MapShape shape = vis::mapShapeOf(m_value);
    const vis::MapStyle s = style();
    m_grid->setPicture(toQImage(vis::renderFeatureMaps(m_value, s)));
    vis::MapStyle big = s;
    m_mapScale = std::clamp(192 / std::max(shape.height, shape.width), 1, 32);
    big.scale = m_mapScale;
    m_map->setPicture(toQImage(vis::renderOneMap(m_value, m_channel->value(), big)));
    m_channelLabel->setText(tr("%1 of %2").arg(m_channel->value() + 1).arg(shape.channels));
    m_hover->setText(tr("%1 x %2").arg(shape.height).arg(shape.width));
}

void FeatureMapView::showValueAt(QPoint p) {
    const vis::MapShape shape = vis::mapShapeOf(m_value);
    if (p.x() < 0 || m_value.empty()) {
        m_hover->setText(tr("%1 x %2").arg(shape.height).arg(shape.width));
        return;
    }
    const int row = p.y() / m_mapScale, column = p.x() / m_mapScale;
    if (row >= shape.height || column >= shape.width)
        return;
    const std::int64_t at =
        (std::int64_t(m_channel->value()) * shape.height + row) * shape.width + column;
    m_hover->setText(
        tr("row %1, col %2: %3").arg(row).arg(column).arg(double(m_value[at]), 0, 'g', 5));
}

QImage FeatureMapView::gridPicture() const {
    return m_grid->picture();
}

QImage FeatureMapView::mapPicture() const {
    return m_map->picture();
}

QString FeatureMapView::hoverText() const {
    return m_hover->text();
}

} // namespace nc::ui
