#pragma once
// The Layer Health dock: per layer, the share of dead ReLU units and the norm of the loss
// gradient for its weight, on the first 256 validation samples, refreshed with the weights
// (each epoch while training), and for recurrent layers the gradient per time step as a
// chart. Double-clicking a row selects the layer on the canvas.

#include "engine/data/dataset.h"
#include "engine/probe/layerhealth.h"
#include "engine/weightsnapshot.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTableWidget;

namespace nc::ui {

class GraphDocument;
class StepGradientChart;

class LayerHealthView : public QWidget {
    Q_OBJECT

public:
    explicit LayerHealthView(GraphDocument* document, QWidget* parent = nullptr);

    void setData(std::shared_ptr<const engine::Dataset> dataset);
    void refresh(engine::SnapshotPtr weights, std::uint64_t seed, const QString& label);
    const std::vector<engine::LayerHealth>& layers() const { return m_layers; }
    QString statusText() const;
    const StepGradientChart* stepGradients() const { return m_steps; }
    int refreshesDone() const { return m_done; }

    static constexpr int kSamples = 256;

signals:
    void nodeChosen(nc::graph::NodeId node);

private:
    void present();

    GraphDocument* m_document;
    QTableWidget* m_table;
    QLabel* m_status;
    StepGradientChart* m_steps;
    std::shared_ptr<const engine::Dataset> m_data;
    std::vector<engine::LayerHealth> m_layers;
    quint64 m_generation = 0;
    int m_done = 0;
};

} // namespace nc::ui
