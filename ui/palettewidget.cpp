#include "palettewidget.h"

#include "canvasstyle.h"
#include "graphview.h"

#include "graph_model/layerregistry.h"

#include <QDrag>
#include <QLineEdit>
#include <QMimeData>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace nc::ui {

using namespace nc::graph;

namespace {

// A tree that starts a drag with the layer type as its payload.
class PaletteTree : public QTreeWidget {
protected:
    QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override {
        if (items.isEmpty() || items.first()->data(0, Qt::UserRole).toString().isEmpty())
            return nullptr;
        auto* mime = new QMimeData;
        mime->setData(GraphView::kLayerMimeType,
                      items.first()->data(0, Qt::UserRole).toString().toUtf8());
        return mime;
    }
};

} // namespace

PaletteWidget::PaletteWidget(QWidget* parent)
    : QWidget(parent), m_filter(new QLineEdit), m_tree(new PaletteTree) {
    m_filter->setPlaceholderText(tr("Search layers"));
    m_filter->setClearButtonEnabled(true);
    m_tree->setHeaderHidden(true);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setRootIsDecorated(false);
    m_tree->setIndentation(10);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree);

    const LayerRegistry& registry = LayerRegistry::instance();
    for (const std::string& category : registry.categories()) {
        auto* group = new QTreeWidgetItem(m_tree, {QString::fromStdString(category)});
        group->setFlags(Qt::ItemIsEnabled);
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        for (const LayerSpec& spec : registry.specs()) {
            if (spec.category != category)
                continue;
            auto* item = new QTreeWidgetItem(group, {QString::fromStdString(spec.type)});
            item->setData(0, Qt::UserRole, QString::fromStdString(spec.type));
            item->setToolTip(0, QString::fromStdString(spec.help));
            item->setIcon(0, CanvasStyle::swatch(
                                 CanvasStyle::categoryColor(QString::fromStdString(category))));
        }
    }
    m_tree->expandAll();
    connect(m_filter, &QLineEdit::textChanged, this, &PaletteWidget::setFilter);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        const QString type = item->data(0, Qt::UserRole).toString();
        if (!type.isEmpty())
            emit layerActivated(type);
    });
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        const QStringList types = visibleTypes();
        if (types.size() == 1)
            emit layerActivated(types.first());
    });
}

void PaletteWidget::setFilter(const QString& text) {
    if (m_filter->text() != text)
        m_filter->setText(text);
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        bool any = false;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const bool match = text.isEmpty() ||
                               item->text(0).contains(text, Qt::CaseInsensitive) ||
                               group->text(0).contains(text, Qt::CaseInsensitive);
            item->setHidden(!match);
            any = any || match;
        }
        group->setHidden(!any);
    }
}

QStringList PaletteWidget::visibleTypes() const {
    QStringList types;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g)
        for (int i = 0; i < m_tree->topLevelItem(g)->childCount(); ++i)
            if (!m_tree->topLevelItem(g)->child(i)->isHidden() &&
                !m_tree->topLevelItem(g)->isHidden())
                types << m_tree->topLevelItem(g)->child(i)->text(0);
    return types;
}

} // namespace nc::ui
