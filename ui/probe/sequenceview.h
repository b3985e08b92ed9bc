#pragma once
// One edge's sequence [T, F] (a recurrent layer's hidden states, or a T x F input) as a
// heatmap: time steps across, units down, with the value under the cursor. Drawn by
// engine/vis's renderSequence.

#include "engine/probe/recurrenttrace.h"
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

    // value: one sample's sequence [T, F] (or, with a trace, the layer's output of any shape).
    // A recurrent layer's trace adds its states and gates over time to the "Show" menu.
    void setValue(const engine::Tensor& value, const engine::RecurrentTrace* trace = nullptr);
    // The menu's entries ("output", "hidden state h", "forget gate f", ...) and the choice.
    QStringList shownChoices() const;
    void showChoice(int index);
    QImage picture() const;
    QString hoverText() const;
    // What the cell under picture pixel `p` holds, as the hover line says it.
    QString describeAt(QPoint p) const;

private:
    void redraw();
    void choose(int index);
    QString summary() const;

    QComboBox* m_show;
    QComboBox* m_colormap;
    QCheckBox* m_zeroCentred;
    PictureView* m_picture;
    QLabel* m_hover;
    engine::Tensor m_value;                // on show
    std::vector<engine::Tensor> m_choices; // parallel to m_show's entries
    std::vector<bool> m_signed;            // drawn diverging around zero, else from 0 up
    vis::SequenceScale m_scale;
};

} // namespace nc::ui
