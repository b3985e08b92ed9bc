// The canvas as a user drives it: dragging from port to port connects (or says why not),
// Tab opens the quick-add popup and Enter adds the best fuzzy match, Delete removes.

#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/mainwindow.h"
#include "ui/quickadd.h"

#include <QLineEdit>
#include <QMenuBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc::graph;
using namespace nc::ui;

namespace {

QPoint viewPoint(MainWindow& w, NodeId node, PortRef port) {
    return w.view()->mapFromScene(w.scene()->nodeItem(node)->portScenePos(port));
}

void dragBetween(MainWindow& w, QPoint from, QPoint to) {
    QWidget* viewport = w.view()->viewport();
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), viewport->mapToGlobal(QPointF(to)),
                     Qt::NoButton, Qt::LeftButton, {});
    QApplication::sendEvent(viewport, &move);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
}

} // namespace

class InteractionTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void dragConnectsPorts() {
        QTemporaryDir dir;
        MainWindow w(dir.path());
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openExample("mnist_cnn");
        const Graph& g = w.document()->graph();
        const NodeId pool2 = g.findByName("pool2")->id;
        const NodeId flat = addLayer(w.document(), "Flatten",
                                     {g.node(pool2)->position.x, g.node(pool2)->position.y + 420});
        w.view()->fitToContents();
        QApplication::processEvents();

        dragBetween(w, viewPoint(w, pool2, {true, 0}), viewPoint(w, flat, {false, 0}));
        QVERIFY(g.edgeInto(flat, 0).has_value());
        QCOMPARE(g.edgeInto(flat, 0)->outNode, pool2);
        QCOMPARE(w.scene()->edgeItem(*g.edgeInto(flat, 0))->label(), QString("32x4x4"));

        // From the loss's output into a layer: refused, and the status bar says why.
        const NodeId loss = g.findByName("loss")->id, fc1 = g.findByName("fc1")->id;
        const auto before = g.edges();
        dragBetween(w, viewPoint(w, loss, {true, 0}), viewPoint(w, fc1, {false, 0}));
        QCOMPARE(g.edges(), before);
        QVERIFY2(w.statusBar()->currentMessage().contains("a loss feeds no other layer"),
                 qPrintable(w.statusBar()->currentMessage()));
        w.document()->undoStack()->setClean();
    }

    void tabAddsTheBestMatch() {
        QTemporaryDir dir;
        MainWindow w(dir.path());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openExample("mlp");
        const std::size_t before = w.document()->graph().nodeCount();
        w.view()->setFocus();
        QTest::keyClick(w.view(), Qt::Key_Tab);
        auto* popup = w.findChild<QuickAddPopup*>();
        QVERIFY(popup && popup->isVisible());
        QLineEdit* search = popup->findChild<QLineEdit*>();
        QTest::keyClicks(search, "cv2");
        QCOMPARE(popup->matches().first(), QString("Conv2D"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(w.document()->graph().nodeCount(), before + 1);
        const auto selected = w.scene()->selectedNodes();
        QCOMPARE(selected.size(), std::size_t(1));
        QCOMPARE(w.document()->graph().node(selected[0])->type, std::string("Conv2D"));

        QTest::keyClick(w.view(), Qt::Key_Delete);
        QCOMPARE(w.document()->graph().nodeCount(), before);
        w.document()->undoStack()->setClean();
    }

    void everyMenuActionRuns() {
        QTemporaryDir dir;
        MainWindow w(dir.path());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openExample("modified_cnn");
        const QStringList modal{"&Open...",
                                "Save &As...",
                                "&Quit",
                                "&About NetCanvas",
                                "&New",
                                "&Save",
                                "Resume from &Checkpoint...",
                                "Runs &Folder...",
                                "Load &Weights...",
                                "&Export to ONNX...",
                                "&Import ONNX..."};
        int triggered = 0;
        for (int round = 0; round < 2; ++round) {
            for (QAction* menu : w.menuBar()->actions()) {
                for (QAction* action : menu->menu()->actions()) {
                    if (action->isSeparator() || action->menu() || modal.contains(action->text()) ||
                        !action->isEnabled())
                        continue;
                    // Something selected for the actions that need it.
                    w.scene()->selectNodes({w.document()->graph().nodeIds().front(),
                                            w.document()->graph().nodeIds().back()});
                    action->trigger();
                    QApplication::processEvents();
                    ++triggered;
                    QCOMPARE(w.scene()->nodeItemCount(), w.document()->graph().nodeCount());
                    QCOMPARE(w.scene()->edgeItemCount(), w.document()->graph().edges().size());
                }
            }
        }
        QVERIFY(triggered > 30);
        while (w.document()->undoStack()->canUndo())
            w.document()->undoStack()->undo();
        QCOMPARE(w.scene()->nodeItemCount(), w.document()->graph().nodeCount());
        w.document()->undoStack()->setClean();
    }

    void fuzzyRanking() {
        QCOMPARE(fuzzyScore("zz", "Conv2D"), -1);
        QVERIFY(fuzzyScore("mp", "MaxPool2D") > fuzzyScore("mp", "SimpleRNN"));
        QVERIFY(fuzzyScore("dense", "Dense") > fuzzyScore("dense", "Deconv2D"));
    }
};

QTEST_MAIN(InteractionTest)
#include "tst_interaction.moc"
