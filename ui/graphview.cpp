#include "graphview.h"

#include "canvasstyle.h"
#include "graphscene.h"
#include "nodeitem.h"

#include <QContextMenuEvent>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QWheelEvent>
#include <cmath>

namespace nc::ui {

GraphView::GraphView(QWidget* parent) : QGraphicsView(parent) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(RubberBandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    // One rectangle around what changed: the "smart" and minimal modes add every changed
    // item to a region, which costs as much as the region already holds, so showing 20,000
    // cards at once took most of a second in region arithmetic alone.
    setViewportUpdateMode(BoundingRectViewportUpdate);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    fitCanvasTo({});
}

void GraphView::setScene(QGraphicsScene* scene) {
    if (QGraphicsScene* old = this->scene())
        disconnect(old, &QGraphicsScene::sceneRectChanged, this, nullptr);
    QGraphicsView::setScene(scene);
    if (!scene)
        return;
    connect(scene, &QGraphicsScene::sceneRectChanged, this, &GraphView::fitCanvasTo);
    fitCanvasTo(scene->sceneRect());
}

// The scene's own rectangle grows with its items (never shrinks), so the canvas follows it.
void GraphView::fitCanvasTo(const QRectF& used) {
    constexpr double kReach = 20000, kMargin = 2000;
    const QRectF canvas(-kReach, -kReach, 2 * kReach, 2 * kReach);
    setSceneRect(used.isEmpty() ? canvas
                                : canvas.united(used.adjusted(-kMargin, -kMargin, kMargin, kMargin)));
}

void GraphView::zoomBy(double factor) {
    const double next = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    scale(next / zoom(), next / zoom());
    zoomed();
}

void GraphView::zoomed() {
    if (auto* graphScene = qobject_cast<GraphScene*>(scene()))
        graphScene->setCardsCached(zoom() >= CanvasStyle::kDetailZoom);
    emit zoomChanged(zoom());
}

void GraphView::fitToContents() {
    if (!scene())
        return;
    QRectF bounds = scene()->itemsBoundingRect();
    if (bounds.isEmpty())
        return;
    fitCanvasTo(scene()->sceneRect()); // items added just now may not have grown it yet
    fitInView(bounds.adjusted(-40, -60, 40, 40), Qt::KeepAspectRatio);
    if (zoom() > 1.25)
        zoomBy(1.25 / zoom());
    else if (zoom() < kMinZoom)
        zoomBy(kMinZoom / zoom());
    zoomed();
}

void GraphView::contextMenuEvent(QContextMenuEvent* event) {
    const QPointF at = mapToScene(event->pos());
    if (scene())
        for (QGraphicsItem* item : scene()->items(at))
            if (auto* card = dynamic_cast<NodeItem*>(item)) {
                emit cardMenuRequested(card->id(), event->globalPos());
                return;
            }
    emit canvasMenuRequested(event->globalPos(), at);
}

void GraphView::resetZoom() {
    zoomBy(1.0 / zoom());
}

QPointF GraphView::dropPoint() const {
    return mapToScene(viewport()->rect().center());
}

void GraphView::wheelEvent(QWheelEvent* event) {
    zoomBy(std::pow(1.0015, event->angleDelta().y()));
    event->accept();
}

void GraphView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        setDragMode(ScrollHandDrag);
        return;
    }
    if (event->key() == Qt::Key_Tab) {
        const QPoint local = mapFromGlobal(QCursor::pos());
        const QPoint at = viewport()->rect().contains(local) ? local : viewport()->rect().center();
        emit quickAddRequested(viewport()->mapToGlobal(at), mapToScene(at));
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        setDragMode(RubberBandDrag);
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_lastPan = event->pos();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPoint delta = event->pos() - m_lastPan;
        m_lastPan = event->pos();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton && m_panning) {
        m_panning = false;
        viewport()->unsetCursor();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasFormat(kLayerMimeType))
        event->acceptProposedAction();
    else
        event->ignore(); // graph files bubble up to the main window
}

void GraphView::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasFormat(kLayerMimeType))
        event->acceptProposedAction();
    else
        event->ignore();
}

void GraphView::dropEvent(QDropEvent* event) {
    if (!event->mimeData()->hasFormat(kLayerMimeType)) {
        event->ignore();
        return;
    }
    const QString type = QString::fromUtf8(event->mimeData()->data(kLayerMimeType));
    emit layerDropped(type, mapToScene(event->position().toPoint()));
    event->acceptProposedAction();
}

bool GraphView::focusNextPrevChild(bool) {
    return false;
} // Tab is quick-add here

void GraphView::drawBackground(QPainter* painter, const QRectF& rect) {
    painter->fillRect(rect,
                      CanvasStyle::isDark() ? QColor(0x1b, 0x1c, 0x1f) : QColor(0xf7, 0xf8, 0xfa));
    if (zoom() < 0.35)
        return;
    const double step = 24;
    painter->setPen(
        QPen(CanvasStyle::isDark() ? QColor(0x2a, 0x2c, 0x30) : QColor(0xe3, 0xe6, 0xea), 0));
    const double left = std::floor(rect.left() / step) * step,
                 top = std::floor(rect.top() / step) * step;
    QVector<QLineF> lines;
    for (double x = left; x < rect.right(); x += step)
        lines.append(QLineF(x, rect.top(), x, rect.bottom()));
    for (double y = top; y < rect.bottom(); y += step)
        lines.append(QLineF(rect.left(), y, rect.right(), y));
    painter->drawLines(lines);
}

} // namespace nc::ui
