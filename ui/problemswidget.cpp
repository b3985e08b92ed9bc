#include "problemswidget.h"

#include "graphdocument.h"

#include <QApplication>
#include <QStyle>

namespace nc::ui {

using namespace nc::graph;

ProblemsWidget::ProblemsWidget(GraphDocument* document, QWidget* parent)
    : QListWidget(parent), m_document(document) {
    setWordWrap(true);
    setAlternatingRowColors(true);
    connect(document, &GraphDocument::inferenceChanged, this, &ProblemsWidget::refresh);
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const NodeId id = item->data(Qt::UserRole).toLongLong();
        if (id != kNoNode)
            emit nodeActivated(id);
    });
    refresh();
}

void ProblemsWidget::refresh() {
    clear();
    const QIcon error = QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warning = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const Diagnostic& d : m_document->inference().diagnostics()) {
        auto* item = new QListWidgetItem(d.severity == Severity::Error ? error : warning,
                                         QString::fromStdString(d.message), this);
        item->setData(Qt::UserRole, qlonglong(d.node));
    }
    if (count() == 0)
        addItem(tr("No problems: every shape fits."));
}

} // namespace nc::ui
