// File > Export to ONNX (the graph with the Probe dock's weights: initial, live or a loaded
// checkpoint) and File > Import ONNX (a model as a new graph, its weights in the Probe dock),
// both read and written off the GUI thread.

#include "mainwindow.h"

#include "backgroundpool.h"
#include "graphdocument.h"
#include "graphview.h"
#include "loadedweights.h"
#include "probe/probepanel.h"

#include "core/atomicwrite.h"
#include "engine/export/onnxexport.h"
#include "engine/export/onnximport.h"
#include "engine/probe/probeweights.h"

#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>

namespace nc::ui {

namespace {

struct ExportOutcome {
    QString problem; // empty on success
    QStringList notes;
};

ExportOutcome exportGraph(const nc::graph::Graph& graph, const ProbePanel::WeightsChoice& choice,
                          const QString& path, const QString& name) {
    auto model = engine::Model::compile(graph);
    if (!model)
        return {QObject::tr("The graph cannot run yet: %1")
                    .arg(QString::fromStdString(model.message())),
                {}};
    engine::SnapshotPtr weights =
        choice.weights ? choice.weights : engine::initialWeights(model.value(), choice.seed);
    if (nc::core::Status s =
            engine::applySnapshot(*weights, model.value(), choice.label.toStdString());
        !s)
        return {QString::fromStdString(s.message()), {}};
    auto exported = engine::exportOnnx(model.value(), name.toStdString());
    if (!exported)
        return {QString::fromStdString(exported.message()), {}};
    if (nc::core::Status s =
            nc::core::writeFileAtomically(path.toStdString(), exported.value().bytes);
        !s)
        return {QString::fromStdString(s.message()), {}};
    ExportOutcome outcome;
    for (const std::string& note : exported.value().notes)
        outcome.notes << QString::fromStdString(note);
    return outcome;
}

struct ImportOutcome {
    QString problem; // empty on success
    nc::graph::Graph graph;
    engine::SnapshotPtr weights;
    QStringList notes;
};

ImportOutcome importGraph(const QString& path) {
    ImportOutcome outcome;
    auto bytes = engine::readOnnxFile(path.toStdString());
    if (!bytes) {
        outcome.problem = QString::fromStdString(bytes.message());
        return outcome;
    }
    auto imported = engine::importOnnx(bytes.value(), QFileInfo(path).fileName().toStdString());
    if (!imported) {
        outcome.problem = QString::fromStdString(imported.message());
        return outcome;
    }
    auto snapshot = std::make_shared<engine::WeightSnapshot>();
    snapshot->tensors = std::move(imported.value().weights);
    auto model = engine::Model::compile(imported.value().graph);
    if (!model) {
        outcome.problem = QObject::tr("The imported graph does not compile: %1")
                              .arg(QString::fromStdString(model.message()));
        return outcome;
    }
    if (nc::core::Status s = engine::applySnapshot(*snapshot, model.value(), path.toStdString());
        !s) {
        outcome.problem = QString::fromStdString(s.message());
        return outcome;
    }
    outcome.graph = std::move(imported.value().graph);
    outcome.weights = std::move(snapshot);
    for (const std::string& note : imported.value().notes)
        outcome.notes << QString::fromStdString(note);
    return outcome;
}

} // namespace

void MainWindow::importOnnx(const QString& path) {
    showMessage(tr("Importing %1...").arg(path));
    QPointer<MainWindow> self(this);
    backgroundPool().start([self, path] {
        auto outcome = std::make_shared<ImportOutcome>(importGraph(path));
        QMetaObject::invokeMethod(
            qApp,
            [self, path, outcome] {
                if (!self)
                    return;
                const QString file = QFileInfo(path).fileName();
                if (!outcome->problem.isEmpty()) {
                    emit self->onnxImported(path, outcome->problem);
                    self->showMessage(tr("Not imported: %1").arg(outcome->problem));
                    if (!self->isVisible() || self->testAttribute(Qt::WA_DontShowOnScreen))
                        return;
                    auto* box = new QMessageBox(
                        QMessageBox::Warning, tr("Import ONNX"),
                        tr("%1 cannot be imported.\n\n%2").arg(file, outcome->problem),
                        QMessageBox::Ok, self);
                    box->setAttribute(Qt::WA_DeleteOnClose);
                    box->open();
                    return;
                }
                self->m_document->reset(outcome->graph, {},
                                        QFileInfo(path).completeBaseName() + ".json");
                self->autoLayout();
                self->m_view->fitToContents();
                self->m_loadedWeights->set(outcome->weights, file);
                self->showMessage(
                    tr("Imported %1 with its weights (%2)").arg(file, outcome->notes.join("; ")));
                emit self->onnxImported(path, {});
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::exportOnnx(const QString& path) {
    const ProbePanel::WeightsChoice choice = m_probe->currentWeights();
    showMessage(tr("Exporting to %1 with the %2...").arg(path, choice.label));
    const QString name = m_document->filePath().isEmpty()
                             ? QStringLiteral("network")
                             : QFileInfo(m_document->filePath()).completeBaseName();
    QPointer<MainWindow> self(this);
    backgroundPool().start([self, path, name, choice, graph = m_document->graph()] {
        ExportOutcome outcome = exportGraph(graph, choice, path, name);
        QMetaObject::invokeMethod(
            qApp,
            [self, path, choice, outcome] {
                if (!self)
                    return;
                emit self->onnxExported(path, outcome.problem);
                const QString file = QFileInfo(path).fileName();
                if (outcome.problem.isEmpty()) {
                    self->showMessage(tr("Exported %1 with the %2 (%3)")
                                          .arg(file, choice.label,
                                               outcome.notes.isEmpty() ? tr("no layer changed")
                                                                       : outcome.notes.join("; ")));
                    return;
                }
                self->showMessage(tr("Not exported: %1").arg(outcome.problem));
                if (!self->isVisible() || self->testAttribute(Qt::WA_DontShowOnScreen))
                    return;
                auto* box =
                    new QMessageBox(QMessageBox::Warning, tr("Export to ONNX"),
                                    tr("%1 was not written.\n\n%2").arg(file, outcome.problem),
                                    QMessageBox::Ok, self);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            },
            Qt::QueuedConnection);
    });
}

} // namespace nc::ui
