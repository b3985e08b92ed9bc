#include "datapreview.h"

#include "engine/data/dataspec.h"
#include "engine/model.h"
#include "engine/threading.h"
#include "engine/trainer.h"

#include <QApplication>
#include <QFontDatabase>
#include <QGridLayout>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QPointer>
#include <QThreadPool>

#include "ui/backgroundpool.h"
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace nc::ui {

namespace {

constexpr int kThumbnails = 24;
constexpr int kColumns = 6;
constexpr int kThumbSize = 44;
constexpr int kTextLines = 8;

// A sample [C, H, W] (C 1 or 3, values in [0, 1]) as an image; other shapes give none.
QImage sampleImage(const engine::Tensor& samples, std::int64_t index) {
    const engine::Dims& d = samples.dims();
    if (d.size() != 4 || (d[1] != 1 && d[1] != 3))
        return {};
    const int c = int(d[1]), h = int(d[2]), w = int(d[3]);
    const float* p = samples.data() + index * c * h * w;
    QImage image(w, h, QImage::Format_RGB32);
    auto level = [](float v) { return int(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f); };
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int r = level(p[y * w + x]);
            const int g = c == 3 ? level(p[h * w + y * w + x]) : r;
            const int b = c == 3 ? level(p[2 * h * w + y * w + x]) : r;
            image.setPixel(x, y, qRgb(r, g, b));
        }
    return image;
}

QString dimsText(const engine::Dims& dims) {
    QStringList parts;
    for (std::int64_t d : dims)
        parts << QString::number(d);
    return parts.join(QChar(0x00d7));
}

} // namespace

struct DataPreview::Result {
    QString summary, warning;
    std::vector<std::pair<QImage, QString>> samples;
    QStringList texts; // text data: the first windows' characters
};

DataPreview::DataPreview(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel), m_warning(new QLabel), m_grid(nullptr),
      m_gridHost(new QWidget) {
    m_summary->setWordWrap(true);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet("color: #b3261e;");
    m_warning->hide();
    m_grid = new QGridLayout(m_gridHost);
    m_grid->setSpacing(2);
    m_grid->setContentsMargins(0, 0, 0, 0);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_warning);
    layout->addWidget(m_gridHost);
}

QString DataPreview::summary() const {
    return m_summary->text();
}

QString DataPreview::warning() const {
    return m_warning->isHidden() ? QString() : m_warning->text();
}

void DataPreview::preview(const QString& spec, const nc::graph::Graph& graph) {
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_summary->setText(tr("Loading %1...").arg(spec));
    QPointer<DataPreview> self(this);
    backgroundPool().start([self, generation, spec, graph] {
        // One core: a preview must not crowd out the window (or a training) on a small machine.
        engine::ThreadScope oneThread(1);
        Result result;
        auto model = engine::Model::compile(graph);
        if (!model) {
            result.summary = spec;
            result.warning = tr("The graph cannot run yet (%1), so the data cannot be checked "
                                "against its Input.")
                                 .arg(QString::fromStdString(model.message()));
        } else {
            const engine::Model& m = model.value();
            auto loaded = engine::loadDataset(
                spec.toStdString(), m.values()[std::size_t(m.inputStep().outputs[0])].perSample);
            if (!loaded) {
                result.summary = spec;
                result.warning = QString::fromStdString(loaded.message());
            } else {
                const engine::Dataset& d = loaded.value();
                result.summary =
                    tr("%1 samples of %2")
                        .arg(QLocale().toString(qlonglong(d.size())), dimsText(d.sampleDims()));
                if (d.classes > 0)
                    result.summary += tr(", %n classes", nullptr, int(d.classes));
                if (auto fits = engine::checkDataFits(m, d); !fits)
                    result.warning = QString::fromStdString(fits.message());
                if (!d.vocabulary.empty())
                    result.summary +=
                        tr(" (a vocabulary of %n characters)", nullptr, d.vocabulary.size());
                const bool text = !d.vocabulary.empty(); // characters, not pictures
                const std::int64_t shown =
                    std::min<std::int64_t>(text ? kTextLines : kThumbnails, d.size());
                for (std::int64_t i = 0; i < shown; ++i) {
                    engine::Tensor x, y;
                    d.gather(&i, 1, x, y);
                    if (text) {
                        result.texts
                            << QString::fromStdString(d.vocabulary.preview(x.data(), x.size()));
                        continue;
                    }
                    QString label = d.classes > 0 ? QString::number(int(y[0])) : QString();
                    result.samples.emplace_back(sampleImage(x, 0), label);
                }
            }
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, result] {
                if (self && self->m_generation == generation)
                    self->present(result);
            },
            Qt::QueuedConnection);
    });
}

void DataPreview::present(const Result& result) {
    m_loading = false;
    m_summary->setText(result.summary);
    m_warning->setText(result.warning);
    m_warning->setVisible(!result.warning.isEmpty());
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_shown = 0;
    for (const QString& text : result.texts) {
        auto* line = new QLabel(text);
        line->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        line->setToolTip(tr("sample %1").arg(m_shown));
        line->setTextInteractionFlags(Qt::TextSelectableByMouse);
        line->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // long lines clip
        m_grid->addWidget(line, m_shown, 0, 1, kColumns);
        ++m_shown;
    }
    for (const auto& [image, label] : result.samples) {
        auto* cell = new QLabel;
        cell->setAlignment(Qt::AlignCenter);
        cell->setToolTip(label.isEmpty() ? tr("sample %1").arg(m_shown)
                                         : tr("sample %1, class %2").arg(m_shown).arg(label));
        if (!image.isNull()) {
            QPixmap pixmap = QPixmap::fromImage(
                image.scaled(kThumbSize, kThumbSize, Qt::KeepAspectRatio, Qt::FastTransformation));
            cell->setPixmap(pixmap);
        }
        auto* caption = new QLabel(label);
        caption->setAlignment(Qt::AlignCenter);
        caption->setStyleSheet("color: palette(mid); font-size: 9pt;");
        auto* box = new QWidget;
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(0);
        v->addWidget(cell);
        v->addWidget(caption);
        m_grid->addWidget(box, m_shown / kColumns, m_shown % kColumns);
        ++m_shown;
    }
    emit loaded();
}

} // namespace nc::ui
