#include "probeinput.h"

#include "drawingcanvas.h"
#include "matimage.h"

#include "ui/backgroundpool.h"

#include "engine/data/dataspec.h"
#include "engine/model.h"
#include "engine/probe/edgeprobe.h"
#include "engine/threading.h"
#include "engine/vis/imagefiles.h"
#include "engine/vis/samplepictures.h"

#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QThreadPool>
#include <QVBoxLayout>

namespace nc::ui {

namespace {

constexpr int kStripLength = 24;

QImage samplePicture(const engine::Tensor& batch, std::int64_t index) {
    const engine::Dims d(batch.dims().begin() + 1, batch.dims().end());
    std::int64_t size = 1;
    for (auto v : d)
        size *= v;
    if (d.size() != 3 && d.size() != 2)
        return {};
    const int c = d.size() == 3 ? int(d[0]) : 1;
    const int h = int(d[d.size() - 2]), w = int(d.back());
    return toQImage(vis::sampleImage(batch.data() + index * size, c, h, w));
}

} // namespace

ProbeInputPanel::ProbeInputPanel(QWidget* parent) : QWidget(parent), m_tabs(new QTabWidget) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs->addTab(makeDatasetTab(), tr("Sample"));
    m_tabs->addTab(makeImageTab(), tr("Image File"));
    m_tabs->addTab(makeDrawTab(), tr("Draw"));
    layout->addWidget(m_tabs);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ProbeInputPanel::inputChanged);
}

QWidget* ProbeInputPanel::makeDatasetTab() {
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    auto* row = new QHBoxLayout;
    m_index = new QSpinBox;
    m_index->setRange(0, 0);
    m_index->setAccelerated(true);
    m_index->setToolTip(tr("The sample's index in the data set (PgUp/PgDn: 10 at a time)"));
    m_dataStatus = new QLabel(tr("No data yet"));
    m_dataStatus->setWordWrap(true);
    row->addWidget(new QLabel(tr("Index:")));
    row->addWidget(m_index);
    row->addWidget(m_dataStatus, 1);
    layout->addLayout(row);
    m_strip = new QListWidget;
    m_strip->setViewMode(QListView::IconMode);
    m_strip->setFlow(QListView::LeftToRight);
    m_strip->setWrapping(false);
    m_strip->setIconSize(QSize(40, 40));
    m_strip->setFixedHeight(76);
    m_strip->setMovement(QListView::Static);
    m_strip->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    layout->addWidget(m_strip);
    connect(m_index, &QSpinBox::valueChanged, this, [this] {
        refreshStrip();
        emit inputChanged();
    });
    connect(m_strip, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { m_index->setValue(item->data(Qt::UserRole).toInt()); });
    return tab;
}

QWidget* ProbeInputPanel::makeImageTab() {
    auto* tab = new QWidget;
    auto* layout = new QHBoxLayout(tab);
    auto* column = new QVBoxLayout;
    auto* open = new QPushButton(tr("Open Image..."));
    m_imageStatus = new QLabel(tr("PNG, JPEG, BMP...: resized to the Input."));
    m_imageStatus->setWordWrap(true);
    column->addWidget(open);
    column->addWidget(m_imageStatus);
    column->addStretch();
    m_imagePreview = new QLabel;
    m_imagePreview->setFixedSize(84, 84);
    m_imagePreview->setAlignment(Qt::AlignCenter);
    layout->addLayout(column, 1);
    layout->addWidget(m_imagePreview);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Probe with an Image"), QFileInfo(m_imagePath).absolutePath(),
            tr("Images (*.png *.jpg *.jpeg *.bmp *.pgm *.ppm *.tif *.tiff *.webp);;All files (*)"));
        if (!path.isEmpty())
            openImage(path);
    });
    return tab;
}

QWidget* ProbeInputPanel::makeDrawTab() {
    auto* tab = new QWidget;
    auto* layout = new QHBoxLayout(tab);
    m_canvas = new DrawingCanvas;
    auto* controls = new QFormLayout;
    auto* brush = new QDoubleSpinBox;
    brush->setRange(0.5, 8.0);
    brush->setSingleStep(0.5);
    brush->setValue(m_canvas->brushRadius());
    brush->setSuffix(tr(" px"));
    brush->setToolTip(tr("The brush radius, in input pixels"));
    auto* clear = new QPushButton(tr("Clear"));
    controls->addRow(tr("Brush:"), brush);
    controls->addRow(clear);
    layout->addWidget(m_canvas, 1);
    layout->addLayout(controls);
    connect(brush, &QDoubleSpinBox::valueChanged, m_canvas, &DrawingCanvas::setBrushRadius);
    connect(clear, &QPushButton::clicked, m_canvas, &DrawingCanvas::clear);
    connect(m_canvas, &DrawingCanvas::changed, this, &ProbeInputPanel::inputChanged);
    return tab;
}

void ProbeInputPanel::setGraph(const nc::graph::Graph& graph) {
    auto model = engine::Model::compile(graph);
    m_graphCompiled = bool(model);
    if (model) {
        const engine::Dims dims = engine::inputDims(model.value());
        if (dims != m_inputDims) {
            m_inputDims = dims;
            if (dims.size() == 3)
                m_canvas->setInputShape(int(dims[0]), int(dims[1]), int(dims[2]));
            else if (dims.size() == 2)
                m_canvas->setInputShape(1, int(dims[0]), int(dims[1]));
            m_data.reset();
            m_spec.clear();
        }
    }
    const auto& training = graph.training();
    const QString spec =
        QString::fromStdString(training ? training->data : nc::graph::TrainingSettings{}.data);
    if (spec != m_spec && !m_inputDims.empty())
        loadDataset(spec);
}

