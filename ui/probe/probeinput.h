#pragma once
// Where a probe's input comes from: a sample of the graph's data set (by index, with a strip
// of thumbnails to browse), an image file (read with OpenCV and resized to the Input), or a
// drawing on a canvas of the Input's size. Data sets load off the GUI thread.
//
//   connect(inputs, &ProbeInputPanel::inputChanged, this, &ProbePanel::reprobe);
//   if (inputs->hasInput()) request.x = inputs->input();

#include "engine/data/dataset.h"
#include "engine/tensor.h"

#include "graph_model/graph.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QListWidget;
class QSpinBox;
class QTabWidget;

namespace nc::ui {

class DrawingCanvas;

class ProbeInputPanel : public QWidget {
    Q_OBJECT

public:
    enum class Source { Dataset, Image, Drawing };

    explicit ProbeInputPanel(QWidget* parent = nullptr);

    // The Input's shape and the training data spec; reloads the data set when it changed.
    void setGraph(const nc::graph::Graph& graph);
    // Whether the graph given last compiled: then what this panel takes from it (the Input's
    // shape) changes only with the Input node or the training settings.
    bool graphCompiled() const { return m_graphCompiled; }
    Source source() const;
    void setSource(Source source);
    bool hasInput() const;
    engine::Tensor input() const; // [1, ...Input.shape]
    // The sample's target [1, ...] from the data set; none for an image file or a drawing.
    std::optional<engine::Tensor> target() const;
    QString description() const; // "synthetic:digits #7 (class 3)"
    int label() const;           // the sample's class, or -1
    void setSampleIndex(int index);
    int sampleIndex() const;
    // Reads an image file; false (with the reason in the panel) when it cannot.
    bool openImage(const QString& path);
    DrawingCanvas* canvas() const { return m_canvas; }
    std::shared_ptr<const engine::Dataset> dataset() const { return m_data; }

signals:
    void inputChanged();
    void datasetLoaded();

private:
    QWidget* makeDatasetTab();
    QWidget* makeImageTab();
    QWidget* makeDrawTab();
    void loadDataset(const QString& spec);
    void refreshStrip();

    QTabWidget* m_tabs;
    QSpinBox* m_index = nullptr;
    QListWidget* m_strip = nullptr;
    QLabel* m_dataStatus = nullptr;
    QLabel* m_imageStatus = nullptr;
    QLabel* m_imagePreview = nullptr;
    DrawingCanvas* m_canvas = nullptr;
    engine::Dims m_inputDims;
    bool m_graphCompiled = false;
    QString m_spec;
    std::shared_ptr<const engine::Dataset> m_data;
    quint64 m_generation = 0;
    engine::Tensor m_image; // the image file's sample
    QString m_imagePath;
    int m_stripStart = -1;
};

} // namespace nc::ui
