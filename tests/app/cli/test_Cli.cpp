// latent-explorer-cli end to end: CLI contract v1 (docs/ARCHITECTURE.md), exit codes and one-line errors.
#include "CliRunner.h"

#include "lx/Exploration.h"
#include "lx/HybridEngine.h"
#include "lx/HybridGrid.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace {

using lxtest::cli;
using lxtest::fx;
using Run = lxtest::CliRun;

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void info()
    {
        const Run r = cli({"info", fx("dcgan_tutorial.pt"), "--device", "cpu"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["kind"].toString(), QString("generator"));
        QCOMPARE(o["latent_shape"].toArray().size(), 3);
        QCOMPARE(o["output_shape"].toArray()[0].toInt(), 3);
        const QJsonArray layers = o["layers"].toArray();
        QCOMPARE(layers.size(), 14);
        QCOMPARE(layers[6].toObject()["name"].toString(), QString("main.6"));
        QCOMPARE(layers[6].toObject()["shape"].toArray()[0].toInt(), 128);
    }
    void hybridFollowsContract()
    {
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy"), x = dir.filePath("x.npy");
        QCOMPARE(cli({"sample", fx("dcgan_tutorial.pt"), "--seeds", "0-5", "--out", z}).code, 0);
        const Run r = cli({"hybrid", fx("dcgan_tutorial.pt"), "--layer", "main.5", "--channels", "3,17,200",
                           "--latents", z, "--out", x});
        QVERIFY2(r.code == 0, r.err.constData());
        const lx::Array got = lx::Npy::read(x.toStdString());
        QCOMPARE(got.shape(), (std::vector<int64_t>{3, 3, 64, 64}));
        auto m = lx::Model::load(lxtest::fixture("dcgan_tutorial.pt"));
        const lx::Array latents = lx::Npy::read(z.toStdString());
        QCOMPARE(latents, lx::LatentSampler({100, 1, 1}).sample(lx::LatentSampler::seedRange(0, 6)));
        QCOMPARE(got, lx::HybridEngine::hybridPairs(*m, m->requireLayer("main.5"), {3, 17, 200}, latents));
        // No channels: the first half's own images.
        QCOMPARE(
            cli({"hybrid", fx("dcgan_tutorial.pt"), "--layer", "main.5", "--channels", "", "--latents", z, "--out", x})
                .code,
            0);
        QCOMPARE(cli({"generate", fx("dcgan_tutorial.pt"), "--latents", z, "--out", dir.filePath("g.npy")}).code, 0);
        const lx::Array g = lx::Npy::read(dir.filePath("g.npy").toStdString());
        const lx::Array h = lx::Npy::read(x.toStdString());
        for (int64_t i = 0; i < h.numel(); ++i)
            QVERIFY(std::fabs(h.data()[size_t(i)] - g.data()[size_t(i)]) < 1e-5f);
    }
    void classConditionalModel()
    {
        // graph_cond_dcgan (forward(z, y), 4 classes): info reports class_input; generate, hybrid and
        // influence with --classes give make_graph_fixtures.py's eager-PyTorch hook references.
        const Run info = cli({"info", fx("graph_cond_dcgan.pt")});
        QVERIFY2(info.code == 0, info.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(info.out).object();
        QCOMPARE(doc["class_input"].toObject()["encoding"].toString(), QStringLiteral("index"));
        QCOMPARE(doc["class_input"].toObject()["classes"].toArray().size(), 4);
        QCOMPARE(doc["layer_discovery"].toObject()["method"].toString(), QStringLiteral("graph"));

        QTemporaryDir dir;
        const QString z = fx("graph_cond_dcgan.z.npy"), c = fx("graph_cond_dcgan.classes.npy");
        const QString x = dir.filePath("x.npy"), g = dir.filePath("g.npy"), e = dir.filePath("e.npy");
        Run r = cli({"generate", fx("graph_cond_dcgan.pt"), "--latents", z, "--classes", c, "--out", g});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(lxtest::maxAbsDiff(lx::Npy::read(g.toStdString()),
                                   lx::Npy::read(lxtest::fixture("graph_cond_dcgan.out.npy")))
                < 1e-5f);
        r = cli({"hybrid", fx("graph_cond_dcgan.pt"), "--layer", "main.0", "--channels", "1,7,30", "--latents", z,
                 "--classes", c, "--out", x});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(lxtest::maxAbsDiff(lx::Npy::read(x.toStdString()),
                                   lx::Npy::read(lxtest::fixture("graph_cond_dcgan.hybrid1.npy")))
                < 1e-5f);
        r = cli(
            {"influence", fx("graph_cond_dcgan.pt"), "--layer", "main.3", "--latents", z, "--classes", c, "--out", e});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(lxtest::maxAbsDiff(lx::Npy::read(e.toStdString()),
                                   lx::Npy::read(lxtest::fixture("graph_cond_dcgan.eim.npy")))
                < 1e-5f);
        // Without --classes: one line naming what is missing, no output.
        r = cli({"hybrid", fx("graph_cond_dcgan.pt"), "--layer", "main.0", "--channels", "1", "--latents", z, "--out",
                 dir.filePath("none.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("class-conditional (card class_input, 4 classes)"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("none.npy")));
    }
    // The commands that draw their own latents take classes too: module-grid's row and column classes
    // (against core's grid, which test_ModelGraph checks against eager hooks) and interpolate's class path
    // (against the model's output for the class weights, which test_ModelGraph checks against eager).
    void classConditionalSeedCommands()
    {
        QTemporaryDir dir;
        const QString npy = dir.filePath("grid.npy");
        Run r = cli({"module-grid",
                     fx("graph_cond_dcgan.pt"),
                     "--layer",
                     "main.0",
                     "--channels",
                     "1,7,30",
                     "--rows",
                     "0-1",
                     "--cols",
                     "5-7",
                     "--row-classes",
                     "2",
                     "--col-classes",
                     "3,3,1",
                     "--class-after-cut",
                     "donor",
                     "--out",
                     dir.filePath("grid.png"),
                     "--npy",
                     npy});
        QVERIFY2(r.code == 0, r.err.constData());
        auto m = lx::Model::load(lxtest::fixture("graph_cond_dcgan.pt"));
        const lx::LatentSampler sampler(m->card().latentShape);
        const lx::HybridGridResult want = lx::HybridGrid::compute(
            *m, m->requireLayer("main.0"), {1, 7, 30}, sampler.sample({0, 1}), sampler.sample({5, 6, 7}), {}, nullptr,
            lx::ClassInputs::of({2, 2}, {3, 3, 1}, true));
        QVERIFY(lxtest::maxAbsDiff(lx::Npy::read(npy.toStdString()), want.hybrids) < 1e-6f);
        r = cli({"module-grid", fx("graph_cond_dcgan.pt"), "--layer", "main.0", "--channels", "1", "--rows", "0-1",
                 "--cols", "5-7", "--out", dir.filePath("none.png")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("give one class per row (2) and per column (3)"), r.err.constData());
        r = cli({"module-grid", fx("graph_cond_dcgan.pt"), "--layer", "main.0", "--channels", "1", "--rows", "0-1",
                 "--cols", "5-7", "--row-classes", "1,2,3", "--col-classes", "0", "--out", dir.filePath("none.png")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--row-classes takes one class, or one per seed (2)"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("none.png")));

        // interpolate: a one-hot model's class moves from 1 to 3 with z1 fixed.
        const QString x = dir.filePath("path.npy");
        r = cli({"interpolate", fx("graph_biggan.pt"), "--seeds", "4,9", "--frames", "3", "--classes", "1,3",
                 "--class-path", "class", "--out", x});
        QVERIFY2(r.code == 0, r.err.constData());
        auto b = lx::Model::load(lxtest::fixture("graph_biggan.pt"));
        const lx::Array z1 = lx::LatentSampler(b->card().latentShape).sample({4, 4, 4});
        const lx::Array y = lx::Array({3, 5}, {0, 1, 0, 0, 0, 0, 0.5f, 0, 0.5f, 0, 0, 0, 0, 1, 0});
        QVERIFY(lxtest::maxAbsDiff(lx::Npy::read(x.toStdString()), b->generate(z1, y)) < 1e-6f);
        r = cli({"interpolate", fx("graph_cond_dcgan.pt"), "--seeds", "4,9", "--classes", "1,3", "--class-path", "both",
                 "--out", dir.filePath("no.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("is not \"onehot\", so its class cannot be interpolated"), r.err.constData());
        r = cli({"interpolate", fx("graph_cond_dcgan.pt"), "--seeds", "4,9", "--classes", "7", "--out",
                 dir.filePath("no.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("class 7 is out of range [0, 4)"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("no.npy")));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString tiny = fx("tiny_gen.pt");
        QTest::newRow("no command") << QStringList{} << 2 << "Usage";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command 'frobnicate'";
        QTest::newRow("missing model") << QStringList{"info"} << 2 << "missing MODEL argument";
        QTest::newRow("no such model") << QStringList{"info", "/no/such.pt"} << 1 << "no such file";
        QTest::newRow("unknown option") << QStringList{"info", tiny, "--colour", "red"} << 2
                                        << "unknown option --colour";
        QTest::newRow("bad device") << QStringList{"info", tiny, "--device", "tpu"} << 2
                                    << "--device must be auto, cpu or cuda";
        QTest::newRow("missing out") << QStringList{"hybrid",     tiny, "--layer",   "main.2",
                                                    "--channels", "1",  "--latents", "z.npy"}
                                     << 2 << "missing required option --out";
        QTest::newRow("bad channels") << QStringList{"hybrid", tiny,        "--layer", "main.2", "--channels",
                                                     "1,x",    "--latents", "z",       "--out",  "o"}
                                      << 2 << "'x' is not an integer";
        QTest::newRow("missing latents") << QStringList{"hybrid", tiny,        "--layer",   "main.2", "--channels",
                                                        "1",      "--latents", "/no/z.npy", "--out",  "/tmp/o.npy"}
                                         << 1 << "cannot read /no/z.npy";
        QTest::newRow("bad threads") << QStringList{"info", tiny, "--threads", "many"} << 2
                                     << "--threads must be an integer";
    }
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        if (!args.isEmpty())
            QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
    }
    void dataErrors()
    {
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy");
        const QString tiny = fx("tiny_gen.pt");
        lx::Npy::write(z.toStdString(), lx::Array({3, 4}));
        Run r = cli(
            {"hybrid", tiny, "--layer", "main.2", "--channels", "1", "--latents", z, "--out", dir.filePath("o.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("expected 2N latents"), r.err.constData());
        lx::Npy::write(z.toStdString(), lx::Array({2, 5}));
        r = cli(
            {"hybrid", tiny, "--layer", "main.2", "--channels", "1", "--latents", z, "--out", dir.filePath("o.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("latent_shape [4]"), r.err.constData());
        lx::Array nan({2, 4});
        nan.data()[3] = NAN;
        lx::Npy::write(z.toStdString(), nan);
        r = cli(
            {"hybrid", tiny, "--layer", "main.2", "--channels", "1", "--latents", z, "--out", dir.filePath("o.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("NaN or Inf"), r.err.constData());
        lx::Npy::write(z.toStdString(), lx::Array({2, 4}));
        r = cli(
            {"hybrid", tiny, "--layer", "main.7", "--channels", "1", "--latents", z, "--out", dir.filePath("o.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("unknown layer 'main.7'"), r.err.constData());
        r = cli(
            {"hybrid", tiny, "--layer", "main.2", "--channels", "9", "--latents", z, "--out", dir.filePath("o.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("channel 9 out of range"), r.err.constData());
        r = cli({"hybrid", tiny, "--layer", "main.2", "--channels", "1", "--latents", z, "--out",
                 dir.filePath("no/dir/o.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("cannot write"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("o.npy")));
    }
    void helpForEveryCommand()
    {
        for (const char* command : {"info", "sample", "generate", "hybrid"}) {
            const Run r = cli({command, "--help"});
            QCOMPARE(r.code, 0);
            QVERIFY(r.out.contains("Usage: latent-explorer-cli"));
            QVERIFY(r.out.contains("--device"));
        }
        const Run usage = cli({"--help"});
        QCOMPARE(usage.code, 0);
        QVERIFY(cli({"--version"}).out.startsWith("latent-explorer-cli "));

        // `help COMMAND` is `COMMAND --help`; `help --all` holds every listed command's help (the man
        // page is made from it) under its header, and `info`'s is the one `info --help` prints.
        const Run info = cli({"info", "--help"});
        QCOMPARE(cli({"help", "info"}).out, info.out);
        const Run all = cli({"help", "--all"});
        QCOMPARE(all.code, 0);
        QVERIFY(all.out.startsWith(usage.out));
        const qsizetype common = info.out.indexOf("\nCommon options:");
        QVERIFY(common > 0);
        const QByteArray infoHelp = info.out.left(common), commonOptions = info.out.mid(common);
        QCOMPARE(all.out.count(commonOptions), 1); // once, in the usage
        const qsizetype from = usage.out.indexOf("Commands:\n") + qsizetype(sizeof("Commands:\n") - 1);
        const QList<QByteArray> listed = usage.out.mid(from, usage.out.indexOf("\n\n", from) - from).split('\n');
        int commands = 0;
        for (const QByteArray& line : listed) {
            const QByteArray name = line.trimmed().split(' ').first();
            const QByteArray header = "latent-explorer-cli " + name;
            QVERIFY2(all.out.contains("\n" + header + "\n" + QByteArray(header.size(), '-') + "\nUsage: " + header),
                     name.constData());
            ++commands;
        }
        QVERIFY2(commands >= 30, qPrintable(QString::number(commands)));
        QVERIFY(all.out.contains("-\n" + infoHelp + "\nlatent-explorer-cli sample\n"));

        const Run bad = cli({"help", "frobnicate"});
        QCOMPARE(bad.code, 2);
        QCOMPARE(bad.err.count('\n'), 1);
        QVERIFY2(bad.err.contains("expected one command or --all, got 'frobnicate'"), bad.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_Cli.moc"
