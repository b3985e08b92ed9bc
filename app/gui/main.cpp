// netcanvas: the editor window.
//
//   netcanvas [GRAPH]                      open a graph file (default: the Standard CNN)
//   netcanvas --example NAME               open a seed network
//   netcanvas --screenshot PNG [--select NODE]   render the window to a PNG and quit
//
// Every interactive start first offers the recovery files of sessions that ended without
// saving (ui/recoveryoffer.h); each restored graph opens in a window of its own, and what the
// command line asks for opens in another, so neither replaces the other. A --screenshot run
// never looks at them. For tests only, NETCANVAS_RECOVERY_ANSWER=restore|discard|later answers
// every offer without the dialog.

#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/mainwindow.h"
#include "ui/recoveryoffer.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QStatusBar>
#include <QTimer>

namespace {

using nc::ui::MainWindow;

// The command line's document, or the Standard CNN when it names none.
void openRequested(MainWindow& window, const QCommandLineParser& parser,
                   const QCommandLineOption& example) {
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    else if (parser.isSet(example))
        window.openExample(parser.value(example));
    else
        window.openExample("mnist_cnn");
}

nc::ui::AskRecovery recoveryQuestion() {
    const QString preset = qEnvironmentVariable("NETCANVAS_RECOVERY_ANSWER");
    const auto answer = preset == "restore"   ? nc::ui::RecoveryAnswer::Restore
                        : preset == "discard" ? nc::ui::RecoveryAnswer::Discard
                                              : nc::ui::RecoveryAnswer::Later;
    if (preset == "restore" || preset == "discard" || preset == "later")
        return [answer](const nc::ui::RecoveryQuestion&) { return answer; };
    return nc::ui::askWithDialog;
}

int takeScreenshot(const QCommandLineParser& parser, const QCommandLineOption& example,
                   const QString& path, const QString& name) {
    MainWindow window;
    window.show();
    openRequested(window, parser, example);
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
    return QApplication::exec();
}

} // namespace

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

    if (parser.isSet(screenshot))
        return takeScreenshot(parser, example, parser.value(screenshot), parser.value(select));

    nc::ui::RecoveryOffer offer = nc::ui::offerRecoveries({}, recoveryQuestion());
    std::vector<MainWindow*> windows;
    for (auto& restored : offer.windows)
        windows.push_back(restored.release());
    const bool requested = !parser.positionalArguments().isEmpty() || parser.isSet(example);
    if (requested || windows.empty()) {
        windows.push_back(new MainWindow);
        openRequested(*windows.back(), parser, example);
    }
    for (std::size_t i = 0; i < windows.size(); ++i) {
        MainWindow* window = windows[i];
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->move(window->pos() + QPoint(32, 32) * int(i));
        window->show();
    }
    if (!offer.problems.isEmpty())
        windows.front()->statusBar()->showMessage(offer.problems.join("  "));
    return app.exec();
}
