#pragma once
// Runs latent-explorer-cli (path compiled in as LX_CLI_PATH) for the CLI test suites.
#include "TestSupport.h"

#include <QProcess>
#include <QStringList>

namespace lxtest {

struct CliRun {
    int code = -1; // exit code; -1 when the process crashed or did not finish
    QByteArray out, err;
};

inline CliRun cli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(LX_CLI_PATH), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline QString fx(const char* name) { return QString::fromStdString(fixture(name)); }

} // namespace lxtest
