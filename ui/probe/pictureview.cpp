#include "pictureview.h"

#include <QMouseEvent>
#include <QPainter>

namespace nc::ui {

PictureView::PictureView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void PictureView::setPicture(const QImage& picture) {
    const bool resized = picture.size() != m_picture.size();
    m_picture = picture;
    if (resized) {
        setFixedSize(picture.size().expandedTo(QSize(1, 1)));
        updateGeometry();
    }
    update();
}

QSize PictureView::sizeHint() const {
    return m_picture.size().expandedTo(QSize(1, 1));
}

QPoint PictureView::toPicture(QPointF widgetPos) const {
    const QPoint p = widgetPos.toPoint();
    return m_picture.rect().contains(p) ? p : QPoint(-1, -1);
}

void PictureView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.drawImage(QPoint(0, 0), m_picture);
}

void PictureView::mouseMoveEvent(QMouseEvent* event) {
    emit hovered(toPicture(event->position()));
}

void PictureView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton)
        emit clicked(toPicture(event->position()));
}

void PictureView::leaveEvent(QEvent*) {
    emit hovered(QPoint(-1, -1));
}

} // namespace nc::ui
