// netcanvas: the editor window.
//
//   netcanvas [GRAPH]                      open a graph file (default: the Standard CNN)
//   netcanvas --example NAME               open a seed network
//   netcanvas --screenshot PNG [--select NODE]   render the window to a PNG and quit
//   netcanvas GRAPH --train [--data SPEC] [--epochs N] [--runs-dir DIR] [--quit-after-training]
//                                          open the graph and start training it in the window
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
#include "ui/training/runlibrary.h"
#include "ui/training/trainingcontroller.h"
#include "ui/training/trainingdock.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>

#include <csignal>

#include <cstdio>

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

// "lr" or "tb" from --layout.
bool applyLayoutOption(MainWindow& window, const QString& value) {
    if (value.isEmpty())
        return true;
    if (value != "lr" && value != "tb")
        return false;
    window.setLayoutDirection(value == "tb" ? nc::ui::LayoutDirection::TopToBottom
                                            : nc::ui::LayoutDirection::LeftToRight);
    window.autoLayout();
    return true;
}

// Opens, lays out (--layout) and renders the window (--screenshot) or saves the graph
// (--save-to), then quits: for documentation pictures and for re-laying the examples.
int runBatch(const QCommandLineParser& parser, const QCommandLineOption& example,
             const QString& layout, const QString& path, const QString& saveTo,
             const QString& name) {
    // Batch runs have no one to answer a dialog: what cannot be opened is refused here.
    if (parser.positionalArguments().isEmpty() && parser.isSet(example) &&
        !MainWindow::exampleNames().contains(parser.value(example))) {
        std::fprintf(stderr, "netcanvas: no example named %s (%s)\n",
                     qPrintable(parser.value(example)),
                     qPrintable(MainWindow::exampleNames().join(", ")));
        return 2;
    }
    MainWindow window;
    // 1600x1000, or the screen's size on a smaller one (a 1366x768 laptop).
    const QSize screen = QGuiApplication::primaryScreen()
                             ? QGuiApplication::primaryScreen()->availableSize()
                             : QSize(1600, 1000);
    window.resize(QSize(1600, 1000).boundedTo(screen));
    window.show();
    if (!parser.positionalArguments().isEmpty()) {
        QString error;
        if (!window.openFile(parser.positionalArguments().first(), false, &error)) {
            std::fprintf(stderr, "netcanvas: %s\n", qPrintable(error));
            return 1;
        }
    } else {
        openRequested(window, parser, example);
    }
    QTimer::singleShot(300, &window, [&window, path, saveTo, name, layout] {
        if (!applyLayoutOption(window, layout)) {
            std::fprintf(stderr, "netcanvas: --layout takes lr or tb, not %s\n",
                         qPrintable(layout));
            QApplication::exit(2);
            return;
        }
        if (!saveTo.isEmpty()) {
            // No dialogs in batch mode: a failure is a message on stderr and exit status 1.
            QString error;
            const bool saved = window.document()->save(saveTo, &error);
            if (!saved)
                std::fprintf(stderr, "netcanvas: %s\n", qPrintable(error));
            window.document()->undoStack()->setClean();
            window.close();
            QApplication::exit(saved ? 0 : 1);
            return;
        }
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
    std::signal(SIGPIPE, SIG_IGN); // a pipe whose reader left is an I/O error, not a kill
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
        "Open an example: mlp, mnist_cnn, modified_cnn, conv_autoencoder, catsdogs_cnn, "
        "rnn_rows_mnist, gru_adding.",
        "name");
    QCommandLineOption screenshot("screenshot", "Render the window to a PNG file and quit.", "png");
    QCommandLineOption select("select", "Select a node by name (with --screenshot).", "node");
    QCommandLineOption layout("layout",
                              "Auto-layout the graph after opening it: lr (left to right) or tb "
                              "(top to bottom); with --screenshot or --save-to.",
                              "direction");
    QCommandLineOption saveTo("save-to", "Save the graph (after --layout) to a file and quit.",
                              "file");
    QCommandLineOption train("train", "Start training the graph in the window at once.");
    QCommandLineOption data("data",
                            "With --train: the data (synthetic:digits, synthetic:shapes, "
                            "synthetic:sequences, mnist:DIR, images:DIR, csv:FILE) instead of "
                            "the graph's.",
                            "spec");
    QCommandLineOption epochs("epochs", "With --train: the epochs instead of the graph's.", "n");
    QCommandLineOption runsDir("runs-dir", "Keep runs in this folder (remembered).", "dir");
    QCommandLineOption quitAfter("quit-after-training",
                                 "With --train: quit when the run ends (exit 0 if it completed).");
    parser.addOptions(
        {example, screenshot, select, layout, saveTo, train, data, epochs, runsDir, quitAfter});
    parser.process(app);
    int epochCount = 0;
    if (parser.isSet(epochs)) {
        bool ok = false;
        epochCount = parser.value(epochs).toInt(&ok);
        if (!ok || epochCount < 1 || epochCount > 100000) {
            std::fprintf(stderr,
                         "netcanvas: --epochs takes a whole number from 1 to 100000, not %s\n",
                         qPrintable(parser.value(epochs)));
            return 2;
        }
    }
    if ((parser.isSet(data) || parser.isSet(epochs) || parser.isSet(quitAfter)) &&
        !parser.isSet(train)) {
        std::fprintf(stderr,
                     "netcanvas: --data, --epochs and --quit-after-training go with --train\n");
        return 2;
    }

    if (parser.isSet(screenshot) || parser.isSet(saveTo))
        return runBatch(parser, example, parser.value(layout), parser.value(screenshot),
                        parser.value(saveTo), parser.value(select));

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
    MainWindow* trained = windows.back();
    if (parser.isSet(runsDir))
        trained->runLibrary()->setRoot(parser.value(runsDir));
    if (parser.isSet(train)) {
        if (parser.isSet(quitAfter))
            QObject::connect(trained->training(), &nc::ui::TrainingController::runFinished,
                             [trained](const nc::ui::TrainingResult& result) {
                                 const bool ok = result.status == nc::engine::RunStatus::Completed;
                                 if (!ok)
                                     std::fprintf(stderr, "netcanvas: %s\n",
                                                  qPrintable(result.message));
                                 trained->document()->undoStack()->setClean();
                                 QApplication::exit(ok ? 0 : 1);
                             });
        const QString spec = parser.value(data);
        QTimer::singleShot(0, trained, [trained, spec, epochCount, &parser, quitAfter] {
            if (!trained->trainingDock()->startTraining(spec, epochCount) &&
                parser.isSet(quitAfter))
                QApplication::exit(1);
        });
    }
    return app.exec();
}
