// latent-explorer-cli's sharded jobs without a cluster: every command with --shard K/N, run as N
// shards here and merged with `merge`, gives the file the unsharded command writes (influence on the
// analytic quadrant generator also against its known zeros; consistency, robustness and conditioned
// reports field by field); merge refuses parts of different jobs and names a missing shard; `slurm
// --dry-run` prints the array and merge scripts and writes nothing; without sbatch on PATH it writes
// the scripts and says how to submit; bad usage is one line. tests/cluster/test_slurm.sh submits the
// same jobs to a real Slurm.
#include "CliRunner.h"

#include "lx/AtomicFile.h"
#include "lx/Npy.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cmath>

using lxtest::cli;
using lxtest::fx;
using Run = lxtest::CliRun;

namespace {

QJsonObject jsonFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

// Runs COMMAND ARGS --shard k/n --out DIR/part-k for k < n, then merge; returns merge's run.
Run shardAndMerge(const QTemporaryDir& dir, const QStringList& command, int n, const QString& out,
                  QString* tag = nullptr)
{
    QStringList parts;
    for (int k = 0; k < n; ++k) {
        const QString part = dir.filePath(QString("%1-part-%2.lxpart").arg(command[0]).arg(k));
        const Run r = cli(command + QStringList{"--shard", QString("%1/%2").arg(k).arg(n), "--out", part});
        if (r.code != 0) {
            if (tag)
                *tag = QString("shard %1: %2").arg(k).arg(QString::fromUtf8(r.err));
            return r;
        }
        parts << part;
    }
    return cli(QStringList{"merge"} + parts + QStringList{"--out", out});
}

} // namespace

