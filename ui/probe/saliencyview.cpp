#include "saliencyview.h"

#include "matimage.h"
#include "pictureview.h"

#include "ui/backgroundpool.h"

#include "engine/backendlist.h"
#include "engine/probe/edgeprobe.h"
#include "engine/probe/probeweights.h"
#include "engine/probe/saliency.h"
#include "engine/threading.h"
#include "engine/vis/samplepictures.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QSpinBox>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>

namespace nc::ui {

namespace {

struct Drawn {
    QImage picture;
    QString status;
};

Drawn drawEvidence(const nc::graph::Graph& graph, const engine::SnapshotPtr& weights,
                   std::uint64_t seed, const engine::Tensor& x, engine::EdgeRef edge,
                   SaliencyView::Method method, int classIndex) {
    auto model = engine::compileWithWeights(graph, weights, seed, "the chosen weights");
    if (!model)
        return {{}, QString::fromStdString(model.message())};
    engine::Model& m = model.value();
    if (m.classifierLogits() < 0)
        return {{}, QObject::tr("Saliency needs a classifier (a SoftmaxCrossEntropy loss).")};
    auto backend = engine::createBackend("cpu");
    if (classIndex < 0) {
        const engine::Value& v = m.values()[std::size_t(m.classifierLogits())];
        const engine::EdgeRef logits{v.node, v.port};
        auto z = engine::probeEdges(m, *backend.value(), x, std::span(&logits, 1));
        if (!z)
            return {{}, QString::fromStdString(z.message())};
        const engine::Tensor& row = z.value()[0];
        classIndex = int(std::max_element(row.data(), row.data() + row.size()) - row.data());
    }
    std::optional<engine::EdgeRef> cam;
    if (method == SaliencyView::Method::GradCam)
        cam = edge;
    auto evidence = engine::classEvidence(m, *backend.value(), x, classIndex, cam);
    if (!evidence)
        return {{}, QString::fromStdString(evidence.message())};
    const engine::ClassEvidence& e = evidence.value();
    engine::Tensor sample = x;
    sample.reshape(engine::Dims(x.dims().begin() + 1, x.dims().end()));
    const QString what = cam ? QObject::tr("Grad-CAM on %1")
                                   .arg(QString::fromStdString(engine::describeEdge(graph, *cam)))
                             : QObject::tr("saliency");
    return {toQImage(vis::renderEvidence(sample, cam ? e.gradCam : e.saliency,
                                         vis::Colormap::Inferno, 0)),
            QObject::tr("Class %1 (p = %2 %), %3")
                .arg(e.classIndex)
                .arg(100.0 * e.probability, 0, 'f', 1)
                .arg(what)};
}

} // namespace

SaliencyView::SaliencyView(QWidget* parent)
    : QWidget(parent), m_method(new QComboBox), m_class(new QSpinBox), m_picture(new PictureView),
      m_status(new QLabel) {
    m_method->addItems({tr("Saliency (input gradient)"), tr("Grad-CAM on the probed wire")});
    m_class->setRange(-1, 9999);
    m_class->setSpecialValueText(tr("predicted"));
    m_class->setValue(-1);
    m_class->setToolTip(tr("The class to explain"));
    m_status->setWordWrap(true);
    m_status->setText(tr("Probe a sample in the Probe dock; this explains the classifier's "
                         "choice for it."));
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_method, 1);
    controls->addWidget(new QLabel(tr("Class:")));
    controls->addWidget(m_class);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_picture, 1, Qt::AlignHCenter | Qt::AlignTop);
    connect(m_method, &QComboBox::currentIndexChanged, this, &SaliencyView::redraw);
    connect(m_class, &QSpinBox::valueChanged, this, &SaliencyView::redraw);
}

void SaliencyView::explain(const nc::graph::Graph& graph, engine::SnapshotPtr weights,
                           std::uint64_t seed, const engine::Tensor& x, engine::EdgeRef edge) {
    m_graph = graph;
    m_weights = std::move(weights);
    m_seed = seed;
    m_x = x;
    m_edge = edge;
    redraw();
}

void SaliencyView::setMethod(Method method) {
    m_method->setCurrentIndex(int(method));
}

void SaliencyView::setClass(int classIndex) {
    m_class->setValue(classIndex);
}

QImage SaliencyView::picture() const {
    return m_picture->picture();
}

QString SaliencyView::statusText() const {
    return m_status->text();
}

void SaliencyView::redraw() {
    if (m_x.empty())
        return;
    runLatest(
        this, &SaliencyView::m_generation,
        [graph = m_graph, weights = m_weights, seed = m_seed, x = m_x, edge = m_edge,
         method = Method(m_method->currentIndex()), classIndex = m_class->value()] {
            return drawEvidence(graph, weights, seed, x, edge, method, classIndex);
        },
        [](SaliencyView& view, const Drawn& drawn) {
            ++view.m_done;
            view.m_picture->setPicture(drawn.picture);
            view.m_status->setText(drawn.status);
            emit view.drawn();
        });
}

} // namespace nc::ui
