// lx::SlurmScript: shell quoting that bash reads back as the same word, the #SBATCH header, resource
// checks, and parsing what sbatch --parsable and scontrol show job -o print (samples of Slurm 22.05).
#include "TestSupport.h"

#include "lx/SlurmScript.h"

#include <QProcess>

class TestSlurmScript : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quotesWordsBashReadsBack()
    {
        for (const std::string word :
             {"plain", "", "two words", "it's", "$HOME `id` \"q\" \\ ; | & * ?", "a\nb", "''"}) {
            QProcess bash;
            bash.start("bash", {"-c", QString::fromStdString("printf %s " + lx::SlurmScript::quote(word))});
            QVERIFY(bash.waitForFinished(10000));
            QCOMPARE(bash.readAllStandardOutput().toStdString(), word);
        }
        QCOMPARE(lx::SlurmScript::quote("it's"), std::string("'it'\\''s'"));
    }
    void writesTheHeader()
    {
        lx::SlurmResources r;
        r.partition = "gpu";
        r.time = "1-02:00:00";
        r.gpus = "a100:2";
        r.cpusPerTask = 8;
        r.mem = "16G";
        const std::string h = lx::SlurmScript::header("lx-influence", "/w d", "/w d/logs/task-%a.out", r, 4);
        QCOMPARE(h,
                 std::string("#!/bin/bash\n"
                             "#SBATCH --job-name=\"lx-influence\"\n"
                             "#SBATCH --chdir=\"/w d\"\n"
                             "#SBATCH --output=\"/w d/logs/task-%a.out\"\n"
                             "#SBATCH --array=0-3\n"
                             "#SBATCH --ntasks=1\n"
                             "#SBATCH --partition=gpu\n"
                             "#SBATCH --time=1-02:00:00\n"
                             "#SBATCH --gpus=a100:2\n"
                             "#SBATCH --cpus-per-task=8\n"
                             "#SBATCH --mem=16G\n"
                             "set -euo pipefail\n"));
        // No array and no resources: only what every job needs.
        const std::string plain = lx::SlurmScript::header("m", "/w", "/w/m-%j.out", {}, 0);
        QVERIFY(plain.find("--array") == std::string::npos);
        QVERIFY(plain.find("--partition") == std::string::npos);
        LX_VERIFY_ERROR(lx::SlurmScript::header("m", "/w\nx", "/w/o", {}, 0), "newline or double quote");
    }
    void refusesBadResources_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("partition space") << "partition"
                                         << "a b"
                                         << "--partition 'a b' is not a partition name";
        QTest::newRow("partition newline") << "partition"
                                           << "a\n#SBATCH --x"
                                           << "is not a partition name";
        QTest::newRow("time words") << "time"
                                    << "1 hour"
                                    << "is not a Slurm time";
        QTest::newRow("time colon end") << "time"
                                        << "10:"
                                        << "is not a Slurm time";
        QTest::newRow("gpus zero") << "gpus"
                                   << "0"
                                   << "must be a count or TYPE:COUNT";
        QTest::newRow("gpus type only") << "gpus"
                                        << "a100"
                                        << "must be a count or TYPE:COUNT";
        QTest::newRow("mem unit") << "mem"
                                  << "8GB"
                                  << "must be a size";
        QTest::newRow("cpus") << "cpus"
                              << "-1"
                              << "--cpus-per-task must be in [0, 4096]";
    }
    void refusesBadResources()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        lx::SlurmResources r;
        const std::string v = value.toStdString();
        if (field == "partition")
            r.partition = v;
        else if (field == "time")
            r.time = v;
        else if (field == "gpus")
            r.gpus = v;
        else if (field == "mem")
            r.mem = v;
        else
            r.cpusPerTask = std::stoi(v);
        LX_VERIFY_ERROR(lx::SlurmScript::check(r), message.toStdString());
        for (const char* good : {"30", "10:00", "2:00:00", "1-0", "1-2:3", "7-00:00:00", "UNLIMITED"}) {
            lx::SlurmResources t;
            t.time = good;
            lx::SlurmScript::check(t);
        }
    }
    void parsesJobIds()
    {
        QCOMPARE(lx::SlurmScript::parseJobId("42\n"), std::string("42"));
        QCOMPARE(lx::SlurmScript::parseJobId("1234;cluster\n"), std::string("1234"));
        QCOMPARE(lx::SlurmScript::parseJobId("sbatch: warning: x\n77\n"), std::string("77"));
        LX_VERIFY_ERROR(lx::SlurmScript::parseJobId("sbatch: error: Batch job submission failed\n"),
                        "printed no job id");
    }
    void parsesJobStates()
    {
        const std::string out =
            "JobId=12 ArrayJobId=11 ArrayTaskId=1 JobName=lx-influence UserId=root(0) JobState=FAILED "
            "Reason=NonZeroExitCode "
            "Dependency=(null) ExitCode=1:0 RunTime=00:00:02\n"
            "JobId=11 ArrayJobId=11 ArrayTaskId=0 JobName=lx-influence JobState=COMPLETED Reason=None ExitCode=0:0\n"
            "JobId=13 ArrayJobId=11 ArrayTaskId=2-3 JobName=lx-influence JobState=PENDING Reason=Resources "
            "ExitCode=0:0\n"
            "JobId=14 JobName=lx-influence-merge JobState=CANCELLED Reason=DependencyNeverSatisfied ExitCode=0:9\n"
            "slurm_load_jobs error: Invalid job id specified\n";
        const std::vector<lx::SlurmJobState> s = lx::SlurmScript::parseJobStates(out);
        QCOMPARE(s.size(), size_t(4));
        QCOMPARE(s[0].jobId, std::string("12"));
        QCOMPARE(s[0].arrayTask, int64_t(1));
        QCOMPARE(s[0].state, std::string("FAILED"));
        QCOMPARE(s[0].exitCode, 1);
        QVERIFY(s[0].finished() && !s[0].succeeded());
        QVERIFY(s[1].finished() && s[1].succeeded());
        QCOMPARE(s[2].arrayTask, int64_t(-1)); // a pending range
        QVERIFY(!s[2].finished());
        QCOMPARE(s[3].reason, std::string("DependencyNeverSatisfied"));
        QCOMPARE(s[3].exitSignal, 9);
        QVERIFY(s[3].finished() && !s[3].succeeded());
        QVERIFY(lx::SlurmScript::parseJobStates("").empty());
    }
};

QTEST_GUILESS_MAIN(TestSlurmScript)
#include "test_SlurmScript.moc"
