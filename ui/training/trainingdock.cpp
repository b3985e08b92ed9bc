#include "trainingdock.h"

#include "datapreview.h"
#include "datasourcepicker.h"
#include "runlibrary.h"
#include "trainingsettingsform.h"

#include "ui/commands/trainingsettingscommand.h"
#include "ui/graphdocument.h"
#include "ui/loadedweights.h"

#include "engine/backendlist.h"
#include "graph_model/graphchange.h"

#include <QPushButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QScrollArea>
#include <QStandardItemModel>
#include <QThreadPool>

#include "ui/backgroundpool.h"
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace nc::ui {

namespace {

QString duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return "--";
    const qint64 s = qint64(seconds + 0.5);
    return s >= 3600 ? QString("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QChar('0'))
                           .arg(s % 60, 2, 10, QChar('0'))
                     : QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QToolButton* buttonFor(QAction* action) {
    auto* button = new QToolButton;
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return button;
}

} // namespace

TrainingDock::TrainingDock(GraphDocument* document, TrainingController* controller,
                           RunLibrary* runs, LoadedWeights* loaded, QWidget* parent)
    : QWidget(parent), m_document(document), m_controller(controller), m_runs(runs),
      m_loaded(loaded), m_data(new DataSourcePicker), m_preview(new DataPreview),
      m_settings(new TrainingSettingsForm(document)), m_device(new QComboBox),
      m_deviceNote(new QLabel), m_fromLoaded(new QCheckBox), m_progress(new QProgressBar),
      m_progressLabel(new QLabel), m_start(new QAction(tr("&Start"), this)),
      m_pause(new QAction(tr("&Pause"), this)), m_stop(new QAction(tr("S&top"), this)),
      m_resumeCheckpoint(new QAction(tr("Resume from &Checkpoint..."), this)) {
    m_start->setShortcut(Qt::Key_F5);
    m_start->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_start->setToolTip(tr("Train the graph with these settings (F5)"));
    m_pause->setShortcut(Qt::Key_F6);
    m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_stop->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_stop->setToolTip(tr("Stop after the current step; the last epoch's checkpoint stays "
                          "(Shift+F5)"));
    m_resumeCheckpoint->setToolTip(
        tr("Continue a run from its checkpoint, exactly as if it had not stopped"));

    auto* dataBox = new QGroupBox(tr("Data"));
    auto* dataLayout = new QVBoxLayout(dataBox);
    dataLayout->addWidget(m_data);
    dataLayout->addWidget(m_preview);
    auto* settingsBox = new QGroupBox(tr("Settings"));
    (new QVBoxLayout(settingsBox))->addWidget(m_settings);
    auto* deviceBox = new QGroupBox(tr("Device"));
    auto* deviceLayout = new QVBoxLayout(deviceBox);
    deviceLayout->addWidget(m_device);
    m_deviceNote->setWordWrap(true);
    m_deviceNote->setStyleSheet("color: palette(mid);");
    deviceLayout->addWidget(m_deviceNote);
    auto* startBox = new QGroupBox(tr("Start From"));
    m_fromLoaded->setObjectName("startFromLoaded");
    m_fromLoaded->setToolTip(tr("Fine-tune: train from the weights loaded for this graph "
                                "(File ▸ Import ONNX, File ▸ Load Weights) with a fresh optimizer "
                                "and step count, instead of the seed's initial weights"));
    (new QVBoxLayout(startBox))->addWidget(m_fromLoaded);

    auto* controls = new QGridLayout;
    controls->addWidget(buttonFor(m_start), 0, 0);
    controls->addWidget(buttonFor(m_pause), 0, 1);
    controls->addWidget(buttonFor(m_stop), 0, 2);
    auto* resume = buttonFor(m_resumeCheckpoint);
    controls->addWidget(resume, 1, 0, 1, 3);
    m_progress->setTextVisible(false);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progressLabel->setWordWrap(true);
    m_progressLabel->setText(tr("Not training."));

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(dataBox);
    layout->addWidget(settingsBox);
    layout->addWidget(deviceBox);
    layout->addWidget(startBox);
    layout->addLayout(controls);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressLabel);
    layout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_data, &DataSourcePicker::specEdited, this, [this](const QString& spec) {
        auto settings = m_document->graph().training().value_or(nc::graph::TrainingSettings{});
        if (settings.data == spec.toStdString() && m_document->graph().training())
            return;
        settings.data = spec.toStdString();
        m_document->undoStack()->push(
            new SetTrainingSettingsCommand(m_document, settings, tr("training data")));
    });
    connect(document, &GraphDocument::graphChanged, this, [this](unsigned mask, qint64) {
        if (mask & nc::graph::SettingsChanged)
            refreshData(false);
    });
    connect(document, &GraphDocument::graphReset, this, [this] { refreshData(true); });
    connect(m_start, &QAction::triggered, this, [this] { startTraining(); });
    connect(m_pause, &QAction::triggered, this, [this] {
        if (m_controller->state() == TrainingController::State::Paused)
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_stop, &QAction::triggered, m_controller, &TrainingController::stop);
    connect(m_resumeCheckpoint, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Resume from checkpoint"), m_runs->root(),
            tr("Checkpoints (checkpoint.safetensors);;Safetensors (*.safetensors)"));
        if (!path.isEmpty())
            resumeFrom(path);
    });
    connect(m_loaded, &LoadedWeights::changed, this, &TrainingDock::refreshStartFrom);
    connect(controller, &TrainingController::stateChanged, this, &TrainingDock::onStateChanged);
    connect(controller, &TrainingController::metricsArrived, this, &TrainingDock::onMetrics);
    connect(controller, &TrainingController::phase, this, [this](const QString& text) {
        m_progressLabel->setText(text);
        emit statusText(text);
    });
    connect(controller, &TrainingController::deviceFallback, this, [this](const QString& text) {
        m_fallbackShown = true;
        m_deviceNote->setText(tr("Now on the CPU: %1").arg(text));
        m_deviceNote->setStyleSheet("color: #b35900;");
        m_deviceNote->setVisible(true);
        emit statusText(text);
    });
    fillDevices();
    refreshData(true);
    onStateChanged(controller->state());
    refreshStartFrom();
}

