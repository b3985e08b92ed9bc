#include "minimap.h"

#include "canvasstyle.h"
#include "graphview.h"
#include "nodeitem.h"

#include <QEvent>
#include <QGraphicsScene>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>

namespace nc::ui {

namespace {

constexpr int kWidth = 220, kHeight = 150, kMargin = 12;

} // namespace

Minimap::Minimap(GraphView* view) : QWidget(view), m_view(view), m_refresh(new QTimer(this)) {
    setFixedSize(kWidth, kHeight);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview: click or drag to move the view"));
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(50);
    connect(m_refresh, &QTimer::timeout, this, [this] {
        updateVisibility();
        update();
    });
    auto later = [this] {
        if (!m_refresh->isActive())
            m_refresh->start();
    };
    connect(view->horizontalScrollBar(), &QScrollBar::valueChanged, this, later);
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, later);
    connect(view, &GraphView::zoomChanged, this, later);
    if (view->scene())
        connect(view->scene(), &QGraphicsScene::changed, this, later);
    m_viewport = view->viewport();
    m_viewport->installEventFilter(this);
    hide();
}

// Compares with the viewport kept at construction: while the view is being destroyed its
// viewport still sends events here, and the view itself must not be asked anything.
bool Minimap::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize && watched == m_viewport)
        updateVisibility();
    return QWidget::eventFilter(watched, event);
}

void Minimap::setEnabledByUser(bool on) {
    m_enabledByUser = on;
    updateVisibility();
}

QRectF Minimap::sceneArea() const {
    return m_view->scene() ? m_view->scene()->itemsBoundingRect().adjusted(-40, -40, 40, 40)
                           : QRectF();
}

void Minimap::updateVisibility() {
    const QRectF area = sceneArea();
    const QRectF visible = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
    const bool large = !area.isEmpty() && !visible.contains(area);
    setVisible(m_enabledByUser && large);
    if (isVisible())
        place();
}

void Minimap::place() {
    const QRect room = m_view->viewport()->geometry();
    move(room.right() - kWidth - kMargin, room.bottom() - kHeight - kMargin);
    raise();
}

// Scene coordinates to this widget's, keeping the aspect.
QTransform Minimap::toMap() const {
    const QRectF area = sceneArea();
    if (area.isEmpty())
        return {};
    const double scale = std::min((kWidth - 8) / area.width(), (kHeight - 8) / area.height());
    const QPointF offset((kWidth - area.width() * scale) / 2, (kHeight - area.height() * scale) / 2);
    return QTransform::fromTranslate(-area.left(), -area.top()) *
           QTransform::fromScale(scale, scale) * QTransform::fromTranslate(offset.x(), offset.y());
}

void Minimap::paintEvent(QPaintEvent*) {
    QPainter p(this);
    QColor background = CanvasStyle::cardColor();
    background.setAlpha(225);
    p.setPen(QPen(CanvasStyle::edgeColor(), 1));
    p.setBrush(background);
    p.drawRoundedRect(rect().adjusted(0, 0, -1, -1), 6, 6);
    if (!m_view->scene())
        return;
    const QTransform map = toMap();
    p.setPen(Qt::NoPen);
    for (QGraphicsItem* item : m_view->scene()->items()) {
        if (auto* card = dynamic_cast<NodeItem*>(item)) {
            p.setBrush(card->isSelected() ? CanvasStyle::selectionColor() : CanvasStyle::mutedTextColor());
            p.drawRect(map.mapRect(QRectF(card->scenePos(), card->cardSize())));
        }
    }
    const QRectF visible = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(CanvasStyle::selectionColor(), 1.5));
    p.drawRect(map.mapRect(visible).intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
}

void Minimap::centreViewAt(QPointF widgetPos) {
    bool invertible = false;
    const QTransform back = toMap().inverted(&invertible);
    if (invertible)
        m_view->centerOn(back.map(widgetPos));
}

void Minimap::mousePressEvent(QMouseEvent* event) {
    centreViewAt(event->position());
}

void Minimap::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton)
        centreViewAt(event->position());
}

} // namespace nc::ui
