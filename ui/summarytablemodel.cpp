#include "summarytablemodel.h"

#include "graph_model/shape.h"

namespace nc::ui {

using namespace nc::graph;

void SummaryTableModel::setSummary(NetworkSummary summary,
                                   const std::optional<engine::LayerTiming>& timing) {
    beginResetModel();
    m_summary = std::move(summary);
    m_times.clear();
    m_backward = timing && timing->backward;
    if (timing)
        for (const engine::LayerTime& time : timing->layers)
            m_times[time.node] = time;
    endResetModel();
}

void SummaryTableModel::clearTimes() {
    if (m_times.empty())
        return;
    m_times.clear();
    if (rowCount() > 0)
        emit dataChanged(index(0, Forward), index(rowCount() - 1, Backward));
}

int SummaryTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_summary.layers.size());
}

int SummaryTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : Count;
}

QVariant SummaryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name: return tr("Layer");
    case Type: return tr("Type");
    case Output: return tr("Output");
    case Params: return tr("Parameters");
    case MultiplyAdds: return tr("Multiply-adds");
    case Activations: return tr("Activation memory");
    case Forward: return tr("Forward ms");
    case Backward: return tr("Backward ms");
    case Count: break;
    }
    return {};
}

QVariant SummaryTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LayerSummary& l = m_summary.layers[std::size_t(index.row())];
    const auto column = Column(index.column());
    const auto time = m_times.find(l.id);
    const bool timed = time != m_times.end() && (column == Forward || (column == Backward && m_backward));
    const double ms = !timed ? 0 : column == Forward ? time->second.forwardMs : time->second.backwardMs;
    const bool number = column == Params || column == MultiplyAdds || column == Activations || timed;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: return QString::fromStdString(l.name);
        case Type: return QString::fromStdString(l.type);
        case Output: return QString::fromStdString(l.output);
        case Params: return QString::fromStdString(formatCount(l.params));
        case MultiplyAdds: return QString::fromStdString(formatCount(l.multiplyAdds));
        case Activations: return QString::fromStdString(formatBytes(4 * l.activations));
        case Forward:
        case Backward: return timed ? QString::number(ms, 'f', ms < 10 ? 3 : 1) : QString();
        case Count: break;
        }
        return {};
    case Qt::TextAlignmentRole:
        return number ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole:
        return column == Activations
                   ? QVariant(tr("%1 values").arg(QString::fromStdString(formatCount(l.activations))))
                   : QVariant();
    case NodeIdRole:
        return column == Name ? QVariant(qlonglong(l.id)) : QVariant();
    case ValueRole:
        return column == Params         ? QVariant(qlonglong(l.params))
               : column == MultiplyAdds ? QVariant(qlonglong(l.multiplyAdds))
                                        : QVariant();
    default:
        return {};
    }
}

} // namespace nc::ui
