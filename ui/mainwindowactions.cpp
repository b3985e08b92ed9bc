// MainWindow, part two: its menus, toolbar and shortcuts, the canvas context menus and
// quick-add (mainwindow.cpp has the window, its docks and its files).

#include "mainwindow.h"

#include "applylayout.h"
#include "canvasstyle.h"
#include "cardmenu.h"
#include "clipboard.h"
#include "commands/movenodescommand.h"
#include "documentactions.h"
#include "graphdocument.h"
#include "graphscene.h"
#include "graphview.h"
#include "inspectorwidget.h"
#include "layeractions.h"
#include "minimap.h"
#include "orphanedrecovery.h"
#include "palettewidget.h"
#include "problemswidget.h"
#include "quickadd.h"
#include "shortcutsheet.h"
#include "summarywidget.h"

#include "graph_model/graphjson.h"

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoView>

namespace nc::ui {

using namespace nc::graph;

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New"), QKeySequence::New, this, &MainWindow::newDocument);
    file->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::openDialog);
    QMenu* examples = file->addMenu(tr("Open &Example"));
    for (const QString& name : exampleNames())
        examples->addAction(name, this, [this, name] { openExample(name); });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    file->addAction(tr("Save &As..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this,
                    &MainWindow::saveAs);
    file->addSeparator();
    QAction* loadWeights = file->addAction(
        tr("Load &Weights..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W), this, [this] {
            const QString path = QFileDialog::getOpenFileName(
                this, tr("Load Weights"), {}, tr("Weights (*.safetensors);;All files (*)"));
            if (!path.isEmpty())
                this->loadWeights(path);
        });
    loadWeights->setToolTip(tr("Probe with the weights in a checkpoint or a PyTorch state dict "
                               "saved as safetensors"));
    QAction* exportOnnx =
        file->addAction(tr("&Export to ONNX..."), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
            QString suggested = m_document->filePath();
            suggested = suggested.isEmpty() ? QStringLiteral("network.onnx")
                                            : QFileInfo(suggested).path() + "/" +
                                                  QFileInfo(suggested).completeBaseName() + ".onnx";
            const QString path = QFileDialog::getSaveFileName(this, tr("Export to ONNX"), suggested,
                                                              tr("ONNX models (*.onnx)"));
            if (!path.isEmpty())
                this->exportOnnx(path);
        });
    QAction* importOnnx = file->addAction(
        tr("&Import ONNX..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this, [this] {
            if (!maybeSave())
                return;
            const QString path = QFileDialog::getOpenFileName(
                this, tr("Import ONNX"), QSettings().value("lastDir").toString(),
                tr("ONNX models (*.onnx);;All files (*)"));
            if (!path.isEmpty())
                this->importOnnx(path);
        });
    importOnnx->setToolTip(tr("Open an ONNX model (for instance from torch.onnx.export) as a "
                              "graph, with its weights in the Probe dock"));
    exportOnnx->setToolTip(tr("Write the network with the Probe dock's weights as an ONNX "
                              "model for inference"));
    file->addSeparator();
    // Every window: each asks about its own unsaved changes, and a Cancel stops the quit.
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    // Undo and redo that a training run may refuse (structural steps wait until it stops).
    QUndoStack* stack = m_document->undoStack();
    auto* undo = new QAction(tr("&Undo"), this);
    auto* redo = new QAction(tr("&Redo"), this);
    auto refreshUndo = [this, stack, undo, redo] {
        undo->setEnabled(stack->canUndo());
        redo->setEnabled(stack->canRedo());
        undo->setText(stack->undoText().isEmpty() ? tr("&Undo")
                                                  : tr("&Undo %1").arg(stack->undoText()));
        redo->setText(stack->redoText().isEmpty() ? tr("&Redo")
                                                  : tr("&Redo %1").arg(stack->redoText()));
    };
    connect(stack, &QUndoStack::indexChanged, this, refreshUndo);
    connect(stack, &QUndoStack::cleanChanged, this, refreshUndo);
    refreshUndo();
    connect(undo, &QAction::triggered, this, [this, stack] {
        if (m_document->canUndoNow())
            stack->undo();
        else
            m_document->refuseStructuralEdit();
    });
    connect(redo, &QAction::triggered, this, [this, stack] {
        if (m_document->canRedoNow())
            stack->redo();
        else
            m_document->refuseStructuralEdit();
    });
    undo->setShortcuts(QKeySequence::Undo);
    redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(tr("Cu&t"), QKeySequence::Cut, this, [this] {
        copySelection();
        deleteSelection();
    });
    edit->addAction(tr("&Copy"), QKeySequence::Copy, this, &MainWindow::copySelection);
    edit->addAction(tr("&Paste"), QKeySequence::Paste, this, &MainWindow::paste);
    edit->addAction(tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D), this,
                    &MainWindow::duplicate);
    QAction* remove = edit->addAction(tr("&Delete"), this, &MainWindow::deleteSelection);
    remove->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    edit->addAction(tr("Select &All"), QKeySequence::SelectAll, this, [this] {
        for (QGraphicsItem* item : m_scene->items())
            if (dynamic_cast<NodeItem*>(item))
                item->setSelected(true);
    });
    edit->addAction(tr("Re&name"), QKeySequence(Qt::Key_F2), this, [this] {
        const auto ids = m_scene->selectedNodes();
        if (ids.size() == 1)
            startRename(ids.front());
    });
    edit->addAction(tr("Add &Layer..."), QKeySequence(Qt::Key_Tab), this,
                    [this] {
                        openQuickAdd(
                            m_view->viewport()->mapToGlobal(m_view->viewport()->rect().center()),
                            quickAddHere(m_view->dropPoint()));
                    })
        ->setShortcutContext(Qt::WidgetShortcut);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(tr("Zoom &In"), this, [this] { m_view->zoomBy(1.25); })
        ->setShortcuts(
            {QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    m_viewMenu->addAction(tr("Zoom &Out"), QKeySequence(Qt::CTRL | Qt::Key_Minus), this,
                          [this] { m_view->zoomBy(0.8); });
    m_viewMenu->addAction(tr("Actual &Size"), QKeySequence(Qt::CTRL | Qt::Key_1), m_view,
                          &GraphView::resetZoom);
    m_viewMenu->addAction(tr("&Fit to View"), QKeySequence(Qt::CTRL | Qt::Key_0), m_view,
                          &GraphView::fitToContents);
    QAction* minimap = m_viewMenu->addAction(tr("&Minimap"), QKeySequence(Qt::CTRL | Qt::Key_M),
                                             this, [this](bool on) {
                                                 m_minimap->setEnabledByUser(on);
                                                 QSettings().setValue("view/minimap", on);
                                             });
    minimap->setCheckable(true);
    minimap->setChecked(QSettings().value("view/minimap", true).toBool());
    m_minimap->setEnabledByUser(minimap->isChecked());
    m_viewMenu->addAction(tr("Auto &Layout"), QKeySequence(Qt::CTRL | Qt::Key_L), this,
                          &MainWindow::autoLayout);
    QMenu* direction = m_viewMenu->addMenu(tr("Layout &Direction"));
    auto* directions = new QActionGroup(this);
    for (auto [text, value] : {std::pair{tr("&Left to Right"), LayoutDirection::LeftToRight},
                               std::pair{tr("&Top to Bottom"), LayoutDirection::TopToBottom}}) {
        QAction* action = direction->addAction(text, this, [this, value = value] {
            setLayoutDirection(value);
            autoLayout();
        });
        action->setCheckable(true);
        action->setChecked(value == m_layoutDirection);
        directions->addAction(action);
    }
    m_viewMenu->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        m_viewMenu->addAction(dock->toggleViewAction());

    createTrainMenu();
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence(Qt::Key_F1), this, [this] {
        if (!m_shortcutSheet)
            m_shortcutSheet = createShortcutSheet(this);
        m_shortcutSheet->show();
        m_shortcutSheet->raise();
    });
    help->addAction(tr("&About NetCanvas"), this, [this] {
        QMessageBox::about(
            this, tr("About NetCanvas"),
            tr("<b>NetCanvas</b> %1<br>Design, train and debug neural networks visually.")
                .arg(QApplication::applicationVersion()));
    });

    QToolBar* tools = addToolBar(tr("Main"));
    tools->setObjectName("toolbar");
    tools->addAction(undo);
    tools->addAction(redo);
    tools->addSeparator();
    tools->addAction(tr("Auto Layout"), this, &MainWindow::autoLayout);
    tools->addAction(tr("Fit"), m_view, &GraphView::fitToContents);

    connect(m_view, &GraphView::canvasMenuRequested, this, [this](QPoint global, QPointF at) {
        auto* menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addAction(tr("&Add Layer..."), this, [this, global, at] {
            openQuickAdd(global, {QuickAddTarget::AtPoint, at});
        });
        menu->addAction(tr("&Paste"), this, &MainWindow::paste);
        menu->addSeparator();
        menu->addAction(tr("Auto &Layout"), this, &MainWindow::autoLayout);
        menu->addAction(tr("&Fit to View"), m_view, &GraphView::fitToContents);
        menu->popup(global);
    });
    connect(m_view, &GraphView::cardMenuRequested, this, [this](NodeId id, QPoint global) {
        const auto selected = m_scene->selectedNodes();
        if (std::find(selected.begin(), selected.end(), id) == selected.end())
            m_scene->selectNodes({id});
        CardMenuHooks hooks;
        hooks.rename = [this](NodeId node) { startRename(node); };
        hooks.duplicateSelection = [this] { duplicate(); };
        hooks.deleteSelection = [this] { deleteSelection(); };
        hooks.insertAfter = [this, global](NodeId node) {
            openQuickAdd(global, {QuickAddTarget::After, {}, node});
        };
        hooks.message = [this](const QString& text) { showMessage(text); };
        hooks.checkGradients = [this](NodeId node) { checkGradients(node); };
        createCardMenu(this, m_document, id, hooks)->popup(global);
    });
    connect(m_scene, &GraphScene::wireDropped, this,
            [this](NodeId node, bool output, PortIndex port, QPointF at, QPoint global) {
                QuickAddTarget target{QuickAddTarget::Wire, at, node, output, port};
                openQuickAdd(global, target,
                             compatibleLayers(m_document->graph(), node, output, port));
            });
}

