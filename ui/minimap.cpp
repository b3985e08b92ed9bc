#include "minimap.h"

#include "canvasstyle.h"
#include "graphscene.h"
#include "graphview.h"
#include "nodeitem.h"

#include <QEvent>
#include <QGraphicsScene>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

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
    auto redraw = [this, later] {
        m_stale = true;
        later();
    };
    // A graph scene says when its cards change; any other scene, whenever anything does.
    if (auto* graphScene = qobject_cast<GraphScene*>(view->scene())) {
        connect(graphScene, &GraphScene::cardsChanged, this, redraw);
        connect(graphScene, &QGraphicsScene::selectionChanged, this, redraw);
    } else if (view->scene()) {
        connect(view->scene(), &QGraphicsScene::changed, this, redraw);
    }
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

QRectF Minimap::sceneArea() {
    if (m_stale) {
        // The cards' extent (wires stay within the margin): asking the scene for every item's
        // bounds after each change cost more than the change, in a large graph.
        QRectF used;
        if (const auto* graphScene = qobject_cast<const GraphScene*>(m_view->scene())) {
            double left = 0, top = 0, right = 0, bottom = 0;
            bool first = true;
            for (const auto& [id, r] : graphScene->cards().rects()) {
                left = first ? r.left() : std::min(left, r.left());
                top = first ? r.top() : std::min(top, r.top());
                right = first ? r.right() : std::max(right, r.right());
                bottom = first ? r.bottom() : std::max(bottom, r.bottom());
                first = false;
            }
            used = first ? QRectF() : QRectF(QPointF(left, top), QPointF(right, bottom));
        } else if (m_view->scene()) {
            used = m_view->scene()->itemsBoundingRect();
        }
        m_area = used.isEmpty() ? QRectF() : used.adjusted(-40, -40, 40, 40);
        m_cards = {};
        m_stale = false;
    }
    return m_area;
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
QTransform Minimap::toMap() {
    const QRectF area = sceneArea();
    if (area.isEmpty())
        return {};
    const double scale = std::min((kWidth - 8) / area.width(), (kHeight - 8) / area.height());
    const QPointF offset((kWidth - area.width() * scale) / 2, (kHeight - area.height() * scale) / 2);
    return QTransform::fromTranslate(-area.left(), -area.top()) *
           QTransform::fromScale(scale, scale) * QTransform::fromTranslate(offset.x(), offset.y());
}

// Every card as a block, selected ones highlighted, in one call per colour.
void Minimap::drawCards() {
    const qreal ratio = devicePixelRatioF();
    m_cards = QPixmap(QSize(kWidth, kHeight) * ratio);
    m_cards.setDevicePixelRatio(ratio);
    m_cards.fill(Qt::transparent);
    QGraphicsScene* scene = m_view->scene();
    if (!scene)
        return;
    const QTransform map = toMap();
    QVector<QRectF> plain, selected;
    if (const auto* graphScene = qobject_cast<const GraphScene*>(scene)) {
        plain.reserve(qsizetype(graphScene->cards().rects().size()));
        for (const auto& [id, rect] : graphScene->cards().rects())
            plain.append(map.mapRect(rect));
    } else {
        for (QGraphicsItem* item : scene->items())
            if (dynamic_cast<const NodeItem*>(item))
                plain.append(map.mapRect(item->sceneBoundingRect()));
    }
    for (QGraphicsItem* item : scene->selectedItems())
        if (dynamic_cast<const NodeItem*>(item))
            selected.append(map.mapRect(item->sceneBoundingRect()));
    QPainter p(&m_cards);
    p.setPen(Qt::NoPen);
    p.setBrush(CanvasStyle::mutedTextColor());
    p.drawRects(plain);
    p.setBrush(CanvasStyle::selectionColor());
    p.drawRects(selected);
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
    if (m_cards.isNull())
        drawCards();
    p.drawPixmap(0, 0, m_cards);
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
