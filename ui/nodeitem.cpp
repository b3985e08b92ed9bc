#include "nodeitem.h"

#include "canvasstyle.h"
#include "graphdocument.h"

#include "graph_model/layerregistry.h"

#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nc::ui {

using namespace nc::graph;

namespace {

// The header: the card's top with rounded corners and a square bottom edge.
const QPainterPath& headerPath() {
    static const QPainterPath path = [] {
        constexpr double w = CanvasStyle::kNodeWidth, h = CanvasStyle::kHeaderHeight, r = 7;
        QPainterPath p(QPointF(0, h));
        p.lineTo(0, r);
        p.arcTo(QRectF(0, 0, 2 * r, 2 * r), 180, -90);
        p.lineTo(w - r, 0);
        p.arcTo(QRectF(w - 2 * r, 0, 2 * r, 2 * r), 90, -90);
        p.lineTo(w, h);
        p.closeSubpath();
        return p;
    }();
    return path;
}

QString countText(std::int64_t n) {
    return n == 0 ? QString() : QString::fromStdString(formatCount(n)) + QObject::tr(" params");
}

} // namespace

NodeItem::NodeItem(GraphDocument* document, NodeId id) : m_document(document), m_id(id) {
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setCacheMode(DeviceCoordinateCache); // the scene turns it off when zoomed far out
    setZValue(1);
    setAcceptHoverEvents(true);
    refresh();
}

QString NodeItem::portToolTip(PortRef port) const {
    const Node* node = m_document->graph().node(m_id);
    if (!node)
        return {};
    const LayerSpec& spec = m_document->graph().specOf(*node);
    const auto& ports = port.output ? spec.outputs : spec.inputs;
    // Variadic inputs (Concat, Add) repeat the last port's meaning.
    const PortSpec* p =
        ports.empty() ? nullptr
                      : &ports[std::min<std::size_t>(std::size_t(port.index), ports.size() - 1)];
    std::optional<Shape> shape;
    if (const NodeInference* inf = m_document->inference().node(m_id)) {
        const auto& shapes = port.output ? inf->outputs : inf->inputs;
        if (std::size_t(port.index) < shapes.size())
            shape = shapes[std::size_t(port.index)];
    }
    QString text = QString("<b>%1</b> (%2)")
                       .arg(p ? QString::fromStdString(p->name) : QString::number(port.index),
                            port.output ? tr("output") : tr("input"));
    if (p && !p->help.empty())
        text += "<br>" + QString::fromStdString(p->help).toHtmlEscaped();
    const bool optional = !port.output && spec.inputOptional(port.index);
    if (optional)
        text += "<br><i>" + tr("optional") + "</i>";
    text += "<br>" + tr("shape per sample: %1")
                         .arg(shape      ? QString::fromStdString(formatShape(*shape))
                              : optional ? tr("none (not connected)")
                                         : tr("unknown (not connected)"));
    return text;
}

void NodeItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    // Over a port the tooltip is the port's; elsewhere the card's.
    const std::optional<PortRef> port = portAt(event->scenePos());
    const QString tip = port ? portToolTip(*port) : cardToolTip();
    if (toolTip() != tip)
        setToolTip(tip);
    QGraphicsObject::hoverMoveEvent(event);
}

int NodeItem::rows() const {
    return std::max(m_inputs, m_outputs);
}

double NodeItem::height() const {
    return CanvasStyle::kHeaderHeight + 2 * CanvasStyle::kLineHeight + 6 +
           rows() * CanvasStyle::kPortRow + 6;
}

QRectF NodeItem::boundingRect() const {
    // Room for the ports' circles and the error badge outside the card.
    return QRectF(-8, -10, CanvasStyle::kNodeWidth + 16, height() + 18);
}