// Quick-add at a point, after the selected card, or at the end of a dropped wire.
void MainWindow::openQuickAdd(QPoint global, QuickAddTarget target, const QStringList& allowed) {
    m_quickAddTarget = target;
    m_quickAdd->popup(global, allowed);
}

void MainWindow::addFromQuickAdd(const QString& type) {
    const QuickAddTarget t = m_quickAddTarget;
    NodeId id = kNoNode;
    QString refusal;
    const Position at{t.at.x() - CanvasStyle::kNodeWidth / 2, t.at.y() - 20};
    if (t.kind == QuickAddTarget::After && m_document->graph().node(t.node))
        id = insertLayerAfter(m_document, t.node, type, &refusal);
    else if (t.kind == QuickAddTarget::Wire && m_document->graph().node(t.node))
        id = addWiredLayer(m_document, type, at, t.node, t.output, t.port, &refusal);
    else
        id = addLayer(m_document, type, {t.at.x(), t.at.y()});
    if (!refusal.isEmpty())
        showMessage(refusal);
    if (id != kNoNode)
        m_scene->selectNodes({id});
}

// With one card selected, quick-add inserts after it; otherwise it adds at the point.
MainWindow::QuickAddTarget MainWindow::quickAddHere(QPointF at) const {
    const auto selected = m_scene->selectedNodes();
    if (selected.size() == 1)
        return {QuickAddTarget::After, at, selected.front()};
    return {QuickAddTarget::AtPoint, at};
}

} // namespace nc::ui
