#include "clirunner.h"

#include <QProcess>

#include <sys/resource.h>

namespace nc::test {

namespace {

CliRun finish(QProcess& process, int timeoutMs) {
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

} // namespace

CliRun runCli(const QStringList& args, int timeoutMs, const QString& workingDirectory) {
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(cliPath(), args);
    return finish(process, timeoutMs);
}

CliRun runCliWithin(std::uint64_t addressSpaceBytes, const QStringList& args, int timeoutMs) {
    QProcess process;
    // AddressSanitizer reserves terabytes of address space up front, so `make sanitize` runs
    // without the cap; the commands still compare with the memory the machine has.
    if (!qEnvironmentVariableIsSet("NETCANVAS_TEST_NO_ADDRESS_LIMIT"))
        process.setChildProcessModifier([addressSpaceBytes] { // in the child, before exec
            const rlimit limit{rlim_t(addressSpaceBytes), rlim_t(addressSpaceBytes)};
            setrlimit(RLIMIT_AS, &limit);
        });
    process.start(cliPath(), args);
    return finish(process, timeoutMs);
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
