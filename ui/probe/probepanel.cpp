#include "probepanel.h"

#include "featuremapview.h"
#include "matimage.h"
#include "probeinput.h"
#include "sequenceview.h"
#include "tensorhistogram.h"
#include "vectorview.h"

#include "ui/backgroundpool.h"
#include "ui/graphdocument.h"
#include "ui/loadedweights.h"
#include "ui/training/liveweights.h"

#include "engine/checkpoint.h"
#include "engine/npy.h"
#include "engine/probe/probeweights.h"
#include "engine/vis/featuremaps.h"
#include "engine/vis/sequence.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

namespace nc::ui {

namespace {

// A per-sample T x F value: a sequence, drawn with time across (graphs use rank 2 for
// sequences only; images are C x H x W).
bool isSequence(const engine::Tensor& value) {
    return value.rank() == 2;
}

constexpr int kPinnedIcon = 72;
constexpr int kLiveIntervalMs = 25; // checks; a probe follows each new snapshot

QString percent(double share) {
    return QString::number(100.0 * share, 'f', 1) + " %";
}

QString statsText(const ProbedEdge& e, double ms) {
    const engine::TensorStats& s = e.stats;
    QString text = QObject::tr("<b>%1</b> &nbsp; min %2 &nbsp; max %3 &nbsp; mean %4 &nbsp; std %5")
                       .arg(QString::fromStdString(engine::formatDims(e.value.dims())))
                       .arg(s.min, 0, 'g', 4)
                       .arg(s.max, 0, 'g', 4)
                       .arg(s.mean, 0, 'g', 4)
                       .arg(s.stddev, 0, 'g', 4);
    text += QObject::tr("<br>zeros %1").arg(percent(s.zeroShare));
    if (s.saturatedShare)
        text += QObject::tr(" &nbsp; saturated %1").arg(percent(*s.saturatedShare));
    text += s.nonFinite > 0
                ? QObject::tr(" &nbsp; <span style='color:#c0392b'><b>non-finite %1</b></span>")
                      .arg(s.nonFinite)
                : QObject::tr(" &nbsp; non-finite 0");
    text += QObject::tr(" &nbsp; <span style='color:gray'>%1 ms</span>").arg(ms, 0, 'f', 1);
    return text;
}

} // namespace

ProbePanel::ProbePanel(GraphDocument* document, LiveWeights* live, LoadedWeights* loaded,
                       QWidget* parent)
    : QWidget(parent), m_document(document), m_live(live), m_loaded(loaded),
      m_runner(new ProbeRunner(this)), m_edgeLabel(new QLabel), m_weights(new QComboBox),
      m_everySteps(new QSpinBox), m_train(new QCheckBox(tr("Train mode"))),
      m_export(new QPushButton(tr("Export"))), m_inputs(new ProbeInputPanel),
      m_views(new QStackedWidget), m_maps(new FeatureMapView), m_vectors(new VectorView),
      m_sequences(new SequenceView), m_histogram(new TensorHistogram), m_stats(new QLabel),
      m_pinnedList(new QListWidget), m_liveTimer(new QTimer(this)) {
    m_stats->setTextFormat(Qt::RichText);
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_views->addWidget(m_maps);
    m_views->addWidget(m_vectors);
    m_views->addWidget(m_sequences);

    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    // The statistics change with every live refresh: in a scroll area of fixed height their
    // new text re-lays out the label alone, not the whole dock.
    auto* statsArea = new QScrollArea;
    statsArea->setWidget(m_stats);
    statsArea->setWidgetResizable(true);
    statsArea->setFrameShape(QFrame::NoFrame);
    statsArea->setFixedHeight(fontMetrics().lineSpacing() * 3 + 6);
    lowerLayout->addWidget(statsArea);
    lowerLayout->addWidget(m_views, 3);
    lowerLayout->addWidget(m_histogram, 1);
    m_pinnedList->setObjectName("pinned");
    m_pinnedList->setViewMode(QListView::IconMode);
    m_pinnedList->setFlow(QListView::LeftToRight);
    m_pinnedList->setWrapping(false);
    m_pinnedList->setIconSize(QSize(kPinnedIcon, kPinnedIcon));
    m_pinnedList->setFixedHeight(kPinnedIcon + 40);
    m_pinnedList->setMovement(QListView::Static);
    m_pinnedList->setToolTip(tr("Pinned wires refresh with every probe (live during training). "
                                "Click one to look at it; double-click to unpin it."));
    m_pinnedList->hide();
    lowerLayout->addWidget(m_pinnedList);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_inputs);
    split->addWidget(lower);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeader());
    layout->addWidget(split, 1);

    connect(m_runner, &ProbeRunner::finished, this, &ProbePanel::show);
    auto pinnedAt = [](QListWidgetItem* item) {
        return engine::EdgeRef{item->data(Qt::UserRole).toLongLong(),
                               item->data(Qt::UserRole + 1).toInt()};
    };
    connect(m_pinnedList, &QListWidget::itemClicked, this,
            [this, pinnedAt](QListWidgetItem* item) { setEdge(pinnedAt(item)); });
    connect(m_pinnedList, &QListWidget::itemDoubleClicked, this,
            [this, pinnedAt](QListWidgetItem* item) { unpinEdge(pinnedAt(item)); });
    connect(m_inputs, &ProbeInputPanel::inputChanged, this, &ProbePanel::reprobe);
    connect(m_weights, &QComboBox::currentIndexChanged, this, [this] {
        m_live->setWanted(weights() == Weights::Live && isVisible());
        m_everySteps->setVisible(weights() == Weights::Live);
        reprobe();
        emit weightsChanged();
    });
    connect(m_train, &QCheckBox::toggled, this, &ProbePanel::reprobe);
    connect(m_document, &GraphDocument::graphChanged, this, [this](unsigned mask, qint64 id) {
        if (!(mask & ~(nc::graph::NodeMoved | nc::graph::NodeRenamed)))
            return;
        // A parameter of a layer other than the Input cannot change the inputs of a graph that
        // compiled (whether it compiles now or not); compiling 20,000 layers to learn that
        // would make every such edit slow.
        const nc::graph::Node* node = m_document->graph().node(id);
        const bool inputsKept = mask == nc::graph::ParamChanged && m_inputs->graphCompiled() &&
                                node && node->type != "Input";
        if (!inputsKept)
            m_inputs->setGraph(m_document->graph());
        reprobe();
    });
    connect(m_document, &GraphDocument::graphReset, this, [this] {
        m_edge = {};
        m_inputs->setGraph(m_document->graph());
        // The previous graph's live weights are gone (MainWindow forgets them first).
        updateWeightsChoices();
        if (weights() == Weights::Live && !m_trainingActive && !m_live->latest())
            setWeights(Weights::Initial);
        reprobe();
    });
    connect(m_loaded, &LoadedWeights::changed, this, &ProbePanel::onLoadedWeightsChanged);
    m_liveTimer->setInterval(kLiveIntervalMs);
    connect(m_liveTimer, &QTimer::timeout, this, &ProbePanel::refreshLiveWeights);
    m_inputs->setGraph(m_document->graph());
    updateWeightsChoices();
    reprobe();
}

