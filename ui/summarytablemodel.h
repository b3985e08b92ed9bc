#pragma once
// The Network Summary's table as a model: one row per layer of a NetworkSummary, with the
// layer times when there are some. A view asks only for the rows it shows, so a summary of
// 20,000 layers is set in the time it takes to compute, not to build 160,000 table items.
//
//   SummaryTableModel model;
//   model.setSummary(summarizeNetwork(graph, inference, batch), timing);
//   view->setModel(&model);

#include "engine/probe/layertiming.h"
#include "graph_model/networksummary.h"

#include <QAbstractTableModel>

#include <optional>
#include <unordered_map>

namespace nc::ui {

class SummaryTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Type, Output, Params, MultiplyAdds, Activations, Forward, Backward, Count };
    // On the Name column: the layer's node id. On number columns: the value itself.
    static constexpr int NodeIdRole = Qt::UserRole;
    static constexpr int ValueRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;
    void setSummary(nc::graph::NetworkSummary summary,
                    const std::optional<engine::LayerTiming>& timing);
    const nc::graph::NetworkSummary& summary() const { return m_summary; }
    // Empties the time columns (an edit made the times stale).
    void clearTimes();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    nc::graph::NetworkSummary m_summary;
    std::unordered_map<nc::graph::NodeId, engine::LayerTime> m_times;
    bool m_backward = false;
};

} // namespace nc::ui
