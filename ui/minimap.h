#pragma once
// An overview of the whole graph in a corner of the canvas: every card as a small block and
// the visible part as a frame; click or drag in it to move there. It shows itself when the
// graph is larger than the view (View > Minimap turns it off), and repaints at most 20 times
// a second however fast the scene changes. The cards are drawn into a picture when cards are
// added, moved, removed or selected; panning, zooming and other edits only move the frame.

#include <QPixmap>
#include <QWidget>

class QTimer;

namespace nc::ui {

class GraphView;

class Minimap : public QWidget {
    Q_OBJECT

public:
    // After the view has its scene.
    explicit Minimap(GraphView* view);
    void setEnabledByUser(bool on);
    bool enabledByUser() const { return m_enabledByUser; }
    // Shows or hides itself: only when enabled and the graph does not fit the view.
    void updateVisibility();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    // The scene's extent, measured again after the scene changed.
    QRectF sceneArea();
    QTransform toMap();
    void drawCards();
    void place();
    void centreViewAt(QPointF widgetPos);

    GraphView* m_view;
    QObject* m_viewport;
    QTimer* m_refresh;
    bool m_enabledByUser = true;
    bool m_stale = true; // the scene changed since the area and the cards were measured
    QRectF m_area;
    QPixmap m_cards;
};

} // namespace nc::ui
