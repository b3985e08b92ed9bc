#include "summarywidget.h"

#include "backgroundpool.h"
#include "graphdocument.h"
#include "summarytablemodel.h"

#include "engine/backendlist.h"

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
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <new>
#include <string>

#include <unistd.h>

namespace nc::ui {

using namespace nc::graph;

SummaryWidget::SummaryWidget(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_table(new QTableView),
      m_model(new SummaryTableModel(this)), m_refreshSoon(new QTimer(this)),
      m_totals(new QLabel), m_memory(new QLabel), m_batch(new QSpinBox),
      m_warnings(new QListWidget), m_timeLayers(new QPushButton(tr("Time Layers"))),
      m_timingNote(new QLabel) {
    m_table->setModel(m_model);
    // Columns fit the first rows: measuring a thousand after every edit of a large graph took
    // longer than the edit.
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_timeLayers->setToolTip(tr("Time each layer's forward and backward pass on made-up inputs "
                                "at the batch size below, on the CPU with one thread, in the "
                                "background: the mean over about a second of passes"));
    m_timingNote->setWordWrap(true);
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
    buttons->addWidget(m_timeLayers);
    buttons->addWidget(copyMarkdown);
    buttons->addWidget(copyCsv);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addLayout(memoryRow);
    layout->addWidget(m_timingNote);
    layout->addWidget(m_warnings);
    m_timingNote->hide();
    m_memory->setWordWrap(true);

    connect(copyMarkdown, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(markdown()); });
    connect(copyCsv, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(csv()); });
    connect(m_timeLayers, &QPushButton::clicked, this, &SummaryWidget::startTiming);
    connect(m_batch, &QSpinBox::valueChanged, this, [this] {
        m_batchChosen = true; // from now on the user's, not the graph's
        dropTiming();
        refresh();
    });
    // Summing up every layer again costs about as much as the graph is large (20 ms at 20,000
    // layers), so a run of edits is followed by one refresh, as plots are replotted.
    m_refreshSoon->setSingleShot(true);
    m_refreshSoon->setInterval(100);
    connect(m_refreshSoon, &QTimer::timeout, this, [this] {
        if (m_stale && isVisible())
            refresh();
    });
    connect(m_document, &GraphDocument::inferenceChanged, this, [this] {
        dropTiming();
        m_stale = true;
        if (isVisible() && !m_refreshSoon->isActive())
            m_refreshSoon->start();
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit nodeActivated(NodeId(m_model->index(index.row(), SummaryTableModel::Name)
                                      .data(SummaryTableModel::NodeIdRole)
                                      .toLongLong()));
    });
    connect(m_warnings, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        emit nodeActivated(NodeId(item->data(Qt::UserRole).toLongLong()));
    });
}

SummaryWidget::~SummaryWidget() {
    if (m_timingCancelled)
        *m_timingCancelled = true;
}

void SummaryWidget::startTiming() {
    dropTiming();
    const int batch = m_batch->value();
    // A batch the machine has no room for is refused here rather than failing in the
    // background: the summary's estimate against half of the memory.
    const std::int64_t needed =
        summarizeNetwork(m_document->graph(), m_document->inference(), batch).memory.total();
    const std::int64_t room = std::int64_t(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE) / 2;
    if (needed > room) {
        m_timingNote->setText(tr("Batch %1 would need about %2 of memory to time, more than half "
                                 "of this machine's %3: choose a smaller batch.")
                                  .arg(batch)
                                  .arg(QString::fromStdString(formatBytes(needed)),
                                       QString::fromStdString(formatBytes(2 * room))));
        m_timingNote->show();
        return;
    }
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    m_timingCancelled = cancelled;
    m_timeLayers->setEnabled(false);
    m_timingNote->setText(tr("Timing each layer on the CPU (one thread), batch %1…").arg(batch));
    m_timingNote->show();
    runLatest(
        this, &SummaryWidget::m_timingGeneration,
        [graph = m_document->graph(), batch, cancelled]() -> nc::core::Result<engine::LayerTiming> {
            try {
                auto model = engine::Model::compile(graph);
                if (!model)
                    return model.status();
                engine::initializeParameters(model.value().params(), 1);
                auto cpu = engine::createBackend("cpu");
                if (!cpu)
                    return cpu.status();
                return engine::timeLayers(model.value(), *cpu.value(), batch, 1.0, [cancelled] {
                    return cancelled->load() || backgroundPoolQuitting();
                });
            } catch (const std::bad_alloc&) {
                return nc::core::Status::error("out of memory at batch " + std::to_string(batch));
            } catch (const std::exception& e) {
                return nc::core::Status::error(e.what());
            }
        },
        [batch](SummaryWidget& widget, const nc::core::Result<engine::LayerTiming>& timing) {
            widget.showTiming(timing, batch);
        });
}

void SummaryWidget::showTiming(const nc::core::Result<engine::LayerTiming>& timing, int batch) {
    m_timingCancelled.reset();
    m_timeLayers->setEnabled(true);
    if (!timing) {
        m_timingNote->setText(
            tr("Could not time the layers: %1").arg(QString::fromStdString(timing.message())));
        return;
    }
    const engine::LayerTiming& t = timing.value();
    m_timingNote->setText(
        (t.backward ? tr("CPU, one thread, batch %1 of made-up inputs: %2 ms a training pass "
                         "(forward and backward), the mean of %3. Each layer is timed on its own.")
                    : tr("CPU, one thread, batch %1 of made-up inputs: %2 ms a forward pass (no "
                         "loss, so no backward), the mean of %3. Each layer is timed on its own."))
            .arg(batch)
            .arg(t.stepMs, 0, 'f', 1)
            .arg(t.steps));
    m_timing = t;
    refresh();
}

void SummaryWidget::dropTiming() {
    if (m_timingCancelled)
        *m_timingCancelled = true;
    m_timingCancelled.reset();
    ++m_timingGeneration; // a timing under way is not shown
    m_timing.reset();
    m_model->clearTimes();
    m_timeLayers->setEnabled(true);
    m_timingNote->clear();
    m_timingNote->hide();
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
    m_model->setSummary(summarizeNetwork(graph, m_document->inference(), m_batch->value()),
                        m_timing);
    const NetworkSummary& s = m_model->summary();
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(SummaryTableModel::Output,
                                                      QHeaderView::Stretch);
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
