#pragma once
// Runs netcanvas-cli as a user would, for the CLI test suites.

#include <QString>
#include <QStringList>

#include <cstdint>

namespace nc::test {

struct CliRun {
    int exitCode = -1; // -2: crashed, -1: did not finish
    QString out;
    QString err;
};

// `workingDirectory`: where it runs (default: the test's own).
CliRun runCli(const QStringList& args, int timeoutMs = 120000,
              const QString& workingDirectory = {});
// The same with its address space capped (ulimit -v) at `addressSpaceBytes`: a command that
// should refuse a huge allocation cannot make it, on any machine.
CliRun runCliWithin(std::uint64_t addressSpaceBytes, const QStringList& args,
                    int timeoutMs = 120000);
QString sourcePath(const QString& relative);
// The netcanvas-cli executable (NETCANVAS_TEST_CLI, else this build's), for tests that drive a
// QProcess themselves.
QString cliPath();

} // namespace nc::test
