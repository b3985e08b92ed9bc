#pragma once
// The comparison table: one row per epoch and, for each run overlaid, a group of columns:
// training loss, validation loss, validation accuracy and seconds per epoch (the seed
// paper's Standard-vs-Modified CNN table). Copy as CSV or as Markdown.

#include <QHash>
#include <QWidget>

class QTableWidget;

namespace nc::ui {

class RunLibrary;

class ComparisonTable : public QWidget {
    Q_OBJECT

public:
    explicit ComparisonTable(RunLibrary* runs, QWidget* parent = nullptr);
    QTableWidget* table() const { return m_table; }
    QString toCsv() const;
    QString toMarkdown() const;
    void rebuild();

private:
    struct Cells {
        QStringList header;            // "run: train loss", ...
        std::vector<QStringList> rows; // "epoch", values...
    };
    Cells cells() const;

    RunLibrary* m_runs;
    QTableWidget* m_table;
    QHash<QString, int> m_epochRows; // the epochs each run had at the last rebuild
};

} // namespace nc::ui
