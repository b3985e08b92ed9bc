#include "cardmenu.h"

#include "graphdocument.h"
#include "layeractions.h"

#include <QKeySequence>
#include <QMenu>

namespace nc::ui {

using namespace nc::graph;

QMenu* createCardMenu(QWidget* parent, GraphDocument* document, NodeId id,
                      const CardMenuHooks& hooks) {
    auto* menu = new QMenu(parent);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const Graph& graph = document->graph();
    const QString name = QString::fromStdString(graph.node(id)->name);
    menu->addSection(name);
    menu->addAction(QObject::tr("&Rename"), [hooks, id] { hooks.rename(id); })
        ->setShortcut(QKeySequence(Qt::Key_F2));
    menu->addAction(QObject::tr("D&uplicate"), hooks.duplicateSelection)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    menu->addAction(QObject::tr("&Delete"), hooks.deleteSelection)
        ->setShortcut(QKeySequence::Delete);
    menu->addSeparator();
    QAction* disconnect = menu->addAction(QObject::tr("Dis&connect Inputs"), [document, id, hooks] {
        const QString refused = disconnectInputs(document, id);
        if (!refused.isEmpty())
            hooks.message(refused);
    });
    disconnect->setEnabled(!graph.edgesInto(id).empty());
    QAction* insert = menu->addAction(QObject::tr("&Insert Layer After..."),
                                      [hooks, id] { hooks.insertAfter(id); });
    insert->setEnabled(graph.outputCount(id) > 0);
    QAction* bypass = menu->addAction(QObject::tr("&Bypass"), [document, id, hooks] {
        const QString refused = bypassLayer(document, id);
        if (!refused.isEmpty())
            hooks.message(refused);
    });
    bypass->setEnabled(graph.inputCount(id) == 1 && graph.edgesInto(id).size() == 1);
    bypass->setToolTip(QObject::tr("Remove %1 and wire what fed it to what it fed").arg(name));
    if (hooks.checkGradients) {
        menu->addSeparator();
        QAction* check = menu->addAction(QObject::tr("Check &Gradients"),
                                         [hooks, id] { hooks.checkGradients(id); });
        check->setToolTip(QObject::tr("Compare %1's backward pass with finite differences on a "
                                      "small batch")
                              .arg(name));
    }
    return menu;
}

} // namespace nc::ui
