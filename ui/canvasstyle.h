#pragma once
// Colours and sizes of the canvas, derived from the application palette so that light and
// dark themes both read well.

#include <QColor>
#include <QFont>
#include <QIcon>
#include <QString>

namespace nc::ui {

struct CanvasStyle {
    static constexpr double kNodeWidth = 196;
    static constexpr double kHeaderHeight = 42;
    static constexpr double kLineHeight = 17;
    static constexpr double kPortRow = 19;
    static constexpr double kPortRadius = 5.5;
    // Below this zoom no text can be read: cards are drawn without text and ports, and wires
    // without their shape labels.
    static constexpr double kDetailZoom = 0.3;

    static QColor categoryColor(const QString& category);
    // A small rounded square of `colour`, for lists (the palette's categories, the runs).
    static QIcon swatch(const QColor& colour);
    static QColor cardColor();
    static QColor textColor();
    static QColor mutedTextColor();
    static QColor edgeColor();
    static QColor errorColor();
    static QColor selectionColor();
    static QColor labelBackground();
    static bool isDark();
};

} // namespace nc::ui
