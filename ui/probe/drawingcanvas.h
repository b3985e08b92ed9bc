#pragma once
// A canvas the size of the model's Input to draw an input on with the mouse: the left button
// inks, the right button erases, the brush has a radius in input pixels. The picture is the
// input tensor itself (values in [0, 1]; a gray drawing fills every channel), shown enlarged.
//
//   canvas->setInputShape(1, 28, 28);
//   connect(canvas, &DrawingCanvas::changed, this, [=] { probe(canvas->tensor()); });

#include "engine/tensor.h"

#include <QWidget>

#include <vector>

namespace nc::ui {

class DrawingCanvas : public QWidget {
    Q_OBJECT

public:
    explicit DrawingCanvas(QWidget* parent = nullptr);

    void setInputShape(int channels, int height, int width); // clears
    void setBrushRadius(double pixels) { m_radius = pixels; }
    double brushRadius() const { return m_radius; }
    void clear();
    bool isBlank() const;
    // [1, C, H, W]
    engine::Tensor tensor() const;
    // The input pixel under a widget position (fractional).
    QPointF toInput(QPointF widgetPos) const;

    QSize sizeHint() const override { return {224, 224}; }

signals:
    void changed();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QRectF canvasRect() const;
    void stroke(QPointF from, QPointF to, bool ink);
    void dab(QPointF at, bool ink);

    int m_channels = 1, m_height = 28, m_width = 28;
    std::vector<float> m_pixels; // H x W, gray
    double m_radius = 1.5;
    QPointF m_last;
    bool m_drawing = false;
    bool m_ink = true;
};

} // namespace nc::ui
