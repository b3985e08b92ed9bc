#pragma once
// Runs netcanvas-cli as a user would, for the CLI test suites.

#include <QString>
#include <QStringList>

namespace nc::test {

struct CliRun {
    int exitCode = -1; // -2: crashed, -1: did not finish
    QString out;
    QString err;
};

CliRun runCli(const QStringList& args, int timeoutMs = 120000);
QString sourcePath(const QString& relative);

} // namespace nc::test
