#include "trainingsettingsform.h"

#include "ui/commands/trainingsettingscommand.h"
#include "ui/graphdocument.h"

#include "graph_model/graphchange.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QThread>

namespace nc::ui {

using nc::graph::TrainingSettings;

namespace {

QDoubleSpinBox* decimalBox(double min, double max, int decimals, double step) {
    auto* box = new QDoubleSpinBox;
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setSingleStep(step);
    box->setKeyboardTracking(false);
    return box;
}

QSpinBox* integerBox(int min, int max) {
    auto* box = new QSpinBox;
    box->setRange(min, max);
    box->setKeyboardTracking(false);
    box->setGroupSeparatorShown(true);
    return box;
}

QComboBox* choiceBox(const QStringList& values) {
    auto* box = new QComboBox;
    box->addItems(values);
    return box;
}

} // namespace

TrainingSettingsForm::TrainingSettingsForm(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_valSplit(decimalBox(0, 0.99, 2, 0.05)),
      m_batch(integerBox(1, 65536)), m_epochs(integerBox(1, 100000)),
      m_optimizer(choiceBox({"sgd", "momentum", "nesterov", "adam"})),
      m_lr(decimalBox(0, 100, 5, 0.001)), m_momentum(decimalBox(0, 1, 3, 0.05)),
      m_weightDecay(decimalBox(0, 1, 6, 0.0001)), m_clipGradNorm(decimalBox(0, 1e6, 3, 0.5)),
      m_schedule(choiceBox({"constant", "step", "cosine"})), m_seed(integerBox(0, INT32_MAX)),
      m_threads(integerBox(0, 1024)) {
    m_threads->setSpecialValueText(tr("every core (%1)").arg(QThread::idealThreadCount()));
    m_lr->setToolTip(tr("Learning rate at the first epoch; the schedule changes it after"));
    m_clipGradNorm->setSpecialValueText(tr("off"));
    m_clipGradNorm->setToolTip(tr("Scale the gradients of each step so that their global L2 norm "
                                  "is at most this (PyTorch's clip_grad_norm_); useful for "
                                  "recurrent networks"));
    m_valSplit->setToolTip(tr("The last fraction of the data, held out for validation"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Validation split"), m_valSplit);
    form->addRow(tr("&Batch"), m_batch);
    form->addRow(tr("&Epochs"), m_epochs);
    form->addRow(tr("&Optimizer"), m_optimizer);
    form->addRow(tr("&Learning rate"), m_lr);
    form->addRow(tr("&Momentum"), m_momentum);
    form->addRow(tr("&Weight decay"), m_weightDecay);
    form->addRow(tr("&Clip gradient norm"), m_clipGradNorm);
    form->addRow(tr("S&chedule"), m_schedule);
    form->addRow(tr("Se&ed"), m_seed);
    form->addRow(tr("CPU &threads"), m_threads);

    auto number = [this](QDoubleSpinBox* box, const QString& field,
                         double TrainingSettings::*member) {
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, field, member](double v) {
            commit(field, [member, v](TrainingSettings& s) { s.*member = v; });
        });
    };
    auto integer = [this](QSpinBox* box, const QString& field,
                          std::int64_t TrainingSettings::*member) {
        connect(box, &QSpinBox::valueChanged, this, [this, field, member](int v) {
            commit(field, [member, v](TrainingSettings& s) { s.*member = v; });
        });
    };
    auto choice = [this](QComboBox* box, const QString& field,
                         std::string TrainingSettings::*member) {
        connect(box, &QComboBox::currentTextChanged, this, [this, field, member](const QString& v) {
            commit(field, [member, v](TrainingSettings& s) { s.*member = v.toStdString(); });
        });
    };
    number(m_valSplit, tr("validation split"), &TrainingSettings::valSplit);
    integer(m_batch, tr("batch"), &TrainingSettings::batch);
    integer(m_epochs, tr("epochs"), &TrainingSettings::epochs);
    choice(m_optimizer, tr("optimizer"), &TrainingSettings::optimizer);
    number(m_lr, tr("learning rate"), &TrainingSettings::lr);
    number(m_momentum, tr("momentum"), &TrainingSettings::momentum);
    number(m_weightDecay, tr("weight decay"), &TrainingSettings::weightDecay);
    number(m_clipGradNorm, tr("gradient clipping"), &TrainingSettings::clipGradNorm);
    choice(m_schedule, tr("schedule"), &TrainingSettings::schedule);
    integer(m_seed, tr("seed"), &TrainingSettings::seed);
    integer(m_threads, tr("CPU threads"), &TrainingSettings::threads);

    connect(document, &GraphDocument::graphChanged, this, [this](unsigned mask, qint64) {
        if (mask & nc::graph::SettingsChanged)
            refresh();
    });
    connect(document, &GraphDocument::graphReset, this, &TrainingSettingsForm::refresh);
    refresh();
}

template <typename Edit> void TrainingSettingsForm::commit(const QString& field, Edit edit) {
    if (m_refreshing)
        return;
    TrainingSettings settings = m_document->graph().training().value_or(TrainingSettings{});
    const TrainingSettings before = settings;
    edit(settings);
    if (settings == before && m_document->graph().training())
        return;
    m_document->undoStack()->push(new SetTrainingSettingsCommand(m_document, settings, field));
}

void TrainingSettingsForm::refresh() {
    m_refreshing = true;
    const TrainingSettings s = m_document->graph().training().value_or(TrainingSettings{});
    m_valSplit->setValue(s.valSplit);
    m_batch->setValue(int(s.batch));
    m_epochs->setValue(int(s.epochs));
    m_optimizer->setCurrentText(QString::fromStdString(s.optimizer));
    m_lr->setValue(s.lr);
    m_momentum->setValue(s.momentum);
    m_momentum->setEnabled(!m_locked && s.optimizer != "sgd");
    m_weightDecay->setValue(s.weightDecay);
    m_clipGradNorm->setValue(s.clipGradNorm);
    m_schedule->setCurrentText(QString::fromStdString(s.schedule));
    m_seed->setValue(int(std::min<std::int64_t>(s.seed, INT32_MAX)));
    m_threads->setValue(int(s.threads));
    m_refreshing = false;
}

void TrainingSettingsForm::setLocked(bool locked) {
    m_locked = locked;
    for (QWidget* w : findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        w->setEnabled(!locked);
    if (!locked)
        refresh(); // momentum follows the optimizer
}

} // namespace nc::ui
