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

namespace {

constexpr const char* kGraphMimeType = "application/x-netcanvas-graph";
constexpr int kMaxRecent = 8;
constexpr int kAutosaveMs = 30'000;

} // namespace

MainWindow::MainWindow(const QString& recoveryDirectory, QWidget* parent)
    : QMainWindow(parent), m_document(new GraphDocument(this)),
      m_scene(new GraphScene(m_document, this)), m_view(new GraphView),
      m_quickAdd(new QuickAddPopup(this)), m_paramsLabel(new QLabel), m_zoomLabel(new QLabel), m_autosave(new QTimer(this)),
      m_recovery(recoveryDirectory) {
    m_view->setScene(m_scene);
    setCentralWidget(m_view);
    m_minimap = new Minimap(m_view);
    setAcceptDrops(true);
    if (QSettings().value("layout/direction").toString() == "top-to-bottom")
        m_layoutDirection = LayoutDirection::TopToBottom;
    createDocks();
    createActions();
    statusBar()->addPermanentWidget(m_zoomLabel);
    statusBar()->addPermanentWidget(m_paramsLabel);
    m_zoomLabel->setToolTip(tr("Zoom (Ctrl+0 fits the graph, Ctrl+1 is 100%)"));
    connect(m_view, &GraphView::zoomChanged, this,
            [this](double zoom) { m_zoomLabel->setText(tr("%1%").arg(qRound(zoom * 100))); });
    m_zoomLabel->setText(tr("%1%").arg(qRound(m_view->zoom() * 100)));

    connect(m_document, &GraphDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &GraphDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &GraphDocument::graphReset, this, [this] { m_recoveredFrom.clear(); });
    connect(m_document, &GraphDocument::inferenceChanged, this, &MainWindow::updateStatus);
    connect(m_scene, &GraphScene::message, this, &MainWindow::showMessage);
    connect(m_scene, &GraphScene::renameRequested, this, &MainWindow::startRename);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        const auto ids = m_scene->selectedNodes();
        m_inspector->setNode(ids.size() == 1 ? ids.front() : kNoNode);
        updateStatus();
    });
    connect(m_view, &GraphView::layerDropped, this, [this](const QString& type, QPointF at) {
        const NodeId id =
            addLayer(m_document, type, {at.x() - CanvasStyle::kNodeWidth / 2, at.y() - 20});
        m_scene->selectNodes({id});
    });
    connect(m_view, &GraphView::quickAddRequested, this, [this](QPoint global, QPointF at) {
        openQuickAdd(global, quickAddHere(at));
    });
    connect(m_quickAdd, &QuickAddPopup::chosen, this, &MainWindow::addFromQuickAdd);
    connect(m_autosave, &QTimer::timeout, this, &MainWindow::autosaveNow);
    m_autosave->start(kAutosaveMs);

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    if (!settings.contains("window/geometry")) {
        resize(1500, 920);
        const auto docks = findChildren<QDockWidget*>();
        for (QDockWidget* d : docks) {
            if (d->objectName() == "palette")
                resizeDocks({d}, {190}, Qt::Horizontal);
            if (d->objectName() == "inspector")
                resizeDocks({d}, {330}, Qt::Horizontal);
            if (d->objectName() == "problems")
                resizeDocks({d}, {110}, Qt::Vertical);
        }
    }
    rebuildRecentMenu();
    updateTitle();
    updateStatus();
}

MainWindow::~MainWindow() {
    // The scene goes first: its items would otherwise report selection changes to an
    // inspector whose document is already gone.
    disconnect(m_scene, nullptr, this, nullptr);
    m_view->setScene(nullptr);
    delete m_scene;
    // The document is a child deleted by ~QWidget, after this body: its undo stack then
    // reports "clean changed" to slots of a window that is no longer a MainWindow.
    disconnect(m_document, nullptr, this, nullptr);
}

