#include "clirunner.h"

#include <QProcess>

namespace nc::test {

CliRun runCli(const QStringList& args, int timeoutMs, const QString& workingDirectory) {
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(cliPath(), args);
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString cliPath() {
    // NETCANVAS_TEST_CLI: another build of the same sources (`make sanitize` runs these
    // suites against netcanvas-cli built with ASan and UBSan).
    return qEnvironmentVariable("NETCANVAS_TEST_CLI", QStringLiteral(NC_CLI_PATH));
}

QString sourcePath(const QString& relative) {
    return QStringLiteral(NC_SOURCE_DIR) + '/' + relative;
}

} // namespace nc::test