void TrainingDock::refreshStartFrom() {
    const bool loaded = m_loaded->has();
    m_fromLoaded->setText(loaded ? tr("Start from the loaded weights (%1)").arg(m_loaded->label())
                                 : tr("Start from the loaded weights (none loaded)"));
    if (!loaded)
        m_fromLoaded->setChecked(false);
    m_fromLoaded->setEnabled(loaded && !m_controller->isActive());
}

bool TrainingDock::startsFromLoadedWeights() const {
    return m_fromLoaded->isChecked() && m_loaded->has();
}

void TrainingDock::setStartFromLoadedWeights(bool fromLoaded) {
    m_fromLoaded->setChecked(fromLoaded && m_loaded->has());
}

void TrainingDock::showDevicesNote() {
    m_fallbackShown = false;
    m_deviceNote->setText(m_devicesNote);
    m_deviceNote->setStyleSheet("color: palette(mid);");
    m_deviceNote->setVisible(!m_devicesNote.isEmpty());
}

QString TrainingDock::progressText() const {
    return m_progressLabel->text();
}

QString TrainingDock::device() const {
    const QString d = m_device->currentData().toString();
    return d.isEmpty() ? "cpu" : d;
}

void TrainingDock::fillDevices() {
    m_device->addItem(tr("CPU"), "cpu");
    m_deviceNote->setText(tr("Looking for GPUs..."));
    QPointer<TrainingDock> self(this);
    backgroundPool().start([self] {
        std::vector<engine::BackendInfo> backends = engine::listBackends();
        QMetaObject::invokeMethod(
            qApp,
            [self, backends] {
                if (!self)
                    return;
                auto* model = qobject_cast<QStandardItemModel*>(self->m_device->model());
                self->m_device->clear();
                QStringList notes;
                for (const engine::BackendInfo& b : backends) {
                    self->m_device->addItem(QString::fromStdString(b.description),
                                            QString::fromStdString(b.device));
                    QStandardItem* item = model->item(self->m_device->count() - 1);
                    if (!b.usable) {
                        item->setEnabled(false);
                        item->setToolTip(QString::fromStdString(b.whyNot));
                        notes << tr("No GPU: %1").arg(QString::fromStdString(b.whyNot));
                    }
                }
                self->m_devicesNote = notes.join('\n');
                if (!self->m_fallbackShown)
                    self->showDevicesNote();
            },
            Qt::QueuedConnection);
    });
}

void TrainingDock::refreshData(bool always) {
    const auto settings = m_document->graph().training().value_or(nc::graph::TrainingSettings{});
    const QString spec = QString::fromStdString(settings.data);
    // Other settings (the learning rate's spin box) leave the data as it is: no new load.
    if (!always && spec == m_previewedSpec)
        return;
    m_previewedSpec = spec;
    m_data->setSpec(spec);
    m_preview->preview(spec, m_document->graph());
}

