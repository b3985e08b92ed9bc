// The gestures of the editor issue: inserting after a card, bypassing, disconnecting, quick-add
// offering only layers that fit a dropped wire (and wiring them), losses wired to the Input's
// target, cards landing in free space, undo entries that name the layer, the shortcut sheet,
// the zoom percentage, the Network summary dock, the inspector's link toggle and port
// tooltips, and the minimap.

#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/inspectorwidget.h"
#include "ui/layeractions.h"
#include "ui/mainwindow.h"
#include "ui/minimap.h"
#include "ui/nodeitem.h"
#include "ui/placement.h"
#include "ui/quickadd.h"
#include "ui/shortcutsheet.h"
#include "ui/summarywidget.h"

#include "graph_model/graph.h"

#include "uitesting.h"
#include <QDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>

#include <QtTest>

using namespace nc::graph;
using namespace nc::ui;
using nc::test::loadExample;

namespace {

NodeId idOf(const GraphDocument& doc, const char* name) {
    return doc.graph().findByName(name)->id;
}

bool wired(const GraphDocument& doc, const char* from, NodeId to, PortIndex port = 0) {
    const auto e = doc.graph().edgeInto(to, port);
    return e && e->outNode == idOf(doc, from);
}

} // namespace

class CardActionsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void insertAfterRewiresAndUndoesInOneStep() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        const auto before = doc.graph().edges();
        QString refusal;
        const NodeId bn = insertLayerAfter(&doc, idOf(doc, "conv1"), "BatchNorm", &refusal);
        QVERIFY2(bn != kNoNode, qPrintable(refusal));
        QVERIFY(wired(doc, "conv1", bn));
        QCOMPARE(doc.graph().edgeInto(idOf(doc, "pool1"), 0)->outNode, bn);
        QCOMPARE(doc.undoStack()->undoText(), QString("Insert BatchNorm after conv1"));
        QVERIFY(doc.inference().diagnostics().empty());
        doc.undoStack()->undo();
        QVERIFY(doc.graph().edges() == before);
        QVERIFY(!doc.graph().node(bn));
    }

    void bypassJoinsWhatFedToWhatWasFed() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        const NodeId pool2 = idOf(doc, "pool2");
        const NodeId next = doc.graph().edgesOutOf(pool2).front().inNode;
        QCOMPARE(bypassLayer(&doc, pool2), QString());
        QVERIFY(!doc.graph().node(pool2));
        QVERIFY(wired(doc, "conv2", next));
        QCOMPARE(doc.undoStack()->undoText(), QString("Bypass pool2"));
        doc.undoStack()->undo();
        QVERIFY(doc.graph().node(pool2));
        QVERIFY(wired(doc, "pool2", next));
        // A layer with two inputs cannot be bypassed, and says why.
        GraphDocument branches;
        loadExample(branches, "modified_cnn");
        QVERIFY(bypassLayer(&branches, idOf(branches, "merge")).contains("one wired input"));
    }

    void disconnectInputs() {
        GraphDocument doc;
        loadExample(doc, "modified_cnn");
        const NodeId merge = idOf(doc, "merge");
        QCOMPARE(nc::ui::disconnectInputs(&doc, merge), QString());
        QVERIFY(doc.graph().edgesInto(merge).empty());
        doc.undoStack()->undo();
        QCOMPARE(doc.graph().edgesInto(merge).size(), std::size_t(2));
        QVERIFY(nc::ui::disconnectInputs(&doc, idOf(doc, "input")).contains("no inputs"));
    }

    void droppedWireOffersLayersThatFit() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        const QStringList afterMaps = compatibleLayers(doc.graph(), idOf(doc, "conv1"), true, 0);
        QVERIFY(afterMaps.contains("MaxPool2D"));
        QVERIFY(afterMaps.contains("Flatten"));
        QVERIFY(!afterMaps.contains("Input"));
        const QStringList afterVector = compatibleLayers(doc.graph(), idOf(doc, "fc1"), true, 0);
        QVERIFY(afterVector.contains("Dense"));
        QVERIFY2(!afterVector.contains("Conv2D"), "a convolution does not fit a vector");
        QVERIFY(!afterVector.contains("MaxPool2D"));
        // Losses are offered where the prediction and the Input's target fit.
        const QStringList afterLogits = compatibleLayers(doc.graph(), idOf(doc, "logits"), true, 0);
        QVERIFY(afterLogits.contains("SoftmaxCrossEntropy"));
        QVERIFY(!afterMaps.contains("SoftmaxCrossEntropy"));
        // The popup offers exactly those, and every one can be reached from the keyboard.
        QuickAddPopup popup;
        popup.popup(QPoint(10, 10), afterVector);
        QCOMPARE(popup.matches().size(), afterVector.size());
        popup.hide();
    }

    void wiredQuickAddAndLossTarget() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        const NodeId logits = idOf(doc, "logits");
        QString refusal;
        const NodeId loss =
            addWiredLayer(&doc, "SoftmaxCrossEntropy", {0, 900}, logits, true, 0, &refusal);
        QVERIFY2(loss != kNoNode && refusal.isEmpty(), qPrintable(refusal));
        QVERIFY(wired(doc, "logits", loss, 0));
        QVERIFY2(wired(doc, "input", loss, 1), "the loss's target comes from the one Input");
        QCOMPARE(doc.graph().edgeInto(loss, 1)->outPort, 1);
        // Added from the palette or quick-add at a point: the same, in one undo step.
        const int steps = doc.undoStack()->count();
        const NodeId mse = addLayer(&doc, "MSE", {900, 900});
        QVERIFY(wired(doc, "input", mse, 1));
        QCOMPARE(doc.undoStack()->count(), steps + 1);
        doc.undoStack()->undo();
        QVERIFY(!doc.graph().node(mse));
    }

    void newCardsLandInFreeSpace() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        const Position taken = doc.graph().node(idOf(doc, "conv1"))->position;
        const NodeId added = addLayer(&doc, "Dense", taken);
        const Position at = doc.graph().node(added)->position;
        QVERIFY(at.x != taken.x || at.y != taken.y);
        for (NodeId id : doc.graph().nodeIds()) {
            if (id == added)
                continue;
            const Position p = doc.graph().node(id)->position;
            QVERIFY2(std::abs(p.x - at.x) >= 196 || std::abs(p.y - at.y) >= 150,
                     qPrintable(QString("on top of %1").arg(id)));
        }
    }

    void undoEntriesNameTheLayer() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        const NodeId conv1 = idOf(doc, "conv1");
        QCOMPARE(setParameter(&doc, conv1, "kernel_size", IntList{3, 3}), QString());
        QCOMPARE(doc.undoStack()->undoText(), QString("Set kernel size of conv1"));
        QCOMPARE(renameNode(&doc, conv1, "stem"), QString());
        QCOMPARE(doc.undoStack()->undoText(), QString("Rename conv1 to stem"));
    }

    void shortcutSheetAndZoomPercentage() {
        QTemporaryDir dir;
        MainWindow window(dir.path());
        window.openExample("mnist_cnn");
        window.show();
        QDialog* sheet = createShortcutSheet(&window);
        auto* table = sheet->findChild<QTableWidget*>();
        QVERIFY(table);
        QStringList keys;
        for (int r = 0; r < table->rowCount(); ++r)
            keys << table->item(r, 1)->text() + "=" + table->item(r, 2)->text();
        const QString all = keys.join("\n");
        QVERIFY2(all.contains("Redo=Ctrl+Shift+Z, Ctrl+Y"), qPrintable(all));
        QVERIFY2(all.contains("Zoom In=Ctrl++, Ctrl+="), qPrintable(all));
        QVERIFY2(all.contains("Save As=Ctrl+Shift+S"), qPrintable(all));
        QVERIFY2(all.contains("Keyboard Shortcuts=F1"), qPrintable(all));
        delete sheet;
        window.view()->resetZoom();
        QStringList labels;
        for (QLabel* label : window.statusBar()->findChildren<QLabel*>())
            labels << label->text();
        QVERIFY2(labels.contains("100%"), qPrintable(labels.join(" | ")));
        window.view()->zoomBy(0.5);
        labels.clear();
        for (QLabel* label : window.statusBar()->findChildren<QLabel*>())
            labels << label->text();
        QVERIFY2(labels.contains("50%"), qPrintable(labels.join(" | ")));
        window.document()->undoStack()->setClean();
    }

    void linkedPairsAreOneEdit() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        InspectorWidget inspector(&doc);
        const NodeId conv1 = idOf(doc, "conv1");
        inspector.setNode(conv1);
        auto* link = inspector.findChild<QToolButton*>("link_kernel_size");
        QVERIFY(link);
        QVERIFY2(link->isChecked(), "a square kernel starts linked");
        auto* h = link->parentWidget()->findChildren<QSpinBox*>().first();
        const int before = doc.undoStack()->count();
        h->setValue(3);
        QCOMPARE(std::get<IntList>(*doc.graph().node(conv1)->params.find("kernel_size")),
                 IntList({3, 3}));
        QCOMPARE(doc.undoStack()->count(), before + 1);
        QCOMPARE(doc.undoStack()->undoText(), QString("Set kernel size of conv1"));
        link->setChecked(false);
        h->setValue(5);
        QCOMPARE(std::get<IntList>(*doc.graph().node(conv1)->params.find("kernel_size")),
                 IntList({5, 3}));
    }

    void portsExplainThemselves() {
        GraphDocument doc;
        loadExample(doc, "mnist_cnn");
        GraphScene scene(&doc);
        const QString in = scene.nodeItem(idOf(doc, "conv1"))->portToolTip({false, 0});
        QVERIFY2(in.contains("<b>in</b> (input)") && in.contains("1x28x28"), qPrintable(in));
        const QString y = scene.nodeItem(idOf(doc, "input"))->portToolTip({true, 1});
        QVERIFY2(y.contains("<b>y</b> (output)") && y.contains("Labels or targets."),
                 qPrintable(y));
    }

    void minimapShowsWhenTheGraphDoesNotFit() {
        GraphDocument doc;
        loadExample(doc, "modified_cnn");
        GraphScene scene(&doc);
        GraphView view;
        view.setScene(&scene);
        view.resize(900, 600);
        view.show();
        Minimap map(&view);
        view.fitToContents();
        map.updateVisibility();
        QVERIFY2(!map.isVisible(), "everything fits: no minimap");
        view.resetZoom();
        view.zoomBy(3.0);
        map.updateVisibility();
        QVERIFY(map.isVisible());
        // A click in the overview moves the view there.
        const QPointF before = view.mapToScene(view.viewport()->rect().center());
        QTest::mouseClick(&map, Qt::LeftButton, {}, QPoint(10, 10));
        const QPointF after = view.mapToScene(view.viewport()->rect().center());
        QVERIFY(QLineF(before, after).length() > 50);
        map.setEnabledByUser(false);
        QVERIFY(!map.isVisible());
    }

    void summaryDockFollowsEdits() {
        GraphDocument doc;
        loadExample(doc, "catsdogs_cnn");
        SummaryWidget summary(&doc);
        summary.show();
        QCOMPARE(summary.table()->model()->rowCount(), int(doc.graph().nodeCount()));
        QVERIFY(summary.warnings()->item(0)->text().contains("of the parameters"));
        QVERIFY(summary.markdown().contains("| **total** |"));
        QVERIFY(summary.csv().startsWith("id,name,type,output"));
        // An edit shows within a moment (one refresh for a run of edits): a layer more.
        QString refusal;
        insertLayerAfter(&doc, doc.graph().findByName("fc1")->id, "Dense", &refusal);
        QTRY_COMPARE(summary.table()->model()->rowCount(), int(doc.graph().nodeCount()));
    }

    // Time Layers fills the Forward and Backward columns in the background; an edit clears them.
    void summaryTimesLayers() {
        GraphDocument doc;
        loadExample(doc, "mlp");
        SummaryWidget summary(&doc);
        summary.show();
        summary.findChild<QSpinBox*>()->setValue(16);
        const QAbstractItemModel* table = summary.table()->model();
        const int forward = table->columnCount() - 2, backward = table->columnCount() - 1;
        QCOMPARE(table->headerData(forward, Qt::Horizontal).toString(), QString("Forward ms"));
        auto timeOf = [&](const char* layer, int column) {
            for (int r = 0; r < table->rowCount(); ++r)
                if (table->index(r, 0).data().toString() == layer)
                    return table->index(r, column).data().toString();
            return QString("no row");
        };
        QVERIFY(timeOf("fc1", forward).isEmpty());
        QTest::mouseClick(summary.timeLayersButton(), Qt::LeftButton);
        QVERIFY(!summary.timeLayersButton()->isEnabled());
        QVERIFY(summary.timingNote()->text().contains("batch 16"));
        QTRY_VERIFY_WITH_TIMEOUT(summary.timeLayersButton()->isEnabled(), 30000);
        QVERIFY2(summary.timingNote()->text().contains("ms a training pass"),
                 qPrintable(summary.timingNote()->text()));
        QVERIFY(timeOf("fc1", forward).toDouble() > 0);
        QVERIFY(timeOf("fc1", backward).toDouble() > 0);
        QVERIFY(timeOf("input", forward).isEmpty()); // the Input is no op
        QString refusal;
        insertLayerAfter(&doc, doc.graph().findByName("fc1")->id, "Dense", &refusal);
        QVERIFY(timeOf("fc1", forward).isEmpty());
        QVERIFY(summary.timingNote()->isHidden());
    }

    // A batch with no room on this machine (catsdogs_cnn at a million: terabytes) is refused
    // before anything runs.
    void summaryRefusesToTimeABatchWithNoRoom() {
        GraphDocument doc;
        loadExample(doc, "catsdogs_cnn");
        SummaryWidget summary(&doc);
        summary.show();
        summary.findChild<QSpinBox*>()->setValue(1 << 20);
        QTest::mouseClick(summary.timeLayersButton(), Qt::LeftButton);
        QVERIFY(summary.timeLayersButton()->isEnabled());
        QVERIFY2(summary.timingNote()->text().contains("choose a smaller batch"),
                 qPrintable(summary.timingNote()->text()));
    }
};

QTEST_MAIN(CardActionsTest)
#include "tst_cardactions.moc"
