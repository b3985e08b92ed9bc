#include "canvasstyle.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

namespace nc::ui {

bool CanvasStyle::isDark() {
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor CanvasStyle::categoryColor(const QString& category) {
    static const std::pair<const char*, QColor> table[] = {
        {"Input", QColor(0x2e, 0x86, 0xde)},      {"Convolution", QColor(0x10, 0xac, 0x84)},
        {"Pooling", QColor(0x54, 0xa0, 0xff)},    {"Dense", QColor(0x8e, 0x44, 0xad)},
        {"Activation", QColor(0xf3, 0x9c, 0x12)}, {"Regularization", QColor(0x95, 0xa5, 0xa6)},
        {"Structure", QColor(0x7f, 0x8c, 0x8d)},  {"Merge", QColor(0xd3, 0x54, 0x00)},
        {"Recurrent", QColor(0xc0, 0x39, 0x2b)},  {"Loss", QColor(0xe8, 0x43, 0x93)},
    };
    for (const auto& [name, colour] : table)
        if (category == name)
            return colour;
    return QColor(0x99, 0x99, 0x99);
}

QColor CanvasStyle::cardColor() {
    return isDark() ? QColor(0x2b, 0x2d, 0x31) : QColor(0xff, 0xff, 0xff);
}
QColor CanvasStyle::textColor() {
    return QApplication::palette().color(QPalette::Text);
}
QColor CanvasStyle::mutedTextColor() {
    return isDark() ? QColor(0xa0, 0xa4, 0xaa) : QColor(0x6b, 0x70, 0x78);
}
QColor CanvasStyle::edgeColor() {
    return isDark() ? QColor(0x9a, 0xa4, 0xb0) : QColor(0x5d, 0x66, 0x73);
}
QColor CanvasStyle::errorColor() {
    return QColor(0xe0, 0x3e, 0x36);
}
QColor CanvasStyle::selectionColor() {
    return QApplication::palette().color(QPalette::Highlight);
}
QColor CanvasStyle::labelBackground() {
    return isDark() ? QColor(0x1e, 0x1f, 0x22) : QColor(0xf1, 0xf3, 0xf5);
}

QIcon CanvasStyle::swatch(const QColor& colour) {
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(colour);
    p.setPen(Qt::NoPen);
    p.drawRoundedRect(QRectF(1, 1, 10, 10), 3, 3);
    return QIcon(pixmap);
}

} // namespace nc::ui
