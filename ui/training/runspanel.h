#pragma once
// The Runs panel: every run with its colour, name (F2 or a double-click renames it), graph,
// data, status, best validation accuracy, epochs and duration, and a checkbox that overlays
// it on the charts and in the comparison table. Its context menu resumes a run, opens its
// graph, shows its folder or deletes it (after asking).

#include <QWidget>

class QTreeWidget;
class QTreeWidgetItem;
class QLabel;

namespace nc::ui {

class RunLibrary;
struct RunData;

class RunsPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunsPanel(RunLibrary* runs, QWidget* parent = nullptr);
    QTreeWidget* tree() const { return m_tree; }
    // Asks, then deletes the run in `folder` (false if declined or refused).
    bool deleteRun(const QString& folder, bool ask = true);

signals:
    void resumeRequested(const QString& checkpointPath);
    void openGraphRequested(const QString& graphPath);
    // Probe (and show the filters) with a run's weights: those it stopped with, else its
    // last epoch's checkpoint. `label` names the run and epoch.
    void probeWeightsRequested(const QString& weightsPath, const QString& label);

private:
    void rebuild();
    void updateRow(QTreeWidgetItem* item, const RunData& run);
    QTreeWidgetItem* itemFor(const QString& folder) const;
    void showMenu(const QPoint& at);

    RunLibrary* m_runs;
    QTreeWidget* m_tree;
    QLabel* m_footer;
    bool m_rebuilding = false;
};

} // namespace nc::ui
