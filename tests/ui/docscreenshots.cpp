// Takes the documentation's pictures (docs/screenshots/) from the real window, popups and
// menus included, so run it on an X display: `make screenshots` runs it under xvfb-run.
// Not a test; it only writes PNG files into the folder it is given.

#include "ui/applylayout.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/mainwindow.h"
#include "ui/nodeitem.h"

#include <QApplication>
#include <QDockWidget>
#include <QScreen>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <cstdio>

using namespace nc::ui;

namespace {

void settle(int ms = 250) {
    QTimer wait;
    wait.setSingleShot(true);
    wait.start(ms);
    while (wait.isActive())
        QApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool saveScreen(const QString& path, const QRect& area) {
    const QPixmap shot = QGuiApplication::primaryScreen()->grabWindow(0, area.x(), area.y(),
                                                                      area.width(), area.height());
    const bool ok = shot.save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

void prepare(MainWindow& window, const QString& example) {
    window.document()->undoStack()->setClean(); // no "save changes?" between pictures
    window.openExample(example);
    window.setLayoutDirection(LayoutDirection::LeftToRight);
    window.autoLayout();
    settle();
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: docscreenshots OUT_DIR\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    QTemporaryDir recovery;
    bool ok = true;
    MainWindow window(recovery.path());
    window.setGeometry(0, 0, 1600, 1000);
    window.show();
    settle(500);

    // The five examples after auto-layout.
    for (const char* example : {"mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder", "catsdogs_cnn"}) {
        prepare(window, example);
        ok = saveScreen(out + "/layout-" + example + ".png", window.frameGeometry()) && ok;
    }

    // The Network summary dock, on the Modified CNN.
    prepare(window, "modified_cnn");
    if (auto* dock = window.findChild<QDockWidget*>("summary")) {
        dock->show();
        dock->raise();
    }
    settle();
    ok = saveScreen(out + "/network-summary.png", window.frameGeometry()) && ok;
    if (auto* dock = window.findChild<QDockWidget*>("problems"))
        dock->raise();

    // A wire from pool2 let go on empty canvas: quick-add offers what fits.
    prepare(window, "mnist_cnn");
    const auto* pool2 = window.document()->graph().findByName("pool2");
    NodeItem* card = window.scene()->nodeItem(pool2->id);
    const QPointF drop = card->scenePos() + QPointF(60, 260);
    const QPoint screen = window.view()->viewport()->mapToGlobal(window.view()->mapFromScene(drop));
    emit window.scene()->wireDropped(pool2->id, true, 0, drop, screen);
    settle();
    ok = saveScreen(out + "/wire-drop.png", window.frameGeometry()) && ok;
    for (QWidget* popup : QApplication::topLevelWidgets())
        if (popup->windowType() == Qt::Popup && popup->isVisible())
            popup->hide();

    // The context menu of a card.
    const auto* conv2 = window.document()->graph().findByName("conv2");
    NodeItem* conv2Card = window.scene()->nodeItem(conv2->id);
    const QPoint menuAt = window.view()->viewport()->mapToGlobal(
        window.view()->mapFromScene(conv2Card->scenePos() + QPointF(100, 50)));
    emit window.view()->cardMenuRequested(conv2->id, menuAt);
    settle();
    ok = saveScreen(out + "/card-menu.png", window.frameGeometry()) && ok;
    for (QWidget* popup : QApplication::topLevelWidgets())
        if (popup->windowType() == Qt::Popup && popup->isVisible())
            popup->hide();

    window.document()->undoStack()->setClean();
    window.close();
    return ok ? 0 : 1;
}
