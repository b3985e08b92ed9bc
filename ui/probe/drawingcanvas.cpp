#include "drawingcanvas.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace nc::ui {

DrawingCanvas::DrawingCanvas(QWidget* parent) : QWidget(parent) {
    setMinimumSize(112, 112);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Draw with the left button, erase with the right"));
    setInputShape(1, 28, 28);
}

void DrawingCanvas::setInputShape(int channels, int height, int width) {
    m_channels = std::max(channels, 1);
    m_height = std::max(height, 1);
    m_width = std::max(width, 1);
    m_pixels.assign(std::size_t(m_height) * std::size_t(m_width), 0.0f);
    update();
}

void DrawingCanvas::clear() {
    std::fill(m_pixels.begin(), m_pixels.end(), 0.0f);
    update();
    emit changed();
}

bool DrawingCanvas::isBlank() const {
    return std::all_of(m_pixels.begin(), m_pixels.end(), [](float v) { return v == 0.0f; });
}

engine::Tensor DrawingCanvas::tensor() const {
    engine::Tensor x({1, m_channels, m_height, m_width});
    const std::size_t area = m_pixels.size();
    for (int c = 0; c < m_channels; ++c)
        std::copy(m_pixels.begin(), m_pixels.end(), x.data() + c * area);
    return x;
}

QRectF DrawingCanvas::canvasRect() const {
    const double scale = std::min(width() / double(m_width), height() / double(m_height));
    const QSizeF size(m_width * scale, m_height * scale);
    return QRectF(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size);
}

QPointF DrawingCanvas::toInput(QPointF widgetPos) const {
    const QRectF r = canvasRect();
    return {(widgetPos.x() - r.left()) * m_width / r.width(),
            (widgetPos.y() - r.top()) * m_height / r.height()};
}

// A soft round dab: full ink within the radius, fading over the next pixel.
void DrawingCanvas::dab(QPointF at, bool ink) {
    const int x0 = std::max(0, int(std::floor(at.x() - m_radius - 1)));
    const int x1 = std::min(m_width - 1, int(std::ceil(at.x() + m_radius + 1)));
    const int y0 = std::max(0, int(std::floor(at.y() - m_radius - 1)));
    const int y1 = std::min(m_height - 1, int(std::ceil(at.y() + m_radius + 1)));
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            const double d = std::hypot(x + 0.5 - at.x(), y + 0.5 - at.y());
            const float cover = float(std::clamp(m_radius + 0.5 - d, 0.0, 1.0));
            float& p = m_pixels[std::size_t(y) * std::size_t(m_width) + std::size_t(x)];
            p = ink ? std::max(p, cover) : std::min(p, 1.0f - cover);
        }
}

void DrawingCanvas::stroke(QPointF from, QPointF to, bool ink) {
    const double length = std::hypot(to.x() - from.x(), to.y() - from.y());
    const int steps = std::max(1, int(std::ceil(length / 0.25)));
    for (int i = 0; i <= steps; ++i)
        dab(from + (to - from) * (double(i) / steps), ink);
    update();
    emit changed();
}

void DrawingCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton && event->button() != Qt::RightButton)
        return;
    m_drawing = true;
    m_ink = event->button() == Qt::LeftButton;
    m_last = toInput(event->position());
    stroke(m_last, m_last, m_ink);
}

void DrawingCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (!m_drawing)
        return;
    const QPointF at = toInput(event->position());
    stroke(m_last, at, m_ink);
    m_last = at;
}

void DrawingCanvas::mouseReleaseEvent(QMouseEvent*) {
    m_drawing = false;
}

void DrawingCanvas::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    QImage image(m_width, m_height, QImage::Format_Grayscale8);
    for (int y = 0; y < m_height; ++y) {
        uchar* row = image.scanLine(y);
        for (int x = 0; x < m_width; ++x)
            row[x] = uchar(std::lround(255.0f * m_pixels[std::size_t(y * m_width + x)]));
    }
    const QRectF r = canvasRect();
    painter.drawImage(r, image);
    painter.setPen(QPen(palette().mid().color(), 1));
    painter.drawRect(r.adjusted(0, 0, -1, -1));
}

} // namespace nc::ui
