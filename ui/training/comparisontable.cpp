#include "comparisontable.h"

#include "runlibrary.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace nc::ui {

namespace {

const char* const kColumns[] = {QT_TRANSLATE_NOOP("ComparisonTable", "train loss"),
                                QT_TRANSLATE_NOOP("ComparisonTable", "val loss"),
                                QT_TRANSLATE_NOOP("ComparisonTable", "val acc"),
                                QT_TRANSLATE_NOOP("ComparisonTable", "s/epoch")};

QString number(double v, int decimals) {
    return std::isnan(v) ? QString() : QString::number(v, 'f', decimals);
}

QString csvCell(QString text) {
    if (text.contains(',') || text.contains('"') || text.contains('\n'))
        return '"' + text.replace('"', "\"\"") + '"';
    return text;
}

} // namespace

ComparisonTable::ComparisonTable(RunLibrary* runs, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_table(new QTableWidget) {
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* copyCsv = new QPushButton(tr("Copy as CSV"));
    auto* copyMarkdown = new QPushButton(tr("Copy as Markdown"));
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(copyCsv);
    buttons->addWidget(copyMarkdown);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    connect(copyCsv, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(toCsv()); });
    connect(copyMarkdown, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(toMarkdown()); });
    connect(runs, &RunLibrary::runsChanged, this, &ComparisonTable::rebuild);
    connect(runs, &RunLibrary::overlayChanged, this, &ComparisonTable::rebuild);
    // A live run's batches arrive ~20 times a second; the table changes only with its epochs.
    connect(runs, &RunLibrary::runUpdated, this, [this](const QString& folder) {
        const RunData* run = m_runs->find(folder);
        const int epochs = run ? int(run->epochs.size()) : 0;
        if (m_epochRows.value(folder, -1) != epochs)
            rebuild();
    });
    rebuild();
}

ComparisonTable::Cells ComparisonTable::cells() const {
    Cells c;
    c.header << tr("epoch");
    std::vector<const RunData*> runs;
    int epochs = 0;
    for (const auto& run : m_runs->runs())
        if (m_runs->isOverlaid(run->folder)) {
            runs.push_back(run.get());
            for (const char* column : kColumns)
                c.header << run->name + ": " + tr(column);
            if (!run->epochs.empty())
                epochs = std::max(epochs, run->epochs.back().epoch);
        }
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        QStringList row{QString::number(epoch)};
        for (const RunData* run : runs) {
            const engine::EpochReport* r = nullptr;
            for (const engine::EpochReport& e : run->epochs)
                if (e.epoch == epoch)
                    r = &e;
            if (!r) {
                row << ""
                    << ""
                    << ""
                    << "";
                continue;
            }
            row << number(r->trainLoss, 4) << number(r->valLoss, 4)
                << (std::isnan(r->valAccuracy) ? QString() : number(r->valAccuracy * 100, 2) + " %")
                << number(r->seconds, 1);
        }
        c.rows.push_back(row);
    }
    return c;
}

void ComparisonTable::rebuild() {
    m_epochRows.clear();
    for (const auto& run : m_runs->runs())
        m_epochRows[run->folder] = int(run->epochs.size());
    const Cells c = cells();
    m_table->clear();
    m_table->setColumnCount(int(c.header.size()));
    m_table->setRowCount(int(c.rows.size()));
    QStringList header = c.header;
    for (QString& h : header)
        h.replace(": ", "\n");
    m_table->setHorizontalHeaderLabels(header);
    for (int r = 0; r < int(c.rows.size()); ++r)
        for (int col = 0; col < int(c.rows[std::size_t(r)].size()); ++col) {
            auto* item = new QTableWidgetItem(c.rows[std::size_t(r)][col]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(r, col, item);
        }
}

QString ComparisonTable::toCsv() const {
    const Cells c = cells();
    QStringList lines;
    QStringList header;
    for (const QString& h : c.header)
        header << csvCell(h);
    lines << header.join(',');
    for (const QStringList& row : c.rows) {
        QStringList cellsOut;
        for (const QString& v : row)
            cellsOut << csvCell(QString(v).remove(" %"));
        lines << cellsOut.join(',');
    }
    return lines.join('\n') + '\n';
}

QString ComparisonTable::toMarkdown() const {
    const Cells c = cells();
    auto line = [](const QStringList& cells) {
        QStringList escaped;
        for (const QString& v : cells)
            escaped << QString(v).replace('|', "\\|");
        return "| " + escaped.join(" | ") + " |";
    };
    QStringList lines{line(c.header)};
    QStringList rule;
    for (int i = 0; i < c.header.size(); ++i)
        rule << (i == 0 ? "---" : "---:");
    lines << "| " + rule.join(" | ") + " |";
    for (const QStringList& row : c.rows)
        lines << line(row);
    return lines.join('\n') + '\n';
}

} // namespace nc::ui
