#include "sequenceview.h"

#include "matimage.h"
#include "pictureview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace nc::ui {

SequenceView::SequenceView(QWidget* parent)
    : QWidget(parent), m_colormap(new QComboBox), m_zeroCentred(new QCheckBox(tr("Zero-centred"))),
      m_picture(new PictureView), m_hover(new QLabel) {
    for (vis::Colormap map : vis::allColormaps())
        m_colormap->addItem(QString::fromUtf8(vis::colormapName(map).data()), int(map));
    // Hidden states are signed (tanh): zero in the middle of a diverging map by default.
    m_colormap->setCurrentIndex(m_colormap->findData(int(vis::Colormap::Diverging)));
    m_zeroCentred->setChecked(true);
    m_zeroCentred->setToolTip(tr("Zero at the middle of the colormap"));
    m_picture->setToolTip(tr("Time steps across, units down"));

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Colormap:")));
    controls->addWidget(m_colormap);
    controls->addWidget(m_zeroCentred);
    controls->addStretch();
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_picture);
    scroll->setAlignment(Qt::AlignCenter);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_hover);

    connect(m_colormap, &QComboBox::currentIndexChanged, this, &SequenceView::redraw);
    connect(m_zeroCentred, &QCheckBox::toggled, this, &SequenceView::redraw);
    connect(m_picture, &PictureView::hovered, this, [this](QPoint p) {
        const QString cell = describeAt(p);
        m_hover->setText(cell.isEmpty() ? summary() : cell);
    });
}

void SequenceView::setValue(const engine::Tensor& value) {
    m_value = value;
    m_scale = vis::sequenceScale(value.dim(0), value.dim(1));
    redraw();
}

void SequenceView::redraw() {
    if (m_value.empty())
        return;
    vis::MapStyle style;
    style.colormap = vis::Colormap(m_colormap->currentData().toInt());
    style.zeroCentred = m_zeroCentred->isChecked();
    m_picture->setPicture(toQImage(vis::renderSequence(m_value, style, m_scale)));
    m_hover->setText(summary());
}

QString SequenceView::summary() const {
    return tr("%1 units x %2 steps (time across)").arg(m_value.dim(1)).arg(m_value.dim(0));
}

QString SequenceView::describeAt(QPoint p) const {
    if (m_value.empty() || p.x() < 0 || p.y() < 0)
        return {};
    const std::int64_t step = p.x() / m_scale.x, unit = p.y() / m_scale.y;
    if (step >= m_value.dim(0) || unit >= m_value.dim(1))
        return {};
    return tr("step %1, unit %2: %3")
        .arg(step)
        .arg(unit)
        .arg(double(m_value[step * m_value.dim(1) + unit]), 0, 'g', 5);
}

QImage SequenceView::picture() const {
    return m_picture->picture();
}

QString SequenceView::hoverText() const {
    return m_hover->text();
}

} // namespace nc::ui
