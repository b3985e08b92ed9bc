#include "runspanel.h"

#include "runlibrary.h"

#include "ui/canvasstyle.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace nc::ui {

namespace {

enum Column { Name, Graph, Data, Status, BestAccuracy, Epochs, Duration, Columns };
constexpr int kFolderRole = Qt::UserRole + 1;

QString durationText(double seconds) {
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QString("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60);
    if (s >= 60)
        return QString("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QString("%1 s").arg(s);
}

} // namespace

RunsPanel::RunsPanel(RunLibrary* runs, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_tree(new QTreeWidget), m_footer(new QLabel) {
    m_tree->setColumnCount(Columns);
    m_tree->setHeaderLabels({tr("Run"), tr("Graph"), tr("Data"), tr("Status"), tr("Best val acc"),
                             tr("Epochs"), tr("Duration")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setSortingEnabled(false);
    m_footer->setStyleSheet("color: palette(mid);");
    m_footer->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);
    layout->addWidget(m_footer);

    connect(runs, &RunLibrary::runsChanged, this, &RunsPanel::rebuild);
    connect(runs, &RunLibrary::overlayChanged, this, &RunsPanel::rebuild);
    connect(runs, &RunLibrary::runUpdated, this, [this](const QString& folder) {
        if (QTreeWidgetItem* item = itemFor(folder))
            if (const RunData* run = m_runs->find(folder))
                updateRow(item, *run);
    });
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item, int column) {
        if (m_rebuilding || column != Name)
            return;
        const QString folder = item->data(Name, kFolderRole).toString();
        const bool checked = item->checkState(Name) == Qt::Checked;
        if (checked != m_runs->isOverlaid(folder))
            m_runs->setOverlaid(folder, checked);
        if (const RunData* run = m_runs->find(folder); run && item->text(Name) != run->name)
            m_runs->rename(folder, item->text(Name));
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, &RunsPanel::showMenu);
    rebuild();
}

QTreeWidgetItem* RunsPanel::itemFor(const QString& folder) const {
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->data(Name, kFolderRole).toString() == folder)
            return m_tree->topLevelItem(i);
    return nullptr;
}

void RunsPanel::rebuild() {
    m_rebuilding = true;
    m_tree->clear();
    // Newest first.
    const auto& runs = m_runs->runs();
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        auto* item = new QTreeWidgetItem(m_tree);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsEditable);
        item->setData(Name, kFolderRole, (*it)->folder);
        updateRow(item, **it);
    }
    m_footer->setText(
        m_runs->runs().empty()
            ? tr("No runs yet in %1. Start one with Train ▸ Start (F5).")
                  .arg(QDir::toNativeSeparators(m_runs->root()))
            : tr("%n run(s) in %1", nullptr, int(m_runs->runs().size()))
                      .arg(QDir::toNativeSeparators(m_runs->root())) +
                  (m_runs->warnings().isEmpty()
                       ? QString()
                       : "\n" + tr("Not all could be read: ") + m_runs->warnings().join("; ")));
    m_rebuilding = false;
}

void RunsPanel::updateRow(QTreeWidgetItem* item, const RunData& run) {
    const bool wasRebuilding = m_rebuilding;
    m_rebuilding = true;
    item->setText(Name, run.name);
    item->setIcon(Name, CanvasStyle::swatch(run.color));
    item->setCheckState(Name, m_runs->isOverlaid(run.folder) ? Qt::Checked : Qt::Unchecked);
    item->setToolTip(Name, QDir::toNativeSeparators(run.folder));
    item->setText(Graph, run.graphName());
    item->setText(Data, QString::fromStdString(run.info.data));
    QString status =
        run.live ? tr("training")
                 : QString::fromStdString(std::string(engine::runStatusName(run.info.status)));
    if (!run.live && run.info.status == engine::RunStatus::Running)
        status = tr("interrupted"); // run.json says running, but no process trains it
    item->setText(Status, status);
    item->setToolTip(Status, QString::fromStdString(run.info.error));
    const double best = run.bestValAccuracy();
    item->setText(BestAccuracy,
                  std::isnan(best) ? QString("–") : QString("%1 %").arg(best * 100, 0, 'f', 2));
    item->setText(Epochs, QString("%1/%2").arg(run.epochs.size()).arg(run.info.config.epochs));
    item->setText(Duration, durationText(run.trainingSeconds()));
    for (int c : {BestAccuracy, Epochs, Duration})
        item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    m_rebuilding = wasRebuilding;
}

bool RunsPanel::deleteRun(const QString& folder, bool ask) {
    const RunData* run = m_runs->find(folder);
    if (!run)
        return false;
    if (ask && QMessageBox::question(this, tr("Delete Run"),
                                     tr("Delete the run \"%1\" and its folder %2?\nIts "
                                        "checkpoint, metrics and event files go with it.")
                                         .arg(run->name, QDir::toNativeSeparators(folder)),
                                     QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel) != QMessageBox::Yes)
        return false;
    QString error;
    if (!m_runs->remove(folder, &error)) {
        QMessageBox::warning(this, tr("Delete Run"), error);
        return false;
    }
    return true;
}

void RunsPanel::showMenu(const QPoint& at) {
    QTreeWidgetItem* item = m_tree->itemAt(at);
    if (!item)
        return;
    const QString folder = item->data(Name, kFolderRole).toString();
    const RunData* run = m_runs->find(folder);
    if (!run)
        return;
    QMenu menu;
    const QString checkpoint = QDir(folder).filePath("checkpoint.safetensors");
    QAction* resume = menu.addAction(tr("Resume Training"), this,
                                     [this, checkpoint] { emit resumeRequested(checkpoint); });
    resume->setEnabled(!run->live && QFileInfo::exists(checkpoint) &&
                       int(run->epochs.size()) < run->info.config.epochs);
    if (!QFileInfo::exists(checkpoint))
        resume->setToolTip(tr("No epoch finished, so there is no checkpoint to resume from"));
    const QString stopped = QDir(folder).filePath("stopped.safetensors");
    const QString weights = QFileInfo::exists(stopped) ? stopped : checkpoint;
    const QString label = tr("%1, epoch %2").arg(run->name).arg(run->epochs.size());
    QAction* probe = menu.addAction(tr("Probe with Its Weights"), this, [this, weights, label] {
        emit probeWeightsRequested(weights, label);
    });
    probe->setEnabled(!run->live && QFileInfo::exists(weights));
    if (run->live)
        probe->setToolTip(
            tr("This run is training: the Probe dock's 'Live run' weights follow it"));
    menu.addAction(tr("Open Its Graph"), this, [this, folder] {
        emit openGraphRequested(QDir(folder).filePath("graph.json"));
    });
    menu.addAction(tr("Show Folder"), this,
                   [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
    menu.addSeparator();
    menu.addAction(tr("Rename"), this, [this, item] { m_tree->editItem(item, Name); });
    QAction* remove = menu.addAction(tr("Delete..."), this, [this, folder] { deleteRun(folder); });
    remove->setEnabled(!run->live);
    menu.exec(m_tree->viewport()->mapToGlobal(at));
}

} // namespace nc::ui
