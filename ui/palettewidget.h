#pragma once
// The layer palette: every registered type, grouped by category, with a search filter.
// Drag a layer onto the canvas, or double-click it, to add it.

#include <QWidget>

class QLineEdit;
class QTreeWidget;

namespace nc::ui {

class PaletteWidget : public QWidget {
    Q_OBJECT

public:
    explicit PaletteWidget(QWidget* parent = nullptr);
    void setFilter(const QString& text);
    QStringList visibleTypes() const;

signals:
    void layerActivated(const QString& type);

private:
    QLineEdit* m_filter;
    QTreeWidget* m_tree;
};

} // namespace nc::ui
