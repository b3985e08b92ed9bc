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
#include "loadedweights.h"
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
#include <QShowEvent>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoView>

#include <algorithm>

namespace nc::ui {

namespace {

// A file written by a script that gave no positions: every card at one spot.
bool cardsShareOnePlace(const nc::graph::Graph& graph) {
    const std::vector<nc::graph::NodeId> ids = graph.nodeIds();
    if (ids.size() < 2)
        return false;
    const nc::graph::Position first = graph.node(ids.front())->position;
    return std::all_of(ids.begin(), ids.end(),
                       [&](nc::graph::NodeId id) { return graph.node(id)->position == first; });
}

} // namespace

using namespace nc::graph;

namespace {

constexpr const char* kGraphMimeType = "application/x-netcanvas-graph";
constexpr int kMaxRecent = 8;
constexpr int kAutosaveMs = 30'000;

} // namespace

MainWindow::MainWindow(const QString& recoveryDirectory, QWidget* parent)
    : QMainWindow(parent), m_document(new GraphDocument(this)),
      m_scene(new GraphScene(m_document, this)), m_view(new GraphView),
      m_quickAdd(new QuickAddPopup(this)), m_paramsLabel(new QLabel), m_zoomLabel(new QLabel),
      m_autosave(new QTimer(this)), m_recovery(recoveryDirectory) {
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
    connect(m_view, &GraphView::quickAddRequested, this,
            [this](QPoint global, QPointF at) { openQuickAdd(global, quickAddHere(at)); });
    connect(m_quickAdd, &QuickAddPopup::chosen, this, &MainWindow::addFromQuickAdd);
    connect(m_autosave, &QTimer::timeout, this, &MainWindow::autosaveNow);
    m_autosave->start(kAutosaveMs);

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    if (!settings.contains("window/geometry")) {
        resize(1500, 920);
        m_dockSizesPending = true; // set once the window has its real size: showEvent()
    }
    rebuildRecentMenu();
    updateTitle();
    updateStatus();
}

// The first time without a saved layout: the canvas gets most of the room, at any window size
// (set before the window is shown, the docks kept their share of a size it never had).
void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!m_dockSizesPending)
        return;
    m_dockSizesPending = false;
    // The right-hand docks as wide as the widest asks (the Probe dock's views), within
    // reason: the canvas keeps more than half the window.
    int right = 330;
    for (QDockWidget* d : findChildren<QDockWidget*>())
        if (dockWidgetArea(d) == Qt::RightDockWidgetArea && d->widget())
            right = std::max(right, d->widget()->sizeHint().width());
    right = std::min(right, int(width() * 0.42));
    for (QDockWidget* d : findChildren<QDockWidget*>()) {
        if (d->objectName() == "palette")
            resizeDocks({d}, {190}, Qt::Horizontal);
        if (d->objectName() == "inspector")
            resizeDocks({d}, {right}, Qt::Horizontal);
        if (d->objectName() == "charts")
            resizeDocks({d}, {std::max(160, height() / 4)}, Qt::Vertical);
    }
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

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* widget,
                                 Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name); // saveState() keys on it
    d->setWidget(widget);
    addDockWidget(area, d);
    return d;
}

void MainWindow::createDocks() {
    auto dock = [this](const QString& title, const QString& name, QWidget* widget,
                       Qt::DockWidgetArea area) { return addDock(title, name, widget, area); };
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
    m_loadedWeights = new LoadedWeights(this);
    createTrainingDocks(); // first: it forgets the previous graph's weights on a reset
    createProbeDocks();
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

bool MainWindow::openFile(const QString& path, bool interactive, QString* error) {
    QString problem;
    if (!m_document->load(path, &problem)) {
        if (interactive)
            QMessageBox::warning(this, tr("Cannot open %1").arg(QFileInfo(path).fileName()),
                                 problem);
        showMessage(tr("Not opened: %1").arg(problem.section('\n', 0, 0)));
        if (error)
            *error = problem;
        return false;
    }
    QSettings().setValue("lastDir", QFileInfo(path).absolutePath());
    addRecent(QFileInfo(path).absoluteFilePath());
    m_view->fitToContents();
    if (cardsShareOnePlace(m_document->graph()))
        showMessage(tr("Every layer sits at the same place: Auto Layout (Ctrl+L) spreads them out"));
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
    QSettings().setValue("layout/direction", direction == LayoutDirection::TopToBottom
                                                 ? "top-to-bottom"
                                                 : "left-to-right");
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
    if (!confirmStopTraining() || !maybeSave()) {
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
