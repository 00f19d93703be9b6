// latent-explorer-cli module-grid and robustness end to end: outputs against core, bad inputs exit
// 1 (data) or 2 (usage) with one line.
#include "CliRunner.h"

#include "lx/AtomicFile.h"
#include "lx/Classifier.h"
#include "lx/HybridGrid.h"
#include "lx/ImageGrid.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/Png.h"
#include "lx/RobustnessAssay.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <set>

namespace {

using lxtest::cli;
using lxtest::fx;
using Run = lxtest::CliRun;

// DIR/modules.json with the quadrant modules {0,1} {2,3} {4,5} {6,7}.
void writeQuadrantModules(const QString& dir)
{
    QDir().mkpath(dir);
    lx::AtomicFile::write((dir + "/modules.json").toStdString(), R"({"k": 4, "assignment": [0, 0, 1, 1, 2, 2, 3, 3]})");
}

std::vector<int> intsOf(const QJsonArray& a)
{
    std::vector<int> out;
    for (const QJsonValue& v : a)
        out.push_back(v.toInt());
    return out;
}

} // namespace

class TestCliModuleAssays : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void moduleGrid()
    {
        QTemporaryDir dir;
        writeQuadrantModules(dir.filePath("mods"));
        const QString png = dir.filePath("grid.png"), npy = dir.filePath("grid.npy");
        const Run r =
            cli({"module-grid", fx("quadrant_gen.pt"), "--layer", "main.1", "--modules", dir.filePath("mods"),
                 "--module", "1", "--rows", "0,1", "--cols", "5-7", "--out", png, "--npy", npy, "--scale", "2"});
        QVERIFY2(r.code == 0, r.err.constData());
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        const lx::LatentSampler sampler({8});
        const lx::HybridGridResult want =
            lx::HybridGrid::compute(*m, 1, {2, 3}, sampler.sample({0, 1}), sampler.sample({5, 6, 7}));
        const lx::Array got = lx::Npy::read(npy.toStdString());
        QCOMPARE(got.shape(), (std::vector<int64_t>{2, 3, 1, 4, 4}));
        QVERIFY(lxtest::maxAbsDiff(got, want.hybrids) < 1e-6f);
        // The picture: 3 x 4 tiles of 4x4, padding 2, header gap 2, upscaled 2x; exactly what the core
        // composer makes of the same grid.
        const lx::Image8 img = lx::Png::read(png.toStdString());
        QCOMPARE(img.channels, 1);
        QCOMPARE(img.width, 2 * (4 * 4 + 5 * 2 + 2));
        QCOMPARE(img.height, 2 * (3 * 4 + 4 * 2 + 2));
        lx::ImageGridOptions o;
        o.headerGap = 2;
        o.scale = 2;
        QVERIFY(img == lx::ImageGrid::compose(want.figureTiles(), 3, 4, o));
    }
    void moduleGridIdentities()
    {
        // No channels: every cell of a row is that row's original; all channels: the column's donor.
        QTemporaryDir dir;
        const QString npy = dir.filePath("g.npy");
        const QString model = fx("dcgan_tutorial.pt");
        for (const QString& channels : {QString(""), QString("0-511")}) {
            const Run r = cli({"module-grid", model, "--layer", "main.2", "--channels", channels, "--rows", "0-1",
                               "--cols", "3-5", "--out", dir.filePath("g.png"), "--npy", npy});
            QVERIFY2(r.code == 0, r.err.constData());
            const lx::Array g = lx::Npy::read(npy.toStdString());
            auto m = lx::Model::load(lxtest::fixture("dcgan_tutorial.pt"));
            const lx::LatentSampler sampler(m->card().latentShape);
            const lx::Array x = m->generate(
                sampler.sample(channels.isEmpty() ? std::vector<uint64_t>{0, 1} : std::vector<uint64_t>{3, 4, 5}));
            for (int64_t i = 0; i < 2; ++i)
                for (int64_t j = 0; j < 3; ++j)
                    QVERIFY(lxtest::maxAbsDiff(g.row(i).row(j), x.row(channels.isEmpty() ? i : j)) < 1e-5f);
        }
        QCOMPARE(lx::Png::read(dir.filePath("g.png").toStdString()).channels, 3); // RGB model
    }
    void robustnessWithModules()
    {
        QTemporaryDir dir;
        writeQuadrantModules(dir.filePath("mods"));
        const QString out = dir.filePath("r.json");
        const Run r = cli({"robustness", fx("quadrant_gen.pt"), "--classifier", fx("quadrant_clf.pt"), "--layer",
                           "main.1,main.0", "--modules", dir.filePath("mods") + "," + dir.filePath("mods"), "--pairs",
                           "40", "--seed", "3", "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(QJsonDocument::fromJson(lx::AtomicFile::read(out.toStdString()).c_str()).object(), o);
        QCOMPARE(o["pairs"].toInt(), 40);
        QCOMPARE(o["classes"].toArray().size(), 4);
        // The same numbers as the core assay on seeds 3..82.
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        auto c = lx::Classifier::load(lxtest::fixture("quadrant_clf.pt"));
        const lx::Array z = lx::LatentSampler({8}).sample(lx::LatentSampler::seedRange(3, 80));
        const lx::RobustnessResult want = lx::RobustnessAssay::run(*m, *c, 1, {0, 0, 1, 1, 2, 2, 3, 3}, z);
        const QJsonArray layers = o["layers"].toArray();
        QCOMPARE(layers.size(), 2);
        QCOMPARE(layers[0].toObject()["layer"].toString(), QString("main.1"));
        QCOMPARE(layers[1].toObject()["layer"].toString(), QString("main.0"));
        for (const QJsonValue& layer : layers) {
            const QJsonArray modules = layer.toObject()["modules"].toArray();
            QCOMPARE(modules.size(), 4);
            for (int k = 0; k < 4; ++k) {
                const QJsonObject mk = modules[k].toObject();
                const lx::ModuleRobustness& w = want.modules[size_t(k)];
                QCOMPARE(intsOf(mk["channels"].toArray()), w.channels);
                QCOMPARE(mk["n"].toInt(), 40);
                QCOMPARE(mk["kept_fraction"].toDouble(), w.keptFraction());
                QCOMPARE(mk["donor_fraction"].toDouble(), w.donorFraction());
                QCOMPARE(mk["n_differing"].toInt(), int(w.differingPairs));
                QCOMPARE(mk["kept_fraction_differing"].toDouble(), w.keptFractionDiffering());
                QCOMPARE(mk["donor_fraction_differing"].toDouble(), w.donorFractionDiffering());
            }
        }
        const QJsonObject originals = o["originals"].toObject();
        QCOMPARE(originals["n"].toInt(), 40);
        QCOMPARE(originals["same_class_fraction"].toDouble(), double(want.originals.sameClassPairs) / 40.0);
        QCOMPARE(originals["class_counts"].toObject()["q2"].toInt(), int(want.originals.classCounts[2]));
    }
    void robustnessDiscoversModules()
    {
        // --k 4 on the quadrant generator finds the four quadrant modules (exact: disjoint supports).
        const Run r = cli({"robustness", fx("quadrant_gen.pt"), "--classifier", fx("quadrant_clf.pt"), "--layer",
                           "main.1", "--k", "4", "--pairs-eim", "32", "--pairs", "16"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject layer = QJsonDocument::fromJson(r.out).object()["layers"].toArray()[0].toObject();
        QCOMPARE(layer["modules_from"].toObject()["k"].toInt(), 4);
        std::set<std::vector<int>> found;
        for (const QJsonValue& mk : layer["modules"].toArray())
            found.insert(intsOf(mk.toObject()["channels"].toArray()));
        QCOMPARE(found, (std::set<std::vector<int>>{{0, 1}, {2, 3}, {4, 5}, {6, 7}}));
    }
    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString gen = fx("quadrant_gen.pt"), clf = fx("quadrant_clf.pt");
        const QStringList grid{"module-grid", gen,      "--layer", "main.1", "--rows",
                               "0-1",         "--cols", "2-3",     "--out",  "/tmp/lx_unused.png"};
        QTest::newRow("grid: no channel source") << grid << 2 << "give exactly one of --channels or --modules";
        QTest::newRow("grid: both sources")
            << (grid + QStringList{"--channels", "1", "--modules", "/tmp", "--module", "0"}) << 2
            << "give exactly one of --channels or --modules";
        QTest::newRow("grid: module without dir")
            << (QStringList{"module-grid", gen, "--layer", "main.1", "--rows", "0", "--cols", "1", "--out",
                            "/tmp/lx_unused.png", "--channels", "1", "--module", "0"})
            << 2 << "--modules DIR and --module K go together";
        QTest::newRow("grid: negative seed")
            << (QStringList{"module-grid", gen, "--layer", "main.1", "--channels", "1", "--rows", "-1", "--cols", "1",
                            "--out", "/tmp/lx_unused.png"})
            << 2 << "--rows";
        QTest::newRow("grid: bad scale") << (grid + QStringList{"--channels", "1", "--scale", "0"}) << 2
                                         << "--scale must be between 1 and 16";
        QTest::newRow("grid: no modules.json")
            << (grid + QStringList{"--modules", "/no/dir", "--module", "0"}) << 1 << "cannot read /no/dir/modules.json";
        QTest::newRow("grid: bad channel") << (grid + QStringList{"--channels", "8"}) << 1 << "channel 8 out of range";
        QTest::newRow("grid: bad layer") << (QStringList{"module-grid", gen, "--layer", "main.9", "--channels", "1",
                                                         "--rows", "0", "--cols", "1", "--out", "/tmp/lx_unused.png"})
                                         << 1 << "unknown layer 'main.9'";
        QTest::newRow("grid: unwritable out")
            << (QStringList{"module-grid", fx("quadrant_gen.pt"), "--layer", "main.1", "--channels", "1", "--rows", "0",
                            "--cols", "1", "--out", "/no/dir/g.png"})
            << 1 << "cannot write /no/dir/g.png";
        const QStringList rob{"robustness", gen, "--classifier", clf, "--layer", "main.1"};
        QTest::newRow("rob: no module source") << rob << 2 << "give exactly one of --modules DIR or --k K";
        QTest::newRow("rob: both sources")
            << (rob + QStringList{"--k", "2", "--modules", "/tmp"}) << 2 << "give exactly one of";
        QTest::newRow("rob: bad k") << (rob + QStringList{"--k", "0"}) << 2
                                    << "--k must be an integer in [1, 100000], got '0'";
        QTest::newRow("rob: dirs per layer")
            << (QStringList{"robustness", gen, "--classifier", clf, "--layer", "main.0,main.1", "--modules", "/tmp"})
            << 2 << "--modules needs one DIR per --layer";
        QTest::newRow("rob: empty layer")
            << (QStringList{"robustness", gen, "--classifier", clf, "--layer", "main.0,", "--k", "2"}) << 2
            << "--layer: empty entry";
        QTest::newRow("rob: no classifier") << (QStringList{"robustness", gen, "--layer", "main.1", "--k", "2"}) << 2
                                            << "missing required option --classifier";
        QTest::newRow("rob: missing classifier")
            << (QStringList{"robustness", gen, "--classifier", "/no/c.pt", "--layer", "main.1", "--k", "2"}) << 1
            << "cannot open classifier /no/c.pt";
        QTest::newRow("rob: generator as classifier")
            << (QStringList{"robustness", gen, "--classifier", gen, "--layer", "main.1", "--k", "2"}) << 1
            << "the card says generator, not classifier";
        QTest::newRow("rob: shapes differ")
            << (QStringList{"robustness", gen, "--classifier", fx("wide_clf.pt"), "--layer", "main.1", "--k", "2"}) << 1
            << "expects images [1, 8, 8], the generator makes [1, 4, 4]";
        QTest::newRow("rob: bad layer") << (QStringList{"robustness", gen, "--classifier", clf, "--layer",
                                                        "main.1,nope", "--k", "2"})
                                        << 1 << "unknown layer 'nope'";
        QTest::newRow("rob: nan classifier")
            << (QStringList{"robustness", gen, "--classifier", fx("nan_clf.pt"), "--layer", "main.1", "--k", "2",
                            "--pairs", "4", "--pairs-eim", "4"})
            << 1 << "NaN or Inf logits";
    }
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
    }
    void assignmentOfAnotherLayer()
    {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("m"));
        lx::AtomicFile::write(dir.filePath("m/modules.json").toStdString(), R"({"assignment": [0, 1, 0]})");
        Run r = cli({"robustness", fx("quadrant_gen.pt"), "--classifier", fx("quadrant_clf.pt"), "--layer", "main.1",
                     "--modules", dir.filePath("m"), "--pairs", "4"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("lists 3 channels but layer main.1 has 8"), r.err.constData());
        r = cli({"module-grid", fx("quadrant_gen.pt"), "--layer", "main.1", "--modules", dir.filePath("m"), "--module",
                 "1", "--rows", "0", "--cols", "1", "--out", dir.filePath("g.png")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("lists 3 channels but layer main.1 has 8"), r.err.constData());
        r = cli({"module-grid", fx("quadrant_gen.pt"), "--layer", "main.1", "--modules", dir.filePath("m"), "--module",
                 "5", "--rows", "0", "--cols", "1", "--out", dir.filePath("g.png")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--module 5"), r.err.constData());
        lx::AtomicFile::write(dir.filePath("m/modules.json").toStdString(), R"({"k": 2})");
        r = cli({"robustness", fx("quadrant_gen.pt"), "--classifier", fx("quadrant_clf.pt"), "--layer", "main.1",
                 "--modules", dir.filePath("m"), "--pairs", "4"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no 'assignment' list"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("g.png")));
    }
    void help()
    {
        for (const char* command : {"module-grid", "robustness"}) {
            const Run r = cli({command, "--help"});
            QCOMPARE(r.code, 0);
            QVERIFY(r.out.contains("Usage: latent-explorer-cli"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliModuleAssays)
#include "test_CliModuleAssays.moc"
