#pragma once
// Shows one picture pixel for pixel (an engine/vis rendering) and says which picture pixel
// the mouse is over or clicked, so views can map it back to a map cell or a tensor value.

#include <QImage>
#include <QWidget>

namespace nc::ui {

class PictureView : public QWidget {
    Q_OBJECT

public:
    explicit PictureView(QWidget* parent = nullptr);
    void setPicture(const QImage& picture);
    const QImage& picture() const { return m_picture; }
    QSize sizeHint() const override;

signals:
    void hovered(QPoint picturePos); // (-1, -1) when the mouse leaves
    void clicked(QPoint picturePos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    QPoint toPicture(QPointF widgetPos) const;
    QImage m_picture;
};

} // namespace nc::ui
