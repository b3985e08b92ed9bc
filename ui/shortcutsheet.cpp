#include "shortcutsheet.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include <QMainWindow>

namespace nc::ui {

namespace {

struct Row {
    QString group, what, keys;
};

QString plain(QString text) {
    return text.remove('&').remove("...");
}

void addMenu(QMenu* menu, const QString& group, QList<Row>& rows) {
    for (QAction* action : menu->actions()) {
        if (QMenu* sub = action->menu()) {
            addMenu(sub, group, rows);
            continue;
        }
        QStringList keys;
        for (const QKeySequence& k : action->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        if (!keys.isEmpty())
            rows.push_back({group, plain(action->text()), keys.join(", ")});
    }
}

} // namespace

QDialog* createShortcutSheet(QWidget* window) {
    QList<Row> rows;
    if (auto* main = qobject_cast<QMainWindow*>(window))
        for (QAction* top : main->menuBar()->actions())
            if (top->menu())
                addMenu(top->menu(), plain(top->text()), rows);
    const QString canvas = QObject::tr("Canvas");
    rows.push_back({canvas, QObject::tr("Add a layer at the cursor"), QObject::tr("Tab")});
    rows.push_back({canvas, QObject::tr("Wire two layers"),
                    QObject::tr("Drag from an output port to an input port")});
    rows.push_back({canvas, QObject::tr("Pan"), QObject::tr("Middle drag, or Space + drag")});
    rows.push_back({canvas, QObject::tr("Zoom at the cursor"), QObject::tr("Wheel")});
    rows.push_back({canvas, QObject::tr("Select several"), QObject::tr("Drag on empty canvas")});
    rows.push_back({canvas, QObject::tr("Layer actions"), QObject::tr("Right-click a card")});

    auto* dialog = new QDialog(window);
    dialog->setWindowTitle(QObject::tr("Keyboard and Mouse"));
    auto* table = new QTableWidget(int(rows.size()), 3, dialog);
    table->setHorizontalHeaderLabels(
        {QObject::tr("Menu"), QObject::tr("Action"), QObject::tr("Keys")});
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows[i].group));
        table->setItem(i, 1, new QTableWidgetItem(rows[i].what));
        table->setItem(i, 2, new QTableWidgetItem(rows[i].keys));
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(620, 560);
    return dialog;
}

} // namespace nc::ui