class TestCliCluster : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void influenceShardsMergeToTheUnshardedMaps()
    {
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy");
        QCOMPARE(cli({"sample", fx("quadrant_gen.pt"), "--seeds", "0-79", "--out", z}).code,
                 0); // 40 pairs: chunks 16, 16, 8
        const QStringList job{"influence", fx("quadrant_gen.pt"), "--layer", "main.1", "--latents", z};
        const QString whole = dir.filePath("whole.npy");
        QCOMPARE(cli(job + QStringList{"--out", whole}).code, 0);
        const lx::Array w = lx::Npy::read(whole.toStdString());
        QCOMPARE(w.shape(), (std::vector<int64_t>{8, 4, 4}));
        for (int n : {1, 2, 3, 5}) {
            const QString merged = dir.filePath(QString("merged%1.npy").arg(n));
            QString why;
            const Run r = shardAndMerge(dir, job, n, merged, &why);
            QVERIFY2(r.code == 0, qPrintable(why + r.err));
            const lx::Array m = lx::Npy::read(merged.toStdString());
            // Shards cut on the engine's chunks of 16 pairs: the same sums in the same order.
            QVERIFY2(m == w, qPrintable(QString("N = %1").arg(n)));
            const QJsonObject provenance = jsonFile(merged + ".provenance.json");
            QCOMPARE(provenance["shards"].toInt(), n);
            QCOMPARE(provenance["items"].toInt(), 40);
            QCOMPARE(provenance["job"].toObject()["layer"].toString(), QString("main.1"));
            QCOMPARE(provenance["job"].toObject()["command"].toString(), QString("influence"));
        }
        // Known answer: channel 0 writes only to the top-left quadrant, so its map is 0 elsewhere.
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x)
                if (y >= 2 || x >= 2)
                    QCOMPARE(w.ptr()[y * 4 + x], 0.0f);
    }
    void responsesShardsMerge()
    {
        QTemporaryDir dir;
        // The analytic autoencoder R(z) = 0.5 z: M[i, i] = 0.5 sqrt(mean (V[n, i] - z[n, i])^2), 0 elsewhere.
        lx::Array z({30, 4}), v({30, 4});
        for (int64_t i = 0; i < z.numel(); ++i) {
            z.ptr()[i] = float((i * 7) % 11) / 5.0f - 1.0f;
            v.ptr()[i] = float((i * 5) % 13) / 6.0f - 1.0f;
        }
        lx::Npy::write(dir.filePath("z.npy").toStdString(), z);
        lx::Npy::write(dir.filePath("v.npy").toStdString(), v);
        const QStringList job{"responses",           fx("scaled_ae.pt"), "--latents",
                              dir.filePath("z.npy"), "--values",         dir.filePath("v.npy")};
        const QString whole = dir.filePath("m.npy"), merged = dir.filePath("m3.npy");
        QCOMPARE(cli(job + QStringList{"--out", whole}).code, 0);
        QString why;
        const Run r = shardAndMerge(dir, job, 3, merged, &why);
        QVERIFY2(r.code == 0, qPrintable(why + r.err));
        const lx::Array a = lx::Npy::read(whole.toStdString()), b = lx::Npy::read(merged.toStdString());
        QCOMPARE(b.shape(), a.shape());
        for (int i = 0; i < 4; ++i) {
            double sq = 0;
            for (int n = 0; n < 30; ++n) {
                const double d = v.ptr()[n * 4 + i] - z.ptr()[n * 4 + i];
                sq += d * d;
            }
            const double want = 0.5 * std::sqrt(sq / 30.0);
            for (int j = 0; j < 4; ++j) {
                QVERIFY(std::abs(b.ptr()[i * 4 + j] - (i == j ? want : 0.0)) < 1e-6);
                QVERIFY(std::abs(b.ptr()[i * 4 + j] - a.ptr()[i * 4 + j]) <= 1e-7 * std::max(1.0f, a.ptr()[i * 4 + j]));
            }
        }
    }
    void consistencyAndConditionedShardsMerge()
    {
        QTemporaryDir dir;
        const QStringList curve{
            "consistency", fx("quadrant_gen.pt"), "--layer", "main.1", "--pairs", "16", "--kmin", "2", "--kmax", "6"};
        QCOMPARE(cli(curve + QStringList{"--out", dir.filePath("whole.json")}).code, 0);
        QString why;
        Run r = shardAndMerge(dir, curve, 3, dir.filePath("merged.json"), &why);
        QVERIFY2(r.code == 0, qPrintable(why + r.err));
        QCOMPARE(jsonFile(dir.filePath("merged.json")), jsonFile(dir.filePath("whole.json")));
        QCOMPARE(jsonFile(dir.filePath("merged.json"))["curve"].toArray().size(), 5);

        const QStringList conditioned{
            "conditioned", fx("shapes_ae.pt"), "--traversals", "2", "--batch", "4", "--seed", "7"};
        const Run plain = cli(conditioned + QStringList{"--out", dir.filePath("c.npy")});
        QVERIFY2(plain.code == 0, plain.err.constData());
        r = shardAndMerge(dir, conditioned, 4, dir.filePath("c4.npy"), &why);
        QVERIFY2(r.code == 0, qPrintable(why + r.err));
        QVERIFY(lx::Npy::read(dir.filePath("c4.npy").toStdString())
                == lx::Npy::read(dir.filePath("c.npy").toStdString()));
        QJsonObject a = QJsonDocument::fromJson(plain.out).object(), b = QJsonDocument::fromJson(r.out).object();
        QVERIFY(a.contains("cds"));
        a.remove("compute_ms");
        b.remove("compute_ms");
        QCOMPARE(b, a);
    }
    void robustnessShardsMerge()
    {
        QTemporaryDir dir;
        const QStringList job{"robustness",   fx("quadrant_gen.pt"),
                              "--classifier", fx("quadrant_clf.pt"),
                              "--layer",      "main.1,main.0",
                              "--k",          "4",
                              "--pairs-eim",  "32",
                              "--pairs",      "24",
                              "--seed",       "3"};
        const Run plain = cli(job);
        QVERIFY2(plain.code == 0, plain.err.constData());
        QString why;
        const Run r = shardAndMerge(dir, job, 3, dir.filePath("r.json"), &why);
        QVERIFY2(r.code == 0, qPrintable(why + r.err));
        QJsonObject a = QJsonDocument::fromJson(plain.out).object(), b = jsonFile(dir.filePath("r.json"));
        // The times are the shards' own; every count and fraction is the unsharded one.
        for (QJsonObject* o : {&a, &b}) {
            o->remove("wall_ms");
            QJsonArray layers = (*o)["layers"].toArray();
            for (int l = 0; l < layers.size(); ++l) {
                QJsonObject layer = layers[l].toObject();
                layer.remove("compute_ms");
                layers[l] = layer;
            }
            (*o)["layers"] = layers;
        }
        QCOMPARE(b["originals"].toObject()["n"].toInt(), 24);
        QVERIFY(qAbs(b["originals"].toObject()["mean_confidence"].toDouble()
                     - a["originals"].toObject()["mean_confidence"].toDouble())
                < 1e-12);
        QJsonObject ao = a["originals"].toObject(), bo = b["originals"].toObject();
        ao.remove("mean_confidence");
        bo.remove("mean_confidence");
        a["originals"] = ao;
        b["originals"] = bo;
        QCOMPARE(b, a);
    }
    void cgnDatasetShardsMergeToTheUnshardedFolder()
    {
        // Shards write their images into one folder; merge completes labels.csv: every file equals the
        // unsharded export's, byte for byte.
        QTemporaryDir dir;
        const QStringList job{"cgn-dataset", fx("cgn_known.pt"), "--n", "11",     "--cfs", "3", "--seed",
                              "4",           "--batch",          "2",   "--quiet"};
        QCOMPARE(cli(job + QStringList{"--out", dir.filePath("whole")}).code, 0);
        QStringList parts;
        for (int k = 0; k < 3; ++k) {
            parts << dir.filePath(QString("cgn-%1.lxpart").arg(k));
            const Run r = cli(job
                              + QStringList{"--out", dir.filePath("sharded"), "--shard", QString("%1/3").arg(k),
                                            "--part", parts.last()});
            QVERIFY2(r.code == 0, r.err.constData());
        }
        // Before the merge only shard 0's images are listed.
        QCOMPARE(
            QString::fromStdString(lx::AtomicFile::read(dir.filePath("sharded/labels.csv").toStdString())).count('\n'),
            1 + 3);
        const Run m = cli(QStringList{"merge"} + parts + QStringList{"--out", dir.filePath("sharded")});
        QVERIFY2(m.code == 0, m.err.constData());
        QCOMPARE(QJsonDocument::fromJson(m.out).object()["written"].toInt(), 11); // by the shards; none by the merge
        const QStringList files = QDir(dir.filePath("whole/images")).entryList(QDir::Files);
        QCOMPARE(files.size(), 11);
        QCOMPARE(QDir(dir.filePath("sharded/images")).entryList(QDir::Files), files);
        for (const QString& f : QStringList{"labels.csv", "dataset.json"}
                 + QStringList(files).replaceInStrings(QRegularExpression("^"), "images/"))
            QVERIFY2(lx::AtomicFile::read(dir.filePath("sharded/" + f).toStdString())
                         == lx::AtomicFile::read(dir.filePath("whole/" + f).toStdString()),
                     qPrintable(f));
        const Run alone = cli(job + QStringList{"--out", dir.filePath("x"), "--shard", "0/3"});
        QCOMPARE(alone.code, 2);
        QVERIFY2(alone.err.contains("--shard K/N and --part PART go together"), alone.err.constData());
    }
    void vqEvaluateShardsMerge()
    {
        QTemporaryDir dir;
        const QStringList job{"vq-evaluate", fx("vq_shapes.pt"), "--pairs", "300", "--seed", "5"};
        const Run plain = cli(job);
        QVERIFY2(plain.code == 0, plain.err.constData());
        QString why;
        const Run r = shardAndMerge(dir, job, 3, dir.filePath("metrics.json"), &why); // 256-pair batches cut by shards
        QVERIFY2(r.code == 0, qPrintable(why + r.err));
        QJsonObject a = QJsonDocument::fromJson(plain.out).object(), b = jsonFile(dir.filePath("metrics.json"));
        QCOMPARE(QJsonDocument::fromJson(r.out).object(), b);
        QCOMPARE(b["n_pairs"].toInt(), 300);
        // Counts and accuracies exactly; the mean probability up to the order of its float64 additions.
        QVERIFY(qAbs(a["mean_true_probability"].toDouble() - b["mean_true_probability"].toDouble()) < 1e-12);
        for (QJsonObject* o : {&a, &b}) {
            o->remove("seconds");
            o->remove("mean_true_probability");
        }
        QCOMPARE(b, a);
    }
    void mergeRefusesWhatIsNotOneJob()
    {
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy"), z2 = dir.filePath("z2.npy");
        QCOMPARE(cli({"sample", fx("quadrant_gen.pt"), "--seeds", "0-63", "--out", z}).code, 0);
        QCOMPARE(cli({"sample", fx("quadrant_gen.pt"), "--seeds", "1-64", "--out", z2}).code, 0);
        const auto part = [&](const QString& latents, const QString& shard, const QString& name) {
            const QString path = dir.filePath(name);
            const Run r = cli({"influence", fx("quadrant_gen.pt"), "--layer", "main.1", "--latents", latents, "--shard",
                               shard, "--out", path});
            return r.code == 0 ? path : QString();
        };
        const QString p0 = part(z, "0/3", "p0"), p1 = part(z, "1/3", "p1"), p2 = part(z, "2/3", "p2"),
                      other = part(z2, "1/3", "q1");
        QVERIFY(!p0.isEmpty() && !p1.isEmpty() && !p2.isEmpty() && !other.isEmpty());
        const QString out = dir.filePath("m.npy");
        Run r = cli({"merge", p0, other, p2, "--out", out});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("q1 belongs to another job than") && r.err.contains("latents_sha256"),
                 r.err.constData());
        r = cli({"merge", p0, p2, "--out", out});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("shard 1 of 3 missing (2 given); resubmit them with --shard K/3"), r.err.constData());
        r = cli({"merge", p0, p1, p1, p2, "--out", out});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("shard 1/3 given twice"), r.err.constData());
        r = cli({"merge", p0, z, "--out", out});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not a shard's partial result"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(!QFile::exists(out));
        QCOMPARE(cli({"merge", p2, p0, p1, "--out", out}).code, 0); // any order
    }
    void slurmDryRunPrintsTheScripts()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("eim.npy");
        const Run r =
            cli({"slurm", "influence", fx("quadrant_gen.pt"), "--layer", "main.1", "--latents", dir.filePath("z.npy"),
                 "--shards", "3", "--partition", "gpu", "--time", "0:30:00", "--gpus", "1", "--out", out, "--dry-run"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString s = QString::fromUtf8(r.out);
        for (const QString& want :
             {QString("#SBATCH --array=0-2"), QString("#SBATCH --partition=gpu"), QString("#SBATCH --time=0:30:00"),
              QString("#SBATCH --gpus=1"), QString("'influence' '%1' '--layer' 'main.1'").arg(fx("quadrant_gen.pt")),
              QString("--threads \"${SLURM_CPUS_PER_TASK:-1}\" --verbose --shard \"$k/3\""),
              QString("'merge' '%1.slurm/parts/part-0.lxpart'").arg(out),
              QString("'%1.slurm/parts/part-2.lxpart' '--verbose' '--out' '%1'").arg(out),
              QString("sbatch --dependency=afterok:$id")})
            QVERIFY2(s.contains(want), qPrintable("missing: " + want + "\n" + s));
        // The merge job (after the array job's script) asks for the partition and time, not for a GPU.
        const QString merge = s.mid(s.indexOf("lx-influence-merge"));
        QVERIFY(merge.contains("#SBATCH --partition=gpu") && merge.contains("#SBATCH --time=0:30:00"));
        QVERIFY2(!merge.contains("--gpus"), qPrintable(merge));
        QVERIFY(!QFileInfo::exists(out + ".slurm")); // --dry-run writes nothing
    }
    void slurmWithoutSbatchWritesTheScripts()
    {
        QTemporaryDir dir;
        QFile list(dir.filePath("models.txt"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write(QString("# a sweep\n%1\n\n%2\n").arg(fx("shapes_ae.pt"), fx("scaled_ae.pt")).toUtf8());
        list.close();
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PATH", dir.path()); // no sbatch there
        p.setProcessEnvironment(env);
        const QString table = dir.filePath("table.csv");
        p.start(QStringLiteral(LX_CLI_PATH),
                {"slurm", "conditioned", "--traversals", "3", "--models", list.fileName(), "--out", table});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().contains("sbatch is not on PATH"));
        const std::string array = lx::AtomicFile::read((table + ".slurm/array.sbatch").toStdString());
        QVERIFY(array.find("#SBATCH --array=0-1") != std::string::npos);
        QVERIFY(
            array.find("models=('" + lxtest::fixture("shapes_ae.pt") + "' '" + lxtest::fixture("scaled_ae.pt") + "')")
            != std::string::npos);
        QVERIFY(array.find("'conditioned' \"${models[$k]}\" '--traversals' '3'") != std::string::npos);
        const std::string merge = lx::AtomicFile::read((table + ".slurm/merge.sbatch").toStdString());
        QVERIFY(merge.find("'sweep-table' '--command' 'conditioned'") != std::string::npos);
        QCOMPARE(lx::AtomicFile::read((table + ".slurm/models.txt").toStdString()),
                 lxtest::fixture("shapes_ae.pt") + "\n" + lxtest::fixture("scaled_ae.pt") + "\n");
    }
    void sweepTableFromResults()
    {
        // The table's scores come from each model's result: a response matrix with a known diagonal.
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("results"));
        lx::Array m({2, 2});
        m.data() = {0.5f, 0.1f, 0.3f, 1.5f};
        lx::Npy::write(dir.filePath("results/model-0.npy").toStdString(), m);
        lx::AtomicFile::write(dir.filePath("models.txt").toStdString(), lxtest::fixture("scaled_ae.pt") + "\n");
        const QString table = dir.filePath("t.csv");
        const Run r = cli({"sweep-table", "--command", "responses", "--models", dir.filePath("models.txt"), "--results",
                           dir.filePath("results"), "--out", table});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray rows = jsonFile(dir.filePath("t.json"))["models"].toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].toObject()["diagonal_mean"].toDouble(), 1.0);
        QCOMPARE(rows[0].toObject()["off_diagonal_mean"].toDouble(), (double(0.1f) + double(0.3f)) / 2.0);
        QVERIFY(QString::fromStdString(lx::AtomicFile::read(table.toStdString()))
                    .startsWith("index,model,model_sha256,dims,diagonal_mean,off_diagonal_mean,result\n0,"));
        // A model whose task failed: one line naming it.
        lx::AtomicFile::write(dir.filePath("models.txt").toStdString(),
                              lxtest::fixture("scaled_ae.pt") + "\n" + lxtest::fixture("shapes_ae.pt") + "\n");
        const Run missing = cli({"sweep-table", "--command", "responses", "--models", dir.filePath("models.txt"),
                                 "--results", dir.filePath("results"), "--out", dir.filePath("u.csv")});
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("model 1 (") && missing.err.contains("has no result"), missing.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("u.csv")));
    }
    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString gen = fx("quadrant_gen.pt");
        const QStringList influence{"slurm",     "influence", gen,     "--layer",           "main.1",
                                    "--latents", "z.npy",     "--out", "/tmp/lx_unused.npy"};
        QTest::newRow("no --shards") << influence << 2 << "missing --shards N";
        QTest::newRow("--shard inside") << (influence + QStringList{"--shards", "2", "--shard", "0/2"}) << 2
                                        << "--shard is set by slurm";
        QTest::newRow("not shardable") << QStringList{"slurm", "hybrid", gen, "--shards", "2", "--out", "x"} << 2
                                       << "'hybrid' cannot run as a cluster job (commands with --shard: influence,";
        QTest::newRow("bad time") << (influence + QStringList{"--shards", "2", "--time", "1 hour", "--dry-run"}) << 1
                                  << "is not a Slurm time";
        QTest::newRow("only out of range")
            << (influence + QStringList{"--shards", "2", "--only", "2"}) << 2 << "out of range [0, 1]";
        QTest::newRow("missing model") << QStringList{"slurm",    "influence", "/nonexistent.pt", "--layer", "a",
                                                      "--shards", "2",         "--out",           "x"}
                                       << 1 << "/nonexistent.pt";
        QTest::newRow("sweep with a model")
            << QStringList{"slurm", "responses", gen, "--models", "m.txt", "--out", "t.csv"} << 2 << "give no MODEL";
        QTest::newRow("sweep of influence") << QStringList{"slurm", "influence", "--models", "m.txt", "--out", "t.csv"}
                                            << 2 << "sweeps: responses, conditioned";
        QTest::newRow("no command") << QStringList{"slurm", "--shards", "2"} << 2 << "missing COMMAND";
        QTest::newRow("bad shard") << QStringList{"influence", gen,       "--layer", "main.1", "--latents",
                                                  "z.npy",     "--shard", "2/2",     "--out",  "x"}
                                   << 2 << "--shard '2/2' must be K/N with 0 <= K < N";
        QTest::newRow("merge nothing") << QStringList{"merge", "--out", "x"} << 2 << "missing PARTS";
        QTest::newRow("shard with --plain")
            << QStringList{"influence", gen,       "--layer", "main.1", "--latents", "z.npy",
                           "--plain",   "--shard", "0/2",     "--out",  "x"}
            << 2 << "--shard works with the fast path only";
    }
    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliCluster)
#include "test_CliCluster.moc"
