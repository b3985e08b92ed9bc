#pragma once
// One edge's sequence [T, F] (a recurrent layer's hidden states, or a T x F input) as a
// heatmap: time steps across, units down, with the value under the cursor. Drawn by
// engine/vis's renderSequence.

#include "engine/tensor.h"
#include "engine/vis/sequence.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;

namespace nc::ui {

class PictureView;

class SequenceView : public QWidget {
    Q_OBJECT

public:
    explicit SequenceView(QWidget* parent = nullptr);

    // value: one sample's sequence [T, F].
    void setValue(const engine::Tensor& value);
    QImage picture() const;
    QString hoverText() const;
    // What the cell under picture pixel `p` holds, as the hover line says it.
    QString describeAt(QPoint p) const;

private:
    void redraw();
    QString summary() const;

    QComboBox* m_colormap;
    QCheckBox* m_zeroCentred;
    PictureView* m_picture;
    QLabel* m_hover;
    engine::Tensor m_value;
    vis::SequenceScale m_scale;
};

} // namespace nc::ui