QWidget* ProbePanel::makeHeader() {
    auto* header = new QWidget;
    auto* row = new QHBoxLayout(header);
    row->setContentsMargins(0, 0, 0, 0);
    m_edgeLabel->setTextFormat(Qt::RichText);
    m_weights->addItems({tr("Initial weights"), tr("Live run"), tr("Checkpoint")});
    m_weights->setToolTip(tr("Which weights the probe runs with: the graph's initial ones, the "
                             "latest of the run training now, or a run's checkpoint (Runs ▸ "
                             "Probe with Weights)"));
    m_train->setToolTip(tr("Run as in training: dropout drops and batch norm uses the batch's "
                           "statistics. Both modes use the same weights."));
    auto* menu = new QMenu(m_export);
    menu->addAction(tr("Tensor as NumPy .npy..."), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export Tensor"), {}, tr("NumPy arrays (*.npy)"));
        QString error;
        if (!path.isEmpty() && !exportNpy(path, &error))
            QMessageBox::warning(this, tr("Export"), error);
    });
    menu->addAction(tr("Picture as PNG..."), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export Picture"), {}, tr("PNG images (*.png)"));
        QString error;
        if (!path.isEmpty() && !exportPng(path, &error))
            QMessageBox::warning(this, tr("Export"), error);
    });
    m_export->setMenu(menu);
    auto* pin = new QPushButton(tr("Pin"));
    pin->setToolTip(tr("Keep this wire in view beside the others you pin (up to %1); pinned "
                       "wires are probed together, in one run of their ancestors")
                        .arg(kMaxPinned));
    connect(pin, &QPushButton::clicked, this, [this] { pinEdge(m_edge); });
    m_everySteps->setObjectName("liveEverySteps");
    m_everySteps->setRange(0, 10000);
    m_everySteps->setPrefix(tr("every "));
    m_everySteps->setSuffix(tr(" steps"));
    m_everySteps->setSpecialValueText(tr("about 12 a second"));
    m_everySteps->setToolTip(tr("How often the live run's weights refresh this probe and the "
                                "pinned wires: every N training steps, or (at the lowest "
                                "value) about twelve times a second whatever the step rate"));
    connect(m_everySteps, &QSpinBox::valueChanged, this, [this](int steps) {
        m_live->setEverySteps(steps);
        QSettings().setValue(QStringLiteral("probe/liveEverySteps"), steps);
    });
    m_everySteps->setValue(QSettings().value(QStringLiteral("probe/liveEverySteps"), 0).toInt());
    m_everySteps->setVisible(false); // shown with the live weights
    row->addWidget(m_edgeLabel, 1);
    row->addWidget(pin);
    row->addWidget(m_weights);
    row->addWidget(m_everySteps);
    row->addWidget(m_train);
    row->addWidget(m_export);
    return header;
}

