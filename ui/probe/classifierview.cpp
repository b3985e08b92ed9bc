#include "classifierview.h"

#include "matimage.h"
#include "pictureview.h"

#include "ui/backgroundpool.h"
#include "ui/graphdocument.h"

#include "engine/backendlist.h"
#include "engine/probe/probeweights.h"
#include "engine/threading.h"
#include "engine/vis/confusionpicture.h"
#include "engine/vis/samplepictures.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include <cmath>

namespace nc::ui {

namespace {

constexpr int kGallery = 64;

QString share(double v) {
    return std::isnan(v) ? QStringLiteral("–") : QString::number(100.0 * v, 'f', 1) + " %";
}

double validationSplit(const nc::graph::Graph& graph) {
    return graph.training() ? graph.training()->valSplit : nc::graph::TrainingSettings{}.valSplit;
}

} // namespace

ClassifierView::ClassifierView(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_slider(new QSlider(Qt::Horizontal)),
      m_entryLabel(new QLabel), m_matrix(new PictureView), m_perClass(new QTableWidget),
      m_gallery(new QListWidget), m_status(new QLabel) {
    m_slider->setRange(0, 0);
    m_slider->setToolTip(tr("Walk through the epochs of the run"));
    m_perClass->setColumnCount(3);
    m_perClass->setHorizontalHeaderLabels({tr("class"), tr("precision"), tr("recall")});
    m_perClass->verticalHeader()->hide();
    m_perClass->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_perClass->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_gallery->setViewMode(QListView::IconMode);
    m_gallery->setIconSize(QSize(48, 48));
    m_gallery->setResizeMode(QListView::Adjust);
    m_gallery->setMovement(QListView::Static);
    m_gallery->setToolTip(tr("Misclassified validation samples, most confident first: click "
                             "one to probe it"));
    m_status->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Epoch:")));
    top->addWidget(m_slider, 1);
    top->addWidget(m_entryLabel);
    auto* matrix = new QScrollArea;
    matrix->setWidget(m_matrix);
    matrix->setAlignment(Qt::AlignCenter);
    auto* split = new QSplitter;
    split->addWidget(matrix);
    split->addWidget(m_perClass);
    split->addWidget(m_gallery);
    matrix->setMinimumWidth(300);
    m_perClass->setMinimumWidth(200);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 3);
    split->setSizes({520, 220, 520});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_slider, &QSlider::valueChanged, this, &ClassifierView::present);
    connect(m_gallery, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        emit sampleChosen(int(m_validationStart) + item->data(Qt::UserRole).toInt());
    });
    m_status->setText(tr("Waiting for the data set..."));
}

void ClassifierView::setData(std::shared_ptr<const engine::Dataset> dataset) {
    m_data = std::move(dataset);
}

void ClassifierView::evaluate(engine::SnapshotPtr weights, std::uint64_t seed, const QString& label,
                              bool append) {
    if (!m_data)
        return;
    const quint64 generation = ++m_generation;
    m_status->setText(tr("Evaluating %1...").arg(label));
    QPointer<ClassifierView> self(this);
    backgroundPool().start([self, generation, append, label, weights, seed,
                            graph = m_document->graph(), dataset = m_data] {
        engine::ThreadScope oneThread(1);
        auto validation = engine::splitTail(*dataset, validationSplit(graph)).second;
        const std::int64_t start = dataset->size() - validation.size();
        std::shared_ptr<const engine::ClassifierReport> report;
        QString error;
        auto model = engine::compileWithWeights(graph, weights, seed, label.toStdString());
        auto backend = engine::createBackend("cpu");
        if (!model)
            error = QString::fromStdString(model.message());
        else if (validation.size() == 0)
            error = tr("The validation split is empty (set one in the Training dock).");
        else if (auto r = engine::evaluateClassifier(model.value(), *backend.value(), validation))
            report = std::make_shared<const engine::ClassifierReport>(std::move(r).value());
        else
            error = QString::fromStdString(r.message());
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, append, label, report, error, start, dataset] {
                if (!self || self->m_generation != generation)
                    return;
                ++self->m_done;
                if (!report) {
                    self->m_status->setText(error);
                    return;
                }
                if (!append)
                    self->m_history.clear();
                self->m_history.push_back({label, report, dataset, start});
                const QSignalBlocker block(self->m_slider);
                self->m_slider->setRange(0, int(self->m_history.size()) - 1);
                self->m_slider->setValue(int(self->m_history.size()) - 1);
                self->present(int(self->m_history.size()) - 1);
            },
            Qt::QueuedConnection);
    });
}

void ClassifierView::showEntry(int index) {
    m_slider->setValue(index);
}

const engine::ClassifierReport* ClassifierView::shown() const {
    const int i = m_slider->value();
    return i >= 0 && i < int(m_history.size()) ? m_history[std::size_t(i)].report.get() : nullptr;
}

QImage ClassifierView::picture() const {
    return m_matrix->picture();
}

QString ClassifierView::statusText() const {
    return m_status->text();
}

void ClassifierView::present(int index) {
    if (index < 0 || index >= int(m_history.size()))
        return;
    const Entry& entry = m_history[std::size_t(index)];
    const engine::ClassifierReport& r = *entry.report;
    m_validationStart = entry.validationStart;
    m_entryLabel->setText(entry.label);
    m_status->setText(
        tr("%1: %2 of %3 validation samples right (%4)")
            .arg(entry.label)
            .arg(r.correct)
            .arg(r.samples)
            .arg(share(double(r.correct) / double(std::max<std::int64_t>(r.samples, 1)))));
    m_matrix->setPicture(toQImage(vis::renderConfusion(r.confusion, r.classes, {})));
    m_perClass->setRowCount(r.classes);
    for (int c = 0; c < r.classes; ++c) {
        m_perClass->setItem(c, 0, new QTableWidgetItem(QString::number(c)));
        m_perClass->setItem(c, 1, new QTableWidgetItem(share(r.precision(c))));
        m_perClass->setItem(c, 2, new QTableWidgetItem(share(r.recall(c))));
    }
    m_gallery->clear();
    const engine::Dataset& evaluated = *entry.data;
    const engine::Dims d = evaluated.sampleDims();
    if (d.size() != 3 && d.size() != 2)
        return;
    const int channels = d.size() == 3 ? int(d[0]) : 1;
    const int h = int(d[d.size() - 2]), w = int(d.back());
    for (std::size_t i = 0; i < r.misclassified.size() && i < std::size_t(kGallery); ++i) {
        const engine::Misclassified& m = r.misclassified[i];
        const std::int64_t at = m_validationStart + m.index;
        engine::Tensor x, y;
        evaluated.gather(&at, 1, x, y);
        const QImage image = toQImage(vis::sampleImage(x.data(), channels, h, w));
        auto* item = new QListWidgetItem(
            QIcon(QPixmap::fromImage(image.scaled(48, 48, Qt::KeepAspectRatio))),
            tr("%1 → %2").arg(m.truth).arg(m.predicted));
        item->setToolTip(tr("Sample %1: predicted %2 (%3), true %4")
                             .arg(at)
                             .arg(m.predicted)
                             .arg(share(m.confidence))
                             .arg(m.truth));
        item->setData(Qt::UserRole, qlonglong(m.index));
        m_gallery->addItem(item);
    }
}

} // namespace nc::ui