void MainWindow::createDocks() {
    auto dock = [this](const QString& title, const QString& name, QWidget* widget,
                       Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    m_palette = new PaletteWidget;
    dock(tr("Layers"), "palette", m_palette, Qt::LeftDockWidgetArea);
    connect(m_palette, &PaletteWidget::layerActivated, this, [this](const QString& type) {
        const QPointF at =
            m_view->dropPoint() + QPointF(24.0 * (m_pasteCount % 6), 24.0 * (m_pasteCount % 6));
        ++m_pasteCount;
        m_scene->selectNodes(
            {addLayer(m_document, type, {at.x() - CanvasStyle::kNodeWidth / 2, at.y()})});
    });
    m_inspector = new InspectorWidget(m_document);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_inspector);
    scroll->setWidgetResizable(true);
    dock(tr("Inspector"), "inspector", scroll, Qt::RightDockWidgetArea)->setMinimumWidth(300);
    m_problems = new ProblemsWidget(m_document);
    dock(tr("Problems"), "problems", m_problems, Qt::BottomDockWidgetArea);
    connect(m_problems, &ProblemsWidget::nodeActivated, this, &MainWindow::selectAndShow);
    m_summary = new SummaryWidget(m_document);
    auto* summary = dock(tr("Network Summary"), "summary", m_summary, Qt::BottomDockWidgetArea);
    tabifyDockWidget(findChild<QDockWidget*>("problems"), summary);
    findChild<QDockWidget*>("problems")->raise();
    connect(m_summary, &SummaryWidget::nodeActivated, this, &MainWindow::selectAndShow);
    auto* history = dock(tr("History"), "history", new QUndoView(m_document->undoStack()),
                         Qt::RightDockWidgetArea);
    history->hide();
}

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
    // Every window: each asks about its own unsaved changes, and a Cancel stops the quit.
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts(QKeySequence::Undo);
    QAction* redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                        QKeySequence(Qt::CTRL | Qt::Key_Y)});
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
    m_viewMenu
        ->addAction(tr("Zoom &In"), this, [this] { m_view->zoomBy(1.25); })
        ->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Plus),
                        QKeySequence(Qt::CTRL | Qt::Key_Equal)});
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

QStringList MainWindow::exampleNames() {
    return QDir(":/examples")
        .entryList({"*.json"}, QDir::Files, QDir::Name)
        .replaceInStrings(".json", "");
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] - NetCanvas").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateStatus() {
    const InferenceResult& inf = m_document->inference();
    int errors = 0;
    for (const Diagnostic& d : inf.diagnostics())
        errors += d.severity == Severity::Error;
    m_paramsLabel->setText(
        tr("%1 layers   %2 parameters   %3")
            .arg(m_document->graph().nodeCount())
            .arg(QString::fromStdString(formatCount(inf.totalParams)))
            .arg(errors ? tr("%n problem(s)", nullptr, errors) : tr("shapes OK")));
}

void MainWindow::showMessage(const QString& text) {
    if (text.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(text, 8000);
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified())
        return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them?").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        save();
        return !m_document->isModified();
    }
    return true;
}

void MainWindow::newDocument() {
    if (!maybeSave())
        return;
    m_document->reset(Graph(), {});
}

