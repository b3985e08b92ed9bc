#pragma once
// The Filters dock: a layer's learned weights, a cell per filter (engine/vis renderFilters,
// the same pictures as `netcanvas-cli visualize filters`). First layers show as images (in
// colour for RGB inputs); deeper ones show one input channel or the mean. A Dense layer fed
// by an image shows its rows as images. It follows the Probe dock's weights, so it updates
// live during training.

#include "engine/vis/filters.h"
#include "engine/weightsnapshot.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace nc::ui {

class GraphDocument;
class PictureView;

class FiltersView : public QWidget {
    Q_OBJECT

public:
    explicit FiltersView(GraphDocument* document, QWidget* parent = nullptr);

    // The weights to draw (null: the graph's initial weights for `seed`).
    void setWeights(engine::SnapshotPtr weights, std::uint64_t seed, const QString& label);
    bool selectLayer(const QString& name);
    QString layer() const;
    void setChannel(int channel); // -1: the mean (colour for RGB filters)
    vis::FilterStyle style() const;
    QImage picture() const;
    QString statusText() const;
    int drawsDone() const { return m_done; }

signals:
    void drawn();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refillLayers();
    // Draws now when on screen; otherwise marks the picture stale for the next showEvent, so
    // live weights cost nothing while the dock is closed or behind another tab.
    void redraw();

    GraphDocument* m_document;
    QComboBox* m_layer;
    QSpinBox* m_channel;
    QComboBox* m_colormap;
    PictureView* m_picture;
    QLabel* m_status;
    engine::SnapshotPtr m_weights;
    std::uint64_t m_seed = 1;
    QString m_label;
    quint64 m_generation = 0;
    int m_done = 0;
    bool m_stale = false;
};

} // namespace nc::ui
