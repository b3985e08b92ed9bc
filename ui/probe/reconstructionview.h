#pragma once
// The Reconstructions dock, for graphs whose MSE loss compares an output with the Input's
// own x (autoencoders): the first validation inputs, always the same ones, each beside the
// network's output for it, redrawn whenever the weights change (each epoch while training).
// engine/vis draws it, as `netcanvas-cli visualize reconstructions` does.

#include "engine/data/dataset.h"
#include "engine/weightsnapshot.h"

#include <QWidget>

#include <memory>

class QLabel;

namespace nc::ui {

class GraphDocument;
class PictureView;

class ReconstructionView : public QWidget {
    Q_OBJECT

public:
    explicit ReconstructionView(GraphDocument* document, QWidget* parent = nullptr);

    void setData(std::shared_ptr<const engine::Dataset> dataset);
    // Redraws with `weights` (null: initial for `seed`); `label` says whose they are.
    void refresh(engine::SnapshotPtr weights, std::uint64_t seed, const QString& label);
    QImage picture() const;
    QString statusText() const;
    int drawsDone() const { return m_done; }

    static constexpr int kSamples = 8;

private:
    GraphDocument* m_document;
    PictureView* m_picture;
    QLabel* m_status;
    std::shared_ptr<const engine::Dataset> m_data;
    quint64 m_generation = 0;
    int m_done = 0;
};

} // namespace nc::ui