void ProbePanel::updateWeightsChoices() {
    auto* model = qobject_cast<QStandardItemModel*>(m_weights->model());
    const auto& training = m_document->graph().training();
    m_weights->setItemText(
        0, tr("Initial weights (seed %1)")
               .arg(training ? training->seed : nc::graph::TrainingSettings{}.seed));
    model->item(1)->setEnabled(m_trainingActive || m_live->latest());
    model->item(2)->setEnabled(m_loaded->has());
    m_weights->setItemText(2, m_loaded->has() ? m_loaded->label() : tr("Checkpoint (none loaded)"));
}

ProbePanel::WeightsChoice ProbePanel::currentWeights() const {
    WeightsChoice c;
    const auto& training = m_document->graph().training();
    c.seed = std::uint64_t(training ? training->seed : nc::graph::TrainingSettings{}.seed);
    if (weights() == Weights::Live)
        c.weights = m_live->latest();
    else if (weights() == Weights::Checkpoint)
        c.weights = m_loaded->weights();
    c.label = m_weights->currentText();
    return c;
}

void ProbePanel::setEdge(engine::EdgeRef edge) {
    m_edge = edge;
    reprobe();
}

void ProbePanel::setWeights(Weights weights) {
    m_weights->setCurrentIndex(int(weights));
}

ProbePanel::Weights ProbePanel::weights() const {
    return Weights(m_weights->currentIndex());
}

void ProbePanel::setTrainMode(bool train) {
    m_train->setChecked(train);
}

void ProbePanel::setLiveEverySteps(int steps) {
    m_everySteps->setValue(steps);
}

void ProbePanel::setTrainingActive(bool active) {
    m_trainingActive = active;
    updateWeightsChoices();
    if (active) {
        m_liveTimer->start();
        if (weights() == Weights::Initial)
            setWeights(Weights::Live);
    } else {
        m_liveTimer->stop();
    }
    m_live->setWanted(weights() == Weights::Live);
}

