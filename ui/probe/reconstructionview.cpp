#include "reconstructionview.h"

#include "matimage.h"
#include "pictureview.h"

#include "ui/backgroundpool.h"
#include "ui/graphdocument.h"

#include "engine/backendlist.h"
#include "engine/probe/edgeprobe.h"
#include "engine/probe/probeweights.h"
#include "engine/probe/reconstruction.h"
#include "engine/threading.h"
#include "engine/vis/samplepictures.h"

#include <QCoreApplication>
#include <QLabel>
#include <QPointer>
#include <QScrollArea>
#include <QThreadPool>
#include <QVBoxLayout>

#include <numeric>

namespace nc::ui {

namespace {

struct Drawn {
    QImage picture;
    QString status;
};

Drawn drawReconstructions(const nc::graph::Graph& graph, const engine::Dataset& data,
                          const engine::SnapshotPtr& weights, std::uint64_t seed,
                          const QString& label) {
    auto model = engine::compileWithWeights(graph, weights, seed, label.toStdString());
    if (!model)
        return {{}, QString::fromStdString(model.message())};
    const std::optional<engine::EdgeRef> edge = engine::reconstructionEdge(model.value());
    if (!edge)
        return {{},
                QObject::tr("This graph reconstructs nothing: no MSE loss compares an output "
                            "with the Input's x.")};
    const double split = graph.training() ? graph.training()->valSplit : 0.2;
    const engine::Dataset validation = split > 0 ? engine::splitTail(data, split).second : data;
    const std::int64_t n = std::min<std::int64_t>(ReconstructionView::kSamples, validation.size());
    if (n == 0)
        return {{}, QObject::tr("No validation samples to show.")};
    std::vector<std::int64_t> indices(static_cast<std::size_t>(n));
    std::iota(indices.begin(), indices.end(), 0);
    engine::Tensor x, y;
    validation.gather(indices.data(), n, x, y);
    auto backend = engine::createBackend("cpu");
    auto out = engine::probeEdges(model.value(), *backend.value(), x, std::span(&*edge, 1));
    if (!out)
        return {{}, QString::fromStdString(out.message())};
    const engine::Tensor& r = out.value()[0];
    double squared = 0;
    for (std::int64_t i = 0; i < r.size(); ++i)
        squared += double(r[i] - x[i]) * double(r[i] - x[i]);
    return {toQImage(vis::renderReconstructions(x, r, 4, 3)),
            QObject::tr("%1: the first %2 validation inputs, each beside its reconstruction "
                        "(%3); mean squared error %4")
                .arg(label)
                .arg(n)
                .arg(QString::fromStdString(engine::describeEdge(graph, *edge)))
                .arg(squared / double(r.size()), 0, 'g', 4)};
}

} // namespace

ReconstructionView::ReconstructionView(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_picture(new PictureView), m_status(new QLabel) {
    m_status->setWordWrap(true);
    m_status->setText(tr("Waiting for the data set..."));
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_picture);
    scroll->setAlignment(Qt::AlignCenter);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);
}

void ReconstructionView::setData(std::shared_ptr<const engine::Dataset> dataset) {
    m_data = std::move(dataset);
}

void ReconstructionView::refresh(engine::SnapshotPtr weights, std::uint64_t seed,
                                 const QString& label) {
    if (!m_data)
        return;
    runLatest(
        this, &ReconstructionView::m_generation,
        [weights, seed, label, graph = m_document->graph(), dataset = m_data] {
            return drawReconstructions(graph, *dataset, weights, seed, label);
        },
        [](ReconstructionView& view, const Drawn& drawn) {
            ++view.m_done;
            view.m_picture->setPicture(drawn.picture);
            view.m_status->setText(drawn.status);
        });
}

QImage ReconstructionView::picture() const {
    return m_picture->picture();
}

QString ReconstructionView::statusText() const {
    return m_status->text();
}

} // namespace nc::ui
