#pragma once
// The gradient per time step of every recurrent layer (part of the Layer Health dock): the
// norm of the loss gradient with respect to the layer's input at each step, on a log scale.
// Gradients that vanish over time show as a curve falling toward the first steps; the line
// under the chart gives the first step's share of the last's.

#include "engine/probe/layerhealth.h"

#include <QWidget>

#include <vector>

class QCustomPlot;
class QLabel;

namespace nc::ui {

class StepGradientChart : public QWidget {
    Q_OBJECT

public:
    explicit StepGradientChart(QWidget* parent = nullptr);

    // Draws the recurrent layers among `layers`; hides itself when there are none.
    void setLayers(const std::vector<engine::LayerHealth>& layers);
    int curves() const;
    QString summary() const;

private:
    QCustomPlot* m_plot;
    QLabel* m_summary;
};

} // namespace nc::ui