void ProbePanel::useCheckpoint(const QString& path, const QString& label) {
    m_stats->setText(tr("Reading %1...").arg(path));
    QPointer<ProbePanel> self(this);
    backgroundPool().start([self, path, label] {
        auto checkpoint = engine::readCheckpoint(path.toStdString());
        engine::SnapshotPtr weights;
        QString error;
        if (checkpoint)
            weights = engine::checkpointWeights(checkpoint.value());
        else
            error = QString::fromStdString(checkpoint.message());
        QMetaObject::invokeMethod(
            qApp,
            [self, weights, error, label] {
                if (!self)
                    return;
                if (!weights) {
                    self->m_stats->setText(error);
                    return;
                }
                self->useCheckpointWeights(weights, label);
            },
            Qt::QueuedConnection);
    });
}

void ProbePanel::useCheckpointWeights(engine::SnapshotPtr weights, const QString& label) {
    m_loaded->set(std::move(weights), label); // onLoadedWeightsChanged shows them
}

void ProbePanel::onLoadedWeightsChanged() {
    updateWeightsChoices();
    if (!m_loaded->has()) {
        if (weights() == Weights::Checkpoint)
            setWeights(Weights::Initial);
        return;
    }
    if (this->weights() == Weights::Checkpoint) {
        reprobe();
        emit weightsChanged();
    } else {
        setWeights(Weights::Checkpoint);
    }
}

void ProbePanel::refreshLiveWeights() {
    if (weights() != Weights::Live || !isVisible() || m_runner->busy())
        return;
    if (m_live->latest() != m_liveShown) {
        reprobe();
        emit weightsChanged();
    }
}

void ProbePanel::reprobe() {
    const nc::graph::Graph& graph = m_document->graph();
    const nc::graph::Node* node = hasEdge() ? graph.node(m_edge.node) : nullptr;
    if (!node) {
        m_edge = {};
        m_edgeLabel->setText(tr("Click a wire or a card on the canvas to probe it"));
        return;
    }
    m_edgeLabel->setText(
        tr("<b>%1</b>")
            .arg(QString::fromStdString(engine::describeEdge(graph, m_edge)).toHtmlEscaped()));
    if (!m_inputs->hasInput())
        return;
    ProbeRequest request;
    request.graph = graph;
    const auto& training = graph.training();
    request.seed = std::uint64_t(training ? training->seed : nc::graph::TrainingSettings{}.seed);
    switch (weights()) {
    case Weights::Initial:
        request.weightsLabel = tr("the initial weights");
        break;
    case Weights::Live:
        request.weights = m_live->latest();
        m_liveShown = request.weights;
        request.weightsLabel = tr("the live run's weights");
        if (!request.weights) {
            m_stats->setText(tr("Waiting for the run's first weights..."));
            return;
        }
        break;
    case Weights::Checkpoint:
        request.weights = m_loaded->weights();
        request.weightsLabel = m_loaded->label();
        break;
    }
    request.x = m_inputs->input();
    request.y = m_inputs->target();
    request.edges = {m_edge};
    for (const engine::EdgeRef& e : m_pinned)
        if (!(e == m_edge) && graph.node(e.node))
            request.edges.push_back(e);
    request.mode = m_train->isChecked() ? engine::Mode::Train : engine::Mode::Eval;
    m_runner->submit(std::move(request));
}

void ProbePanel::show(const ProbeResultPtr& result) {
    ++m_done;
    if (!result->error.isEmpty()) {
        m_stats->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>")
                             .arg(result->error.toHtmlEscaped()));
        emit probed();
        return;
    }
    m_result = result;
    const ProbedEdge& e = result->edges.front();
    m_stats->setText(statsText(e, result->milliseconds) + "<br>" +
                     tr("for %1").arg(m_inputs->description().toHtmlEscaped()));
    if (isSequence(e.value) || result->trace) {
        m_sequences->setValue(e.value, result->trace ? &*result->trace : nullptr);
        m_views->setCurrentWidget(m_sequences);
    } else if (vis::hasMaps(e.value)) {
        m_maps->setValue(e.value);
        m_views->setCurrentWidget(m_maps);
    } else {
        m_vectors->setValue(e.value, e.logits);
        m_views->setCurrentWidget(m_vectors);
    }
    m_histogram->setValue(e.value);
    showPinned(*result);
    emit probed();
}

