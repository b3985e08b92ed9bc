#include "loadedweights.h"

namespace nc::ui {

void LoadedWeights::set(engine::SnapshotPtr weights, const QString& label) {
    m_weights = std::move(weights);
    m_label = m_weights ? label : QString();
    emit changed();
}

} // namespace nc::ui