void MainWindow::openDialog() {
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Graph"), QSettings().value("lastDir").toString(),
        tr("NetCanvas graphs (*.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::openFile(const QString& path, bool interactive) {
    QString error;
    if (!m_document->load(path, &error)) {
        if (interactive)
            QMessageBox::warning(this, tr("Cannot open %1").arg(QFileInfo(path).fileName()), error);
        showMessage(tr("Not opened: %1").arg(error.section('\n', 0, 0)));
        return false;
    }
    QSettings().setValue("lastDir", QFileInfo(path).absolutePath());
    addRecent(QFileInfo(path).absoluteFilePath());
    m_view->fitToContents();
    return true;
}

void MainWindow::openExample(const QString& name) {
    if (!maybeSave())
        return;
    QString error;
    GraphDocument probe;
    if (!probe.load(":/examples/" + name + ".json", &error)) {
        QMessageBox::warning(this, tr("Cannot open the example"), error);
        return;
    }
    m_document->reset(probe.graph(), {}, name + ".json");
    m_view->fitToContents();
}

bool MainWindow::saveTo(const QString& path) {
    QString error;
    if (!m_document->save(path, &error)) {
        QMessageBox::warning(this, tr("Not saved"), error);
        return false;
    }
    addRecent(QFileInfo(path).absoluteFilePath());
    showMessage(tr("Saved %1").arg(path));
    return true;
}

void MainWindow::save() {
    if (m_document->filePath().isEmpty())
        saveAs();
    else
        saveTo(m_document->filePath());
}

void MainWindow::saveAs() {
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Graph"),
        QDir(QSettings().value("lastDir").toString()).filePath(m_document->displayName()),
        tr("NetCanvas graphs (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += ".json";
    saveTo(path);
}

void MainWindow::addRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value("recentFiles").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue("recentFiles", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    for (const QString& path : recent)
        m_recentMenu
            ->addAction(QFileInfo(path).fileName(), this,
                        [this, path] {
                            if (maybeSave())
                                openFile(path);
                        })
            ->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::copySelection() {
    const auto ids = m_scene->selectedNodes();
    if (ids.empty())
        return;
    const QByteArray text = QByteArray::fromStdString(copyNodes(m_document->graph(), ids));
    auto* mime = new QMimeData;
    mime->setData(kGraphMimeType, text);
    mime->setText(QString::fromUtf8(text));
    QApplication::clipboard()->setMimeData(mime);
}

void MainWindow::paste() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime)
        return;
    const QByteArray text =
        mime->hasFormat(kGraphMimeType) ? mime->data(kGraphMimeType) : mime->text().toUtf8();
    QString error;
    const double shift = 40.0 * (++m_pasteCount % 8);
    const auto ids = pasteNodes(m_document, text.toStdString(), {shift, shift}, &error);
    if (ids.empty())
        showMessage(error.isEmpty() ? tr("Nothing to paste")
                                    : tr("Cannot paste: %1").arg(error.section('\n', 0, 0)));
    m_scene->selectNodes(ids);
}

void MainWindow::duplicate() {
    const auto ids = m_scene->selectedNodes();
    if (ids.empty())
        return;
    m_scene->selectNodes(
        pasteNodes(m_document, copyNodes(m_document->graph(), ids), {40, 40}, nullptr));
}

void MainWindow::deleteSelection() {
    deleteItems(m_document, m_scene->selectedNodes(), m_scene->selectedEdges());
}

void MainWindow::autoLayout() {
    const QSize viewport = m_view->viewport()->size();
    const double aspect = double(std::max(1, viewport.width())) / std::max(1, viewport.height());
    const QString problem = applyAutoLayout(m_document, m_scene, m_layoutDirection, aspect);
    if (!problem.isEmpty())
        statusBar()->showMessage(problem, 8000);
    m_view->fitToContents();
}

void MainWindow::setLayoutDirection(LayoutDirection direction) {
    m_layoutDirection = direction;
    QSettings().setValue("layout/direction",
                         direction == LayoutDirection::TopToBottom ? "top-to-bottom" : "left-to-right");
}

void MainWindow::startRename(NodeId id) {
    NodeItem* item = m_scene->nodeItem(id);
    if (!item)
        return;
    auto* editor = new QLineEdit(m_view->viewport());
    editor->setText(QString::fromStdString(m_document->graph().node(id)->name));
    editor->selectAll();
    const QPoint at = m_view->mapFromScene(item->mapToScene(QPointF(6, 3)));
    editor->setGeometry(at.x(), at.y(), int(CanvasStyle::kNodeWidth * m_view->zoom()) - 12, 24);
    editor->show();
    editor->setFocus();
    connect(editor, &QLineEdit::editingFinished, this, [this, editor, id] {
        if (!editor->isVisible())
            return;
        editor->hide();
        const QString refused = renameNode(m_document, id, editor->text().trimmed());
        if (!refused.isEmpty())
            showMessage(tr("Not renamed: %1").arg(refused));
        editor->deleteLater();
    });
}

void MainWindow::selectAndShow(NodeId id) {
    m_scene->selectNodes({id});
    if (NodeItem* item = m_scene->nodeItem(id))
        m_view->centerOn(item);
}

void MainWindow::autosaveNow() {
    if (!m_document->isModified()) {
        m_recovery.clear(); // saved, or undone back to the file: nothing left to recover
        return;
    }
    QString error;
    const QString original =
        m_document->filePath().isEmpty() ? m_recoveredFrom : m_document->filePath();
    if (!m_recovery.save(m_document->graph(), original, &error))
        showMessage(error);
}

bool MainWindow::restore(Recovery recovered, OrphanedRecovery& orphan) {
    const QString original = recovered.originalPath;
    m_document->reset(std::move(recovered.graph), {},
                      original.isEmpty() ? tr("recovered.json") : QFileInfo(original).fileName());
    m_recoveredFrom = original;
    // Unsaved again: mark modified by clearing the clean state.
    m_document->undoStack()->resetClean();
    updateTitle();
    m_view->fitToContents();
    QString error;
    if (!m_recovery.save(m_document->graph(), original, &error)) {
        showMessage(error);
        orphan.release();
        return false;
    }
    orphan.discard();
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_autosave->stop();
    m_recovery.release();
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    if (maybeSave())
        openFile(urls.first().toLocalFile());
    event->acceptProposedAction();
}

} // namespace nc::ui
