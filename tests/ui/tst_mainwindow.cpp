// The window: a bad file leaves the open document as it was; after a crash the autosaved
// graph comes back; saving is atomic and clears the modified marker.

#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/mainwindow.h"

#include "graph_model/graphjson.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc::graph;
using namespace nc::ui;

class MainWindowTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void badFileKeepsTheDocument() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        addLayer(window.document(), "Dense", {0, 400}); // an unsaved change
        const std::string before = graphToJson(window.document()->graph());
        const QString bad =
            QStringLiteral(NC_SOURCE_DIR) + "/tests/graph_model/malformed/cycle.json";
        QVERIFY(!window.openFile(bad, false));
        QCOMPARE(graphToJson(window.document()->graph()), before);
        QVERIFY(window.document()->isModified());
        QVERIFY(window.document()->undoStack()->canUndo());
        QCOMPARE(window.windowTitle(), QString("mnist_cnn.json[*] - NetCanvas"));
        QVERIFY(window.isWindowModified());
    }

    void recoveryAfterACrash() {
        QTemporaryDir recovery;
        std::string edited;
        {
            MainWindow window(recovery.path());
            window.openExample("conv_autoencoder");
            QVERIFY(!window.recovery().exists());
            setParameter(window.document(), window.document()->graph().findByName("code")->id,
                         "units", std::int64_t(64));
            edited = graphToJson(window.document()->graph());
            window.autosaveNow();
            QVERIFY(window.recovery().exists());
            // The process "crashes" here: no close event, the recovery file stays behind.
            window.setAttribute(Qt::WA_DeleteOnClose, false);
        }
        MainWindow restarted(recovery.path());
        QVERIFY(restarted.recovery().exists());
        restarted.offerRecovery(false);
        QCOMPARE(graphToJson(restarted.document()->graph()), edited);
        QVERIFY(restarted.document()->isModified());
        QCOMPARE(restarted.document()->inference().totalParams,
                 std::int64_t(289409 - 131328 - 131584 + 512 * 64 + 64 + 64 * 512 + 512));
    }

    void saveIsAtomicAndMarksClean() {
        QTemporaryDir dir;
        MainWindow window(dir.path());
        window.openExample("mlp");
        addLayer(window.document(), "Flatten", {0, 300});
        QVERIFY(window.document()->isModified());
        const QString path = dir.filePath("mine.json");
        QVERIFY(window.saveTo(path));
        QVERIFY(!window.document()->isModified());
        QCOMPARE(window.windowTitle(), QString("mine.json[*] - NetCanvas"));
        auto reloaded = loadGraphFile(path.toStdString());
        QVERIFY(reloaded.isOk());
        QCOMPARE(graphToJson(reloaded.value()), graphToJson(window.document()->graph()));
        QCOMPARE(QDir(dir.path()).entryList({"mine.json*"}, QDir::Files), QStringList{"mine.json"});
    }

    void examplesAreBuiltIn() {
        QCOMPARE(MainWindow::exampleNames(), QStringList({"catsdogs_cnn", "conv_autoencoder", "mlp",
                                                          "mnist_cnn", "modified_cnn"}));
    }
};

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