bool TrainingDock::startTraining(const QString& dataOverride, int epochsOverride) {
    TrainingJob job;
    job.graph = m_document->graph();
    job.graphSource =
        m_document->filePath().isEmpty() ? m_document->displayName() : m_document->filePath();
    job.settings = job.graph.training().value_or(nc::graph::TrainingSettings{});
    if (!dataOverride.isEmpty())
        job.settings.data = dataOverride.toStdString();
    if (epochsOverride > 0)
        job.settings.epochs = epochsOverride;
    job.device = device();
    job.threads = int(job.settings.threads);
    job.runsRoot = m_runs->root();
    if (startsFromLoadedWeights()) {
        job.initialWeights = m_loaded->weights();
        job.initialWeightsLabel = m_loaded->label();
    }
    if (!m_document->inference().valid()) {
        emit message(tr("The graph has errors; fix the ones in the Problems panel first."), true);
        return false;
    }
    m_epochs = int(job.settings.epochs);
    QString why;
    if (!m_controller->start(std::move(job), &why)) {
        emit message(why, true);
        return false;
    }
    return true;
}

bool TrainingDock::resumeFrom(const QString& checkpointPath) {
    auto job = resumeJob(checkpointPath);
    if (!job) {
        emit message(QString::fromStdString(job.message()), true);
        return false;
    }
    job.value().runsRoot = m_runs->root();
    if (!job.value().cutBackWarning.isEmpty()) {
        QMessageBox ask(QMessageBox::Warning, tr("Resume from an earlier epoch?"),
                        job.value().cutBackWarning + tr(".\n\nCut the run back and resume?"),
                        QMessageBox::Cancel, this);
        QAbstractButton* cut = ask.addButton(tr("Cut Back and Resume"), QMessageBox::DestructiveRole);
        ask.setDefaultButton(QMessageBox::Cancel);
        ask.exec();
        if (ask.clickedButton() != cut)
            return false;
        job.value().allowCutBack = true;
    }
    m_epochs = int(job.value().settings.epochs);
    QString why;
    if (!m_controller->start(std::move(job).value(), &why)) {
        emit message(why, true);
        return false;
    }
    return true;
}

void TrainingDock::onStateChanged(TrainingController::State state) {
    using State = TrainingController::State;
    const bool active = state != State::Idle;
    m_start->setEnabled(!active);
    m_resumeCheckpoint->setEnabled(!active);
    m_pause->setEnabled(state == State::Running || state == State::Paused);
    m_pause->setText(state == State::Paused ? tr("&Resume") : tr("&Pause"));
    m_pause->setIcon(style()->standardIcon(state == State::Paused ? QStyle::SP_MediaPlay
                                                                  : QStyle::SP_MediaPause));
    m_stop->setEnabled(active && state != State::Stopping);
    m_settings->setLocked(active);
    m_data->setEnabled(!active);
    m_device->setEnabled(!active);
    m_fromLoaded->setEnabled(!active && m_loaded->has());
    if (state == State::Preparing) // a fallback note belongs to the run before
        showDevicesNote();
    if (state == State::Paused) {
        m_progressLabel->setText(tr("Paused. ") + m_progressLabel->text());
        emit statusText(m_progressLabel->text());
    } else if (state == State::Stopping) {
        m_progressLabel->setText(tr("Stopping after the current step..."));
        emit statusText(m_progressLabel->text());
    } else if (state == State::Idle) {
        emit statusText({});
    }
}

void TrainingDock::onMetrics(const QString&, const MetricBatchPtr& batch) {
    if (batch->steps.empty())
        return;
    const engine::StepReport& r = batch->steps.back().report;
    const int epochs = std::max(m_epochs, r.epoch);
    const double done =
        (double(r.epoch - 1) + double(r.step) / double(std::max<std::int64_t>(1, r.steps))) /
        double(std::max(1, epochs));
    m_progress->setValue(int(done * 1000));
    // The epoch's time so far and to go, for the epochs still to come.
    const double epochSeconds =
        r.imagesPerSecond > 0 && r.step > 0
            ? r.etaSeconds * double(r.steps) / double(std::max<std::int64_t>(1, r.steps - r.step))
            : 0;
    const double left = r.etaSeconds + double(epochs - r.epoch) * epochSeconds;
    const QString text = tr("Epoch %1/%2 · step %3/%4 · %5 img/s · %6 left · loss %7")
                             .arg(r.epoch)
                             .arg(epochs)
                             .arg(r.step)
                             .arg(r.steps)
                             .arg(QLocale().toString(qlonglong(std::llround(r.imagesPerSecond))))
                             .arg(duration(left))
                             .arg(r.loss, 0, 'g', 4);
    m_progressLabel->setText(
        m_controller->state() == TrainingController::State::Paused ? tr("Paused. ") + text : text);
    emit statusText(m_progressLabel->text());
}

} // namespace nc::ui
