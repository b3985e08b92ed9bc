#include "sequenceview.h"

#include "matimage.h"
#include "pictureview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace nc::ui {

SequenceView::SequenceView(QWidget* parent)
    : QWidget(parent), m_show(new QComboBox), m_colormap(new QComboBox),
      m_zeroCentred(new QCheckBox(tr("Zero-centred"))), m_picture(new PictureView),
      m_hover(new QLabel) {
    for (vis::Colormap map : vis::allColormaps())
        m_colormap->addItem(QString::fromUtf8(vis::colormapName(map).data()), int(map));
    // Hidden states are signed (tanh): zero in the middle of a diverging map by default.
    m_colormap->setCurrentIndex(m_colormap->findData(int(vis::Colormap::Diverging)));
    m_zeroCentred->setChecked(true);
    m_zeroCentred->setToolTip(tr("Zero at the middle of the colormap"));
    m_picture->setToolTip(tr("Time steps across, units down"));

    m_show->setToolTip(tr("A recurrent layer's states and gates over time, for this input"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show:")));
    controls->addWidget(m_show);
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

    connect(m_show, &QComboBox::currentIndexChanged, this, &SequenceView::choose);
    connect(m_colormap, &QComboBox::currentIndexChanged, this, &SequenceView::redraw);
    connect(m_zeroCentred, &QCheckBox::toggled, this, &SequenceView::redraw);
    connect(m_picture, &PictureView::hovered, this, [this](QPoint p) {
        const QString cell = describeAt(p);
        m_hover->setText(cell.isEmpty() ? summary() : cell);
    });
}

void SequenceView::setValue(const engine::Tensor& value, const engine::RecurrentTrace* trace) {
    const QString before = m_show->currentText();
    m_choices.clear();
    m_signed.clear();
    QSignalBlocker quiet(m_show);
    m_show->clear();
    if (value.rank() == 2) {
        m_show->addItem(tr("output"));
        m_choices.push_back(value);
        m_signed.push_back(true);
    }
    if (trace)
        for (const auto& [row, history] : trace->rows) {
            if (row == "h" && value.rank() == 2 && !trace->bidirectional)
                continue; // the output itself
            QString name = QString::fromStdString(engine::describeTraceRow(row));
            if (trace->bidirectional)
                name += tr(" (forward direction)");
            m_show->addItem(name);
            m_choices.push_back(history);
            // Sigmoid gates lie in (0, 1); states and tanh candidates around zero.
            m_signed.push_back(row == "h" || row == "c" || row == "g" || row == "n");
        }
    m_show->setEnabled(m_choices.size() > 1);
    const int keep = m_show->findText(before); // the same view for the next input
    choose(keep >= 0 ? keep : 0);
}

QStringList SequenceView::shownChoices() const {
    QStringList names;
    for (int i = 0; i < m_show->count(); ++i)
        names << m_show->itemText(i);
    return names;
}

void SequenceView::showChoice(int index) {
    m_show->setCurrentIndex(index);
}

void SequenceView::choose(int index) {
    if (index < 0 || index >= int(m_choices.size()))
        return;
    if (m_show->currentIndex() != index) {
        QSignalBlocker quiet(m_show);
        m_show->setCurrentIndex(index);
    }
    if (m_choices.size() > 1) { // switching between states and gates: each its own scale
        const bool zeroCentred = m_signed[std::size_t(index)];
        QSignalBlocker quietMap(m_colormap), quietZero(m_zeroCentred);
        m_colormap->setCurrentIndex(m_colormap->findData(
            int(zeroCentred ? vis::Colormap::Diverging : vis::Colormap::Viridis)));
        m_zeroCentred->setChecked(zeroCentred);
    }
    m_value = m_choices[std::size_t(index)];
    m_scale = vis::sequenceScale(m_value.dim(0), m_value.dim(1));
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
