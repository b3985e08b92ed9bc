#pragma once
// The canvas view: zoom with the wheel (at the cursor) or the keys, pan with the middle
// button or space-drag, rubber-band selection, fit to view; layers dropped from the palette
// are added where they land; Tab opens the quick-add popup at the cursor.

#include "graph_model/ids.h"

#include <QGraphicsView>

namespace nc::ui {

class GraphView : public QGraphicsView {
    Q_OBJECT

public:
    explicit GraphView(QWidget* parent = nullptr);

    // Shows `scene`; the canvas reaches at least 20,000 units from the origin each way, and
    // past the farthest card by a margin, so every card can be scrolled to. (Hides
    // QGraphicsView::setScene, which is not virtual.)
    void setScene(QGraphicsScene* scene);
    void zoomBy(double factor);
    void fitToContents();
    void resetZoom(); // 100%
    double zoom() const { return transform().m11(); }
    // Where a new layer goes when it was not dropped somewhere: the view's centre.
    QPointF dropPoint() const;

    static constexpr double kMinZoom = 0.002, kMaxZoom = 4.0;
    static constexpr const char* kLayerMimeType = "application/x-netcanvas-layer";

signals:
    void zoomChanged(double zoom); // 1.0 is 100%
    void cardMenuRequested(nc::graph::NodeId id, QPoint globalPos);
    void canvasMenuRequested(QPoint globalPos, QPointF scenePos);
    void layerDropped(const QString& type, QPointF scenePos);
    void quickAddRequested(QPoint globalPos, QPointF scenePos);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool focusNextPrevChild(bool next) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    // After the zoom changed: cards cache pixmaps only where they show detail.
    void zoomed();
    void fitCanvasTo(const QRectF& used);

    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_lastPan;
};

} // namespace nc::ui
