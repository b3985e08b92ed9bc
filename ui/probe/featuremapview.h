#pragma once
// One edge's feature maps: every map in a grid (click one to enlarge it), the enlarged map
// with the value under the cursor, a channel slider, and the colormap and scaling choices.
// The grid is engine/vis's renderFeatureMaps, so it matches `netcanvas-cli visualize`.

#include "engine/tensor.h"
#include "engine/vis/mapgrid.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

namespace nc::ui {

class PictureView;

class FeatureMapView : public QWidget {
    Q_OBJECT

public:
    explicit FeatureMapView(QWidget* parent = nullptr);

    // value: one sample's maps [C, H, W] (or [H, W]).
    void setValue(const engine::Tensor& value);
    vis::MapStyle style() const;
    void setStyle(const vis::MapStyle& style);
    int channel() const;
    void setChannel(int channel);
    // The pictures as shown.
    QImage gridPicture() const;
    QImage mapPicture() const;
    QString hoverText() const;

signals:
    void styleChanged();

private:
    void redraw();
    void showValueAt(QPoint picturePos);

    engine::Tensor m_value;
    QComboBox* m_colormap;
    QCheckBox* m_shared;
    QCheckBox* m_zeroCentred;
    QSlider* m_channel;
    QLabel* m_channelLabel;
    PictureView* m_grid;
    PictureView* m_map;
    QLabel* m_hover;
    int m_mapScale = 1;
};

} // namespace nc::ui
