#pragma once
// Which weights the window has loaded for its graph, beside the initial and the live ones:
// those File > Import ONNX brought, File > Load Weights read, or a run's checkpoint the Runs
// dock chose. One owner for the whole window, so the Probe dock probes with them, exports
// use them and the Training dock can start from them; the docks only display this.
//
//   loaded->set(snapshot, "model.onnx");
//   connect(loaded, &LoadedWeights::changed, dock, &Dock::refresh);
//   if (engine::SnapshotPtr w = loaded->weights()) job.initialWeights = w;

#include "engine/weightsnapshot.h"

#include <QObject>
#include <QString>

namespace nc::ui {

class LoadedWeights : public QObject {
    Q_OBJECT

public:
    explicit LoadedWeights(QObject* parent = nullptr) : QObject(parent) {}

    engine::SnapshotPtr weights() const { return m_weights; } // null: none loaded
    QString label() const { return m_label; }                 // the file, "model.onnx"
    bool has() const { return m_weights != nullptr; }

    // Replaces what was loaded (null `weights`: forgets it).
    void set(engine::SnapshotPtr weights, const QString& label);
    void clear() { set(nullptr, {}); }

signals:
    void changed();

private:
    engine::SnapshotPtr m_weights;
    QString m_label;
};

} // namespace nc::ui
