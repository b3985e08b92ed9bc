#include "summarywidget.h"

#include "graphdocument.h"

#include "graph_model/networksummary.h"
#include "graph_model/shape.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace nc::ui {

using namespace nc::graph;

namespace {

enum Column { kName, kType, kOutput, kParams, kMultiplyAdds, kActivations, kColumns };

QTableWidgetItem* number(std::int64_t value) {
    auto* item = new QTableWidgetItem(QString::fromStdString(formatCount(value)));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setData(Qt::UserRole + 1, qlonglong(value));
    return item;
}

} // namespace

SummaryWidget::SummaryWidget(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_table(new QTableWidget(0, kColumns)),
      m_totals(new QLabel), m_memory(new QLabel), m_batch(new QSpinBox),
      m_warnings(new QListWidget) {
    m_table->setHorizontalHeaderLabels({tr("Layer"), tr("Type"), tr("Output"), tr("Parameters"),
                                        tr("Multiply-adds"), tr("Activation memory")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setToolTip(tr("Per sample: multiply-adds of one forward pass, and the memory of "
                           "the values each layer outputs (float32)."));
    m_batch->setRange(1, 1 << 20);
    m_batch->setPrefix(tr("batch "));
    m_batch->setToolTip(tr("The batch size the training memory is estimated for"));
    m_warnings->setMaximumHeight(3 * m_warnings->fontMetrics().height() + 8);
    auto* copyMarkdown = new QPushButton(tr("Copy as Markdown"));
    auto* copyCsv = new QPushButton(tr("Copy as CSV"));
    auto* memoryRow = new QHBoxLayout;
    memoryRow->addWidget(m_memory, 1);
    memoryRow->addWidget(m_batch);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_totals, 1);
    buttons->addWidget(copyMarkdown);
    buttons->addWidget(copyCsv);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addLayout(memoryRow);
    layout->addWidget(m_warnings);
    m_memory->setWordWrap(true);

    connect(copyMarkdown, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(markdown()); });
    connect(copyCsv, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(csv()); });
    connect(m_batch, &QSpinBox::valueChanged, this, [this] {
        m_batchChosen = true; // from now on the user's, not the graph's
        refresh();
    });
    connect(m_document, &GraphDocument::inferenceChanged, this, [this] {
        m_stale = true;
        if (isVisible())
            refresh();
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        emit nodeActivated(NodeId(m_table->item(row, kName)->data(Qt::UserRole).toLongLong()));
    });
    connect(m_warnings, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        emit nodeActivated(NodeId(item->data(Qt::UserRole).toLongLong()));
    });
}

void SummaryWidget::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void SummaryWidget::refresh() {
    m_stale = false;
    const Graph& graph = m_document->graph();
    if (!m_batchChosen && graph.training()) {
        const QSignalBlocker quiet(m_batch);
        m_batch->setValue(int(graph.training()->batch));
    }
    const NetworkSummary s = summarizeNetwork(graph, m_document->inference(), m_batch->value());
    m_table->setRowCount(int(s.layers.size()));
    for (int r = 0; r < int(s.layers.size()); ++r) {
        const LayerSummary& l = s.layers[std::size_t(r)];
        auto* name = new QTableWidgetItem(QString::fromStdString(l.name));
        name->setData(Qt::UserRole, qlonglong(l.id));
        m_table->setItem(r, kName, name);
        m_table->setItem(r, kType, new QTableWidgetItem(QString::fromStdString(l.type)));
        m_table->setItem(r, kOutput, new QTableWidgetItem(QString::fromStdString(l.output)));
        m_table->setItem(r, kParams, number(l.params));
        m_table->setItem(r, kMultiplyAdds, number(l.multiplyAdds));
        auto* memory = new QTableWidgetItem(QString::fromStdString(formatBytes(4 * l.activations)));
        memory->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        memory->setToolTip(tr("%1 values").arg(QString::fromStdString(formatCount(l.activations))));
        m_table->setItem(r, kActivations, memory);
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(kOutput, QHeaderView::Stretch);
    m_totals->setText(tr("<b>%1</b> parameters; per sample <b>%2</b> multiply-adds and <b>%3</b> "
                         "of activations")
                          .arg(QString::fromStdString(formatCount(s.params)),
                               QString::fromStdString(formatCount(s.multiplyAdds)),
                               QString::fromStdString(formatBytes(4 * s.activations))));
    const TrainingMemory& m = s.memory;
    m_memory->setText(tr("Training memory (%1): about <b>%2</b> = weights %3 + gradients %4 + "
                         "optimizer %5 + activations %6")
                          .arg(QString::fromStdString(m.optimizer),
                               QString::fromStdString(formatBytes(m.total())),
                               QString::fromStdString(formatBytes(m.weightBytes)),
                               QString::fromStdString(formatBytes(m.gradientBytes)),
                               QString::fromStdString(formatBytes(m.optimizerBytes)),
                               QString::fromStdString(formatBytes(m.activationBytes))));
    m_warnings->clear();
    for (const SummaryWarning& w : s.warnings) {
        auto* item = new QListWidgetItem(QString::fromStdString(w.message));
        item->setData(Qt::UserRole, qlonglong(w.node));
        item->setForeground(QColor(0xb2, 0x6a, 0x00));
        m_warnings->addItem(item);
    }
    if (s.warnings.empty())
        m_warnings->addItem(tr("No warnings about the design."));
}

QString SummaryWidget::markdown() const {
    return QString::fromStdString(summaryMarkdown(
        summarizeNetwork(m_document->graph(), m_document->inference(), m_batch->value())));
}

QString SummaryWidget::csv() const {
    return QString::fromStdString(summaryCsv(
        summarizeNetwork(m_document->graph(), m_document->inference(), m_batch->value())));
}

} // namespace nc::ui
