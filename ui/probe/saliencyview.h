#pragma once
// The Saliency dock: why the classifier picks a class for the Probe dock's input. Saliency
// shows |d score / d input| over the input; Grad-CAM weighs the feature maps of the probed
// wire (a conv edge) by the class score's gradient. The class is the predicted one unless
// chosen. engine/vis draws it, as `netcanvas-cli visualize saliency` does.

#include "engine/probe/edgeref.h"
#include "engine/weightsnapshot.h"

#include "graph_model/graph.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace nc::ui {

class PictureView;

class SaliencyView : public QWidget {
    Q_OBJECT

public:
    enum class Method { Saliency, GradCam };

    explicit SaliencyView(QWidget* parent = nullptr);

    // What to explain: the graph, its weights (null: initial for `seed`), one input sample
    // [1, ...] and the probed edge (for Grad-CAM).
    void explain(const nc::graph::Graph& graph, engine::SnapshotPtr weights, std::uint64_t seed,
                 const engine::Tensor& x, engine::EdgeRef edge);
    void setMethod(Method method);
    void setClass(int classIndex); // -1: the predicted class
    QImage picture() const;
    QString statusText() const;
    int drawsDone() const { return m_done; }

signals:
    void drawn();

private:
    void redraw();

    QComboBox* m_method;
    QSpinBox* m_class;
    PictureView* m_picture;
    QLabel* m_status;
    nc::graph::Graph m_graph;
    engine::SnapshotPtr m_weights;
    std::uint64_t m_seed = 1;
    engine::Tensor m_x;
    engine::EdgeRef m_edge;
    quint64 m_generation = 0;
    int m_done = 0;
};

} // namespace nc::ui