void ProbePanel::pinEdge(engine::EdgeRef edge) {
    if (edge.node == nc::graph::kNoNode ||
        std::find(m_pinned.begin(), m_pinned.end(), edge) != m_pinned.end())
        return;
    if (int(m_pinned.size()) >= kMaxPinned)
        m_pinned.erase(m_pinned.begin());
    m_pinned.push_back(edge);
    m_pinnedList->show();
    reprobe();
}

void ProbePanel::unpinEdge(engine::EdgeRef edge) {
    m_pinned.erase(std::remove(m_pinned.begin(), m_pinned.end(), edge), m_pinned.end());
    m_pinnedList->setVisible(!m_pinned.empty());
    reprobe();
}

// One small picture per pinned wire, from the same probe run as the main view. The items
// stay and only their pictures change, so a live refresh does not rebuild the list.
void ProbePanel::showPinned(const ProbeResult& result) {
    const nc::graph::Graph& graph = m_document->graph();
    int row = 0;
    for (const engine::EdgeRef& pinned : m_pinned) {
        const auto it = std::find_if(result.edges.begin(), result.edges.end(),
                                     [&](const ProbedEdge& e) { return e.edge == pinned; });
        if (it == result.edges.end() || !graph.node(pinned.node))
            continue;
        QListWidgetItem* item = m_pinnedList->item(row);
        if (!item) {
            item = new QListWidgetItem;
            m_pinnedList->addItem(item);
        }
        vis::MapStyle small = m_maps->style();
        small.scale = 1; // an icon: one pixel a value, scaled to fit below
        const QImage picture =
            toQImage(isSequence(it->value) ? vis::renderSequence(it->value, small, {1, 1})
                                           : vis::renderEdgeValue(it->value, small));
        const bool shrink = picture.width() > kPinnedIcon || picture.height() > kPinnedIcon;
        item->setIcon(QIcon(QPixmap::fromImage(
            picture.scaled(kPinnedIcon, kPinnedIcon, Qt::KeepAspectRatio,
                           shrink ? Qt::SmoothTransformation : Qt::FastTransformation))));
        const QString text = tr("%1\nzeros %2")
                                 .arg(QString::fromStdString(engine::describeEdge(graph, pinned)))
                                 .arg(percent(it->stats.zeroShare));
        if (item->text() != text)
            item->setText(text);
        item->setData(Qt::UserRole, qlonglong(pinned.node));
        item->setData(Qt::UserRole + 1, pinned.port);
        ++row;
    }
    while (m_pinnedList->count() > row)
        delete m_pinnedList->takeItem(m_pinnedList->count() - 1);
}

QString ProbePanel::statusText() const {
    return m_stats->text();
}

QImage ProbePanel::picture() const {
    if (m_views->currentWidget() == m_sequences)
        return m_sequences->picture();
    return m_views->currentWidget() == m_maps ? m_maps->gridPicture() : m_vectors->stripPicture();
}

bool ProbePanel::exportNpy(const QString& path, QString* error) const {
    if (!m_result) {
        if (error)
            *error = tr("Nothing has been probed yet.");
        return false;
    }
    engine::Tensor batch = m_result->edges.front().value;
    engine::Dims dims = batch.dims();
    dims.insert(dims.begin(), 1);
    batch.reshape(dims);
    if (auto s = engine::writeNpy(path.toStdString(), batch); !s) {
        if (error)
            *error = QString::fromStdString(s.message());
        return false;
    }
    return true;
}

bool ProbePanel::exportPng(const QString& path, QString* error) const {
    const QImage image = picture();
    if (image.isNull() || !m_result) {
        if (error)
            *error = tr("Nothing has been probed yet.");
        return false;
    }
    QSaveFile file(path); // written beside, renamed over the target on commit
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace nc::ui