void NodeItem::refresh() {
    const Node* node = m_document->graph().node(m_id);
    if (!node)
        return;
    const int inputs = m_document->graph().inputCount(m_id);
    const int outputs = m_document->graph().outputCount(m_id);
    if (inputs != m_inputs || outputs != m_outputs) {
        prepareGeometryChange();
        m_inputs = inputs;
        m_outputs = outputs;
    }
    if (pos() != QPointF(node->position.x, node->position.y))
        setPos(node->position.x, node->position.y);
    const NodeInference* inf = m_document->inference().node(m_id);
    m_hasError = inf && std::any_of(inf->diagnostics.begin(), inf->diagnostics.end(),
                                    [](const Diagnostic& d) { return d.severity == Severity::Error; });
    m_accent = CanvasStyle::categoryColor(
        QString::fromStdString(m_document->graph().specOf(*node).category));
    update();
}

// Made when the pointer is over the card, not for every card whenever it changes.
QString NodeItem::cardToolTip() const {
    const Node* node = m_document->graph().node(m_id);
    if (!node)
        return {};
    QStringList problems;
    if (const NodeInference* inf = m_document->inference().node(m_id))
        for (const Diagnostic& d : inf->diagnostics)
            problems << QString::fromStdString(d.message);
    const LayerSpec& spec = m_document->graph().specOf(*node);
    QString tip = QString::fromStdString(spec.help);
    if (spec.modeDependent)
        tip += tr("\nBehaves differently in training and evaluation.");
    if (!problems.isEmpty())
        tip += "\n\n" + problems.join('\n');
    return tip;
}

QSizeF NodeItem::cardSize() const {
    return {CanvasStyle::kNodeWidth, height()};
}

QPointF NodeItem::portOffset(PortRef port) const {
    const double y = CanvasStyle::kHeaderHeight + 2 * CanvasStyle::kLineHeight + 6 +
                     (port.index + 0.5) * CanvasStyle::kPortRow;
    return QPointF(port.output ? CanvasStyle::kNodeWidth : 0, y);
}

QPointF NodeItem::portScenePos(PortRef port) const {
    return mapToScene(portOffset(port));
}

