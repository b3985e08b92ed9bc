// What the canvas keeps to stay fast on large graphs: the card index that label placement
// asks, the stacks of identical items of which only the top one paints, and wire points
// measured once per wire, which must agree with Qt's own.

#include "ui/cardindex.h"
#include "ui/stackeditems.h"
#include "ui/wirepath.h"

#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QtTest>

#include <memory>
#include <vector>

using namespace nc::ui;

namespace {

bool paints(const QGraphicsItem& item) {
    return !(item.flags() & QGraphicsItem::ItemHasNoContents);
}

} // namespace

class CanvasIndexTest : public QObject {
    Q_OBJECT

private slots:
    void cardIndexAnswersOverlaps_data();
    void cardIndexAnswersOverlaps();
    void cardIndexFollowsMovesAndRemovals();
    void onlyTheTopOfAStackPaints();
    void wirePointsAgreeWithQt_data();
    void wirePointsAgreeWithQt();
};

void CanvasIndexTest::cardIndexAnswersOverlaps_data() {
    QTest::addColumn<QRectF>("box");
    QTest::addColumn<bool>("overlaps");
    // Cards at (0,0) 200x100, (1000,0) 200x100 and (-600,-600) 200x100.
    QTest::newRow("inside a card") << QRectF(50, 50, 10, 10) << true;
    QTest::newRow("across a bucket edge") << QRectF(250, 50, 10, 10) << false;
    QTest::newRow("between cards") << QRectF(400, 0, 300, 100) << false;
    QTest::newRow("touching an edge only") << QRectF(200, 0, 50, 50) << false;
    QTest::newRow("over the far card") << QRectF(1150, 90, 100, 100) << true;
    QTest::newRow("negative coordinates") << QRectF(-450, -550, 10, 10) << true;
    QTest::newRow("larger than everything") << QRectF(-5000, -5000, 10000, 10000) << true;
    QTest::newRow("far away") << QRectF(1e9, 1e9, 10, 10) << false;
}

void CanvasIndexTest::cardIndexAnswersOverlaps() {
    QFETCH(QRectF, box);
    QFETCH(bool, overlaps);
    CardIndex cards;
    cards.place(1, QRectF(0, 0, 200, 100));
    cards.place(2, QRectF(1000, 0, 200, 100));
    cards.place(3, QRectF(-600, -600, 200, 100));
    QCOMPARE(cards.intersectsAny(box), overlaps);
}

void CanvasIndexTest::cardIndexFollowsMovesAndRemovals() {
    CardIndex cards;
    // A thousand cards at one place are one entry; each still counts until it is gone.
    for (int id = 1; id <= 1000; ++id)
        QVERIFY(cards.place(id, QRectF(0, 0, 200, 100)));
    QVERIFY(!cards.place(7, QRectF(0, 0, 200, 100))); // already there
    QCOMPARE(cards.size(), std::size_t(1000));
    const QRectF box(250, 0, 20, 20);
    QVERIFY(!cards.intersectsAny(box));
    QVERIFY(cards.place(7, QRectF(240, 0, 200, 100))); // moved under the box
    QVERIFY(cards.intersectsAny(box));
    cards.remove(7);
    QVERIFY(!cards.intersectsAny(box));
    for (int id = 1; id <= 999; ++id)
        cards.remove(id == 7 ? 1000 : id);
    QVERIFY(!cards.intersectsAny(QRectF(50, 50, 10, 10)));
    QCOMPARE(cards.size(), std::size_t(0));
}

void CanvasIndexTest::onlyTheTopOfAStackPaints() {
    QGraphicsScene scene;
    StackedItems stacks;
    std::vector<QGraphicsRectItem*> items;
    for (int i = 0; i < 4; ++i) { // added in this order: the last is on top
        items.push_back(scene.addRect(0, 0, 10, 10));
        stacks.place(items.back(), StackedItems::keyOf(items.back()->sceneBoundingRect()));
    }
    QVERIFY(!paints(*items[0]) && !paints(*items[1]) && !paints(*items[2]) && paints(*items[3]));
    // The top one leaves the stack: the one under it paints; it is alone where it went.
    items[3]->setPos(50, 0);
    stacks.place(items[3], StackedItems::keyOf(items[3]->sceneBoundingRect()));
    QVERIFY(paints(*items[2]) && paints(*items[3]) && !paints(*items[1]));
    // A lower one joins a stack from below: the top one keeps painting.
    items[0]->setPos(50, 0);
    stacks.place(items[0], StackedItems::keyOf(items[0]->sceneBoundingRect()));
    QVERIFY(!paints(*items[0]) && paints(*items[3]));
    stacks.remove(items[3]);
    QVERIFY(paints(*items[0]));
    // Items with different shapes never hide each other.
    auto* other = scene.addRect(0, 0, 11, 10);
    stacks.place(other, StackedItems::keyOf(other->sceneBoundingRect()));
    QVERIFY(paints(*other) && paints(*items[2]));
    // Wires are keyed by their path.
    QPainterPath a(QPointF(0, 0)), b(QPointF(0, 0));
    a.cubicTo(10, 0, 20, 10, 30, 10);
    b.cubicTo(10, 0, 20, 10, 30, 10);
    auto* first = scene.addPath(a);
    stacks.place(first, StackedItems::keyOf(a));
    auto* second = scene.addPath(b);
    stacks.place(second, StackedItems::keyOf(b));
    QVERIFY(!paints(*first) && paints(*second));
}

void CanvasIndexTest::wirePointsAgreeWithQt_data() {
    QTest::addColumn<QPainterPath>("path");
    QPainterPath forward(QPointF(196, 40));
    forward.cubicTo(QPointF(236, 40), QPointF(240, 300), QPointF(280, 300));
    QTest::newRow("an S curve") << forward;
    QPainterPath back(QPointF(196, 40));
    back.cubicTo(QPointF(286, 40), QPointF(-90, 40), QPointF(0, 40));
    QTest::newRow("a loop back onto its card") << back;
    QTest::newRow("a routed wire")
        << roundedPolyline({{0, 0}, {100, 0}, {100, 200}, {400, 200}, {400, 50}});
    QTest::newRow("a backward wire") << backwardWire({900, 100}, {0, 400}, 350);
    QPainterPath line(QPointF(0, 0));
    line.lineTo(300, 0);
    QTest::newRow("a straight line") << line;
}

void CanvasIndexTest::wirePointsAgreeWithQt() {
    QFETCH(QPainterPath, path);
    const std::vector<double> ts = {0, 0.18, 0.26, 0.34, 0.42, 0.5, 0.58, 0.66, 0.74, 0.82, 1};
    const std::vector<QPointF> points = pointsAtPercents(path, ts);
    QCOMPARE(points.size(), ts.size());
    for (std::size_t i = 0; i < ts.size(); ++i) {
        const QPointF qt = path.pointAtPercent(ts[i]);
        QVERIFY2(QLineF(points[i], qt).length() < 0.5,
                 qPrintable(QString("t %1: (%2, %3) against Qt's (%4, %5)")
                                .arg(ts[i])
                                .arg(points[i].x())
                                .arg(points[i].y())
                                .arg(qt.x())
                                .arg(qt.y())));
    }
}

QTEST_MAIN(CanvasIndexTest)
#include "tst_canvasindex.moc"
