#pragma once
// One edge's vector (a Dense output, logits, a flattened map): as a heat strip or as bars,
// with the k largest entries listed; for a classifier's logits the list shows the softmax
// probabilities, so the top-k reads as the network's guesses.

#include "engine/tensor.h"

#include <QWidget>

class QCPBars;
class QComboBox;
class QCustomPlot;
class QLabel;
class QStackedWidget;

namespace nc::ui {

class PictureView;

class VectorView : public QWidget {
    Q_OBJECT

public:
    explicit VectorView(QWidget* parent = nullptr);

    // `logits`: the values are a classifier's logits (the list shows probabilities).
    void setValue(const engine::Tensor& value, bool logits);
    QString topText() const;
    QImage stripPicture() const;

private:
    void redraw();

    engine::Tensor m_value;
    bool m_logits = false;
    QComboBox* m_mode;
    QStackedWidget* m_stack;
    PictureView* m_strip;
    QCustomPlot* m_plot;
    QCPBars* m_bars;
    QLabel* m_top;
};

// The k largest entries as (index, value), largest first; softmax probabilities if asked.
std::vector<std::pair<int, double>> topEntries(const engine::Tensor& value, int k, bool softmax);

} // namespace nc::ui
