// netcanvas: the editor window.
//
//   netcanvas [GRAPH]                      open a graph file (default: the Standard CNN)
//   netcanvas --example NAME               open a seed network
//   netcanvas --screenshot PNG [--select NODE]   render the window to a PNG and quit

#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("NetCanvas");
    QApplication::setApplicationName("NetCanvas");
    QApplication::setApplicationVersion(NETCANVAS_VERSION);
    QApplication::setWindowIcon(QIcon(":/icons/netcanvas.svg"));
    Q_INIT_RESOURCE(resources);

    QCommandLineParser parser;
    parser.setApplicationDescription("Design, train and debug neural networks visually.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("graph", "A graph file to open.");
    QCommandLineOption example(
        "example",
        "Open a seed network: mlp, mnist_cnn, modified_cnn, conv_autoencoder, catsdogs_cnn.",
        "name");
    QCommandLineOption screenshot("screenshot", "Render the window to a PNG file and quit.", "png");
    QCommandLineOption select("select", "Select a node by name (with --screenshot).", "node");
    parser.addOptions({example, screenshot, select});
    parser.process(app);

    nc::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    else if (parser.isSet(example))
        window.openExample(parser.value(example));
    else if (window.recovery().exists())
        window.offerRecovery(!parser.isSet(screenshot));
    else
        window.openExample("mnist_cnn");

    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot), name = parser.value(select);
        QTimer::singleShot(300, &window, [&window, path, name] {
            if (!name.isEmpty())
                if (const auto* node = window.document()->graph().findByName(name.toStdString()))
                    window.scene()->selectNodes({node->id});
            window.view()->fitToContents();
            QTimer::singleShot(200, &window, [&window, path] {
                const bool ok = window.grab().save(path);
                window.document()->undoStack()->setClean();
                window.close();
                QApplication::exit(ok ? 0 : 1);
            });
        });
    }
    return app.exec();
}