void ProbeInputPanel::loadDataset(const QString& spec) {
    m_spec = spec;
    m_data.reset();
    m_dataStatus->setText(tr("Loading %1...").arg(spec));
    const quint64 generation = ++m_generation;
    const engine::Dims dims = m_inputDims;
    QPointer<ProbeInputPanel> self(this);
    backgroundPool().start([self, generation, spec, dims] {
        engine::ThreadScope oneThread(1);
        auto loaded = engine::loadDataset(spec.toStdString(), dims);
        std::shared_ptr<const engine::Dataset> loadedData;
        QString error;
        if (loaded)
            loadedData = std::make_shared<const engine::Dataset>(std::move(loaded).value());
        else
            error = QString::fromStdString(loaded.message());
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, loadedData, error] {
                if (!self || self->m_generation != generation)
                    return;
                self->m_data = loadedData;
                const auto& fresh = loadedData;
                if (!fresh) {
                    self->m_dataStatus->setText(error);
                    self->m_index->setRange(0, 0);
                } else {
                    self->m_dataStatus->setText(
                        tr("of %1 in %2").arg(fresh->size()).arg(self->m_spec));
                    self->m_index->setRange(0, int(std::max<std::int64_t>(fresh->size() - 1, 0)));
                }
                self->m_stripStart = -1;
                self->refreshStrip();
                emit self->datasetLoaded();
                emit self->inputChanged();
            },
            Qt::QueuedConnection);
    });
}

void ProbeInputPanel::refreshStrip() {
    if (!m_data) {
        m_strip->clear();
        return;
    }
    const int index = m_index->value();
    const int start = index - index % kStripLength;
    if (start != m_stripStart) {
        m_stripStart = start;
        m_strip->clear();
        const int end = int(std::min<std::int64_t>(start + kStripLength, m_data->size()));
        const engine::Vocabulary& vocabulary = m_data->vocabulary;
        for (int i = start; i < end; ++i) {
            auto* item = new QListWidgetItem;
            engine::Tensor x, y;
            const std::int64_t row = i;
            m_data->gather(&row, 1, x, y);
            if (!vocabulary.empty()) { // text: the window's characters, not a picture
                const QString text = QString::fromStdString(vocabulary.preview(x.data(), x.size()));
                item->setText(text.left(16));
                item->setToolTip(tr("Sample %1: %2").arg(i).arg(text));
            } else {
                const QImage picture = samplePicture(x, 0);
                if (!picture.isNull())
                    item->setIcon(
                        QIcon(QPixmap::fromImage(picture.scaled(40, 40, Qt::KeepAspectRatio))));
                item->setText(m_data->classes > 0 ? QString::number(int(y[0]))
                                                  : QString::number(i));
                item->setToolTip(tr("Sample %1").arg(i));
            }
            item->setData(Qt::UserRole, i);
            m_strip->addItem(item);
        }
    }
    if (QListWidgetItem* current = m_strip->item(index - start)) {
        m_strip->setCurrentItem(current);
        m_strip->scrollToItem(current);
    }
}

ProbeInputPanel::Source ProbeInputPanel::source() const {
    return Source(m_tabs->currentIndex());
}

void ProbeInputPanel::setSource(Source source) {
    m_tabs->setCurrentIndex(int(source));
}

bool ProbeInputPanel::hasInput() const {
    switch (source()) {
    case Source::Dataset:
        return m_data && m_data->size() > 0;
    case Source::Image:
        return !m_image.empty();
    case Source::Drawing:
        return !m_inputDims.empty();
    }
    return false;
}

engine::Tensor ProbeInputPanel::input() const {
    switch (source()) {
    case Source::Dataset: {
        engine::Tensor x, y;
        if (m_data) {
            const std::int64_t i = m_index->value();
            m_data->gather(&i, 1, x, y);
        }
        return x;
    }
    case Source::Image:
        return m_image;
    case Source::Drawing:
        return m_canvas->tensor();
    }
    return {};
}

std::optional<engine::Tensor> ProbeInputPanel::target() const {
    if (source() != Source::Dataset || !m_data)
        return std::nullopt;
    engine::Tensor x, y;
    const std::int64_t i = m_index->value();
    m_data->gather(&i, 1, x, y);
    return y;
}

int ProbeInputPanel::label() const {
    if (source() != Source::Dataset || !m_data || m_data->classes <= 0)
        return -1;
    return int((*target())[0]);
}

QString ProbeInputPanel::description() const {
    switch (source()) {
    case Source::Dataset:
        return label() >= 0 ? tr("%1 #%2 (class %3)").arg(m_spec).arg(m_index->value()).arg(label())
                            : tr("%1 #%2").arg(m_spec).arg(m_index->value());
    case Source::Image:
        return QFileInfo(m_imagePath).fileName();
    case Source::Drawing:
        return tr("a drawing");
    }
    return {};
}

void ProbeInputPanel::setSampleIndex(int index) {
    setSource(Source::Dataset);
    m_index->setValue(index);
}

int ProbeInputPanel::sampleIndex() const {
    return m_index->value();
}

bool ProbeInputPanel::openImage(const QString& path) {
    auto sample = vis::readImageSample(path.toStdString(), m_inputDims);
    setSource(Source::Image);
    if (!sample) {
        m_imageStatus->setText(QString::fromStdString(sample.message()));
        return false;
    }
    m_image = std::move(sample).value();
    m_imagePath = path;
    m_imageStatus->setText(QFileInfo(path).fileName());
    m_imagePreview->setPixmap(
        QPixmap::fromImage(samplePicture(m_image, 0).scaled(80, 80, Qt::KeepAspectRatio)));
    emit inputChanged();
    return true;
}

} // namespace nc::ui