std::optional<PortRef> NodeItem::portAt(QPointF scenePos) const {
    const double reach = CanvasStyle::kPortRadius + 6;
    for (int i = 0; i < m_inputs; ++i)
        if (QLineF(portScenePos({false, i}), scenePos).length() <= reach)
            return PortRef{false, i};
    for (int i = 0; i < m_outputs; ++i)
        if (QLineF(portScenePos({true, i}), scenePos).length() <= reach)
            return PortRef{true, i};
    return std::nullopt;
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const QRectF card(0, 0, CanvasStyle::kNodeWidth, height());
    const QColor edge = isSelected() ? CanvasStyle::selectionColor()
                        : m_hasError ? CanvasStyle::errorColor()
                                     : m_accent.darker(120);
    // Zoomed out this far no text can be read: the card, its header's colour and its border
    // are all it shows, as plain rectangles (20,000 cards at fit-to-view draw in a fraction of
    // the time).
    if (QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform()) <
        CanvasStyle::kDetailZoom) {
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setPen(QPen(edge, 0));
        painter->setBrush(CanvasStyle::cardColor());
        painter->drawRect(card);
        painter->fillRect(QRectF(0, 0, card.width(), CanvasStyle::kHeaderHeight), m_accent);
        return;
    }
    const Node* node = m_document->graph().node(m_id);
    if (!node)
        return;
    const LayerSpec& spec = m_document->graph().specOf(*node);
    const NodeInference* inf = m_document->inference().node(m_id);
    painter->setRenderHint(QPainter::Antialiasing);

    // Card and header.
    QPen border(edge, isSelected() || m_hasError ? 2.2 : 1.0);
    if (spec.modeDependent)
        border.setStyle(Qt::DashLine);
    painter->setPen(border);
    painter->setBrush(CanvasStyle::cardColor());
    painter->drawRoundedRect(card, 7, 7);
    painter->fillPath(headerPath(), m_accent);

    QFont nameFont = painter->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(10);
    painter->setFont(nameFont);
    painter->setPen(Qt::white);
    const QString name = QString::fromStdString(node->name);
    painter->drawText(
        QRectF(10, 3, card.width() - 20, 20), Qt::AlignLeft | Qt::AlignVCenter,
        painter->fontMetrics().elidedText(name, Qt::ElideRight, int(card.width() - 20)));
    QFont small = painter->font();
    small.setBold(false);
    small.setPointSizeF(8);
    painter->setFont(small);
    painter->drawText(QRectF(10, 21, card.width() - 20, 17), Qt::AlignLeft | Qt::AlignVCenter,
                      QString::fromStdString(spec.type));
    if (spec.modeDependent)
        painter->drawText(QRectF(10, 21, card.width() - 20, 17), Qt::AlignRight | Qt::AlignVCenter,
                          tr("train only"));

    // Summary and parameter count.
    painter->setPen(CanvasStyle::textColor());
    small.setPointSizeF(8.5);
    painter->setFont(small);
    const double y0 = CanvasStyle::kHeaderHeight + 3;
    painter->drawText(QRectF(10, y0, card.width() - 20, CanvasStyle::kLineHeight),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      painter->fontMetrics().elidedText(
                          QString::fromStdString(summarizeParams(spec, node->params)),
                          Qt::ElideRight, int(card.width() - 20)));
    painter->setPen(CanvasStyle::mutedTextColor());
    painter->drawText(
        QRectF(10, y0 + CanvasStyle::kLineHeight, card.width() - 20, CanvasStyle::kLineHeight),
        Qt::AlignLeft | Qt::AlignVCenter, countText(inf ? inf->paramCount : 0));

    // Ports: tensors are circles, losses diamonds, optional ones dashed; names inside the card.
    auto drawPort = [&](PortRef port, const QString& label, PortType type, bool optional) {
        const QPointF at = mapFromScene(portScenePos(port));
        painter->setPen(QPen(m_accent.darker(130), 1.2, optional ? Qt::DotLine : Qt::SolidLine));
        painter->setBrush(CanvasStyle::cardColor());
        if (type == PortType::Loss) {
            const double r = CanvasStyle::kPortRadius + 1;
            painter->drawPolygon(QPolygonF({at + QPointF(0, -r), at + QPointF(r, 0),
                                            at + QPointF(0, r), at + QPointF(-r, 0)}));
        } else {
            painter->drawEllipse(at, CanvasStyle::kPortRadius, CanvasStyle::kPortRadius);
        }
        painter->setPen(CanvasStyle::mutedTextColor());
        QFont portFont = small;
        portFont.setItalic(optional);
        painter->setFont(portFont);
        const QRectF text(port.output ? card.width() / 2 : 12, at.y() - 8, card.width() / 2 - 12,
                          16);
        painter->drawText(text, (port.output ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                          label);
        painter->setFont(small);
    };
    for (int i = 0; i < m_inputs; ++i)
        drawPort({false, i}, QString::fromStdString(spec.inputName(i)), spec.inputType(i),
                 spec.inputOptional(i));
    for (int i = 0; i < m_outputs; ++i)
        drawPort({true, i}, QString::fromStdString(spec.outputs[std::size_t(i)].name),
                 spec.outputs[std::size_t(i)].type, false);

    if (m_hasError) { // the badge; its tooltip is the node's
        const QPointF c(card.width() - 4, 0);
        painter->setPen(Qt::NoPen);
        painter->setBrush(CanvasStyle::errorColor());
        painter->drawEllipse(c, 9, 9);
        painter->setPen(Qt::white);
        QFont bold = painter->font();
        bold.setBold(true);
        painter->setFont(bold);
        painter->drawText(QRectF(c.x() - 9, c.y() - 9, 18, 18), Qt::AlignCenter, "!");
    }
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionHasChanged)
        emit moved(m_id);
    return QGraphicsObject::itemChange(change, value);
}

void NodeItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
    if (event->pos().y() < CanvasStyle::kHeaderHeight)
        emit renameRequested(m_id);
    else
        QGraphicsObject::mouseDoubleClickEvent(event);
}

} // namespace nc::ui
