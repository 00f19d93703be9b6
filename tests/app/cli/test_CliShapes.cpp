// latent-explorer-cli shapes / conditioned / response-map / iterate / encode end to end: outputs against
// core and the analytic fixtures, exit codes and one-line errors.
#include "CliRunner.h"

#include "lx/ConditionedResponse.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/ResponseEngine.h"
#include "lx/ResponseMap.h"
#include "lx/ShapesDataset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>
#include <set>

namespace {

using lxtest::cli;
using lxtest::fx;
using Run = lxtest::CliRun;

lx::Array readNpy(const QString& path) { return lx::Npy::read(path.toStdString()); }

lx::LoadOptions cpu()
{
    lx::LoadOptions options;
    options.device = lx::DeviceChoice::Cpu;
    return options;
}

} // namespace

class TestCliShapes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapesExport()
    {
        QTemporaryDir dir;
        const QString x = dir.filePath("x.npy"), f = dir.filePath("f.npy");
        Run r = cli({"shapes", "--indices", "0-3,100", "--out", x, "--factors-out", f});
        QVERIFY2(r.code == 0, r.err.constData());
        const lx::ShapesDataset data;
        QCOMPARE(readNpy(x), data.images({0, 1, 2, 3, 100}));
        QCOMPARE(readNpy(f), data.factorTable({0, 1, 2, 3, 100}));

        // random:N: N distinct indices, deterministic for a seed; the factor table names them.
        r = cli({"shapes", "--indices", "random:12", "--seed", "3", "--out", x, "--factors-out", f});
        QVERIFY2(r.code == 0, r.err.constData());
        const lx::Array table = readNpy(f), images = readNpy(x);
        QCOMPARE(table.shape(), (std::vector<int64_t>{12, 5}));
        std::vector<int64_t> indices;
        for (int64_t n = 0; n < 12; ++n) {
            std::vector<int64_t> factors;
            for (int64_t k = 0; k < 5; ++k)
                factors.push_back(int64_t(table.ptr()[n * 5 + k]));
            indices.push_back(data.indexOf(factors));
        }
        QCOMPARE(int(std::set<int64_t>(indices.begin(), indices.end()).size()), 12);
        QCOMPARE(images, data.images(indices));
        QCOMPARE(cli({"shapes", "--indices", "random:12", "--seed", "3", "--out", dir.filePath("y.npy")}).code, 0);
        QCOMPARE(readNpy(dir.filePath("y.npy")), images);
        QCOMPARE(cli({"shapes", "--indices", "random:12", "--seed", "4", "--out", dir.filePath("y.npy")}).code, 0);
        QVERIFY(readNpy(dir.filePath("y.npy")) != images);
    }
    void shapesInfo()
    {
        const Run r = cli({"shapes", "--info"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["dataset"].toString(), QString("lx-shapes"));
        QCOMPARE(o["size"].toInt(), 73728);
        const QJsonArray factors = o["factors"].toArray();
        QCOMPARE(factors.size(), 5);
        QCOMPARE(factors[2].toObject()["name"].toString(), QString("orientation"));
        QCOMPARE(factors[2].toObject()["size"].toInt(), 16);
        QCOMPARE(factors[1].toObject()["values"].toArray()[0].toDouble(), 0.5);
        QCOMPARE(o["shape_names"].toArray()[2].toString(), QString("heart"));
    }
    void conditionedMatchesCore()
    {
        QTemporaryDir dir;
        const QString c = dir.filePath("c.npy");
        // shapes_ae.pt's card names the dataset lx-shapes: no --dataset needed.
        const Run r = cli({"conditioned", fx("shapes_ae.pt"), "--traversals", "2", "--batch", "4", "--seed", "5",
                           "--out", c, "--device", "cpu"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["dataset"].toString(), QString("lx-shapes"));
        QCOMPARE(o["factors"].toArray().size(), 5);
        QCOMPARE(o["factors"].toArray()[4].toString(), QString("pos_y"));
        QCOMPARE(o["dims"].toInt(), 3);
        QCOMPARE(o["traversals"].toInt(), 2);
        QCOMPARE(o["batch"].toInt(), 4);

        auto model = lx::Model::load(lxtest::fixture("shapes_ae.pt"), cpu());
        lx::ResponseEngine engine(*model);
        lx::ConditionedOptions options;
        options.traversals = 2;
        options.batch = 4;
        options.seed = 5;
        const lx::ConditionedResult want = lx::conditionedResponseMatrix(engine, *model, lx::ShapesDataset(), options);
        const lx::Array got = readNpy(c);
        QCOMPARE(got.shape(), (std::vector<int64_t>{5, 3}));
        QVERIFY(lxtest::maxAbsDiff(got, want.matrix) < 1e-6f);
        QVERIFY(std::fabs(o["cds"].toDouble() - want.cds) < 1e-6);
        QVERIFY(want.cds >= 0.2 - 1e-9 && want.cds <= 1.0);
        const QJsonArray rows = o["matrix"].toArray();
        QCOMPARE(rows.size(), 5);
        for (int k = 0; k < 5; ++k) {
            for (int j = 0; j < 3; ++j)
                QVERIFY(std::fabs(rows[k].toArray()[j].toDouble() - got.ptr()[k * 3 + j]) < 1e-6);
        }
    }
    void responseMapFiles()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("map"), p = dir.filePath("p.npy");
        lx::Npy::write(p.toStdString(), lx::Array({3, 4}, {0.1f, 0, 0.9f, 0, -0.7f, 0, 0.2f, 0, 5, 0, 5, 0}));
        const Run r = cli({"response-map", fx("scaled_ae.pt"), "--dims", "0,2", "--grid", "6", "--radius", "1",
                           "--seed", "3", "--posterior", p, "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        auto model = lx::Model::load(lxtest::fixture("scaled_ae.pt"));
        lx::ResponseEngine engine(*model);
        lx::ResponseMapOptions options;
        options.dimX = 0;
        options.dimY = 2;
        options.gridSize = 6;
        options.radius = 1;
        const lx::Array base = lx::LatentSampler({4}).sample({3});
        const lx::ResponseMapResult want = lx::responseMap(engine, base, options, readNpy(p));
        QCOMPARE(readNpy(out + "/field_x.npy"), want.fieldX);
        QCOMPARE(readNpy(out + "/field_y.npy"), want.fieldY);
        QCOMPARE(readNpy(out + "/magnitude.npy"), want.magnitude);
        QCOMPARE(readNpy(out + "/divergence.npy"), want.divergence);
        QCOMPARE(readNpy(out + "/curvature.npy"), want.curvature);
        const lx::Array histogram = readNpy(out + "/histogram.npy");
        QCOMPARE(histogram, want.histogram);
        QCOMPARE(histogram.shape(), (std::vector<int64_t>{3, 3}));
        QCOMPARE(histogram.ptr()[2 * 3 + 1], 1.0f); // (0.1, 0.9): x bin 1, y bin 2
        QCOMPARE(histogram.ptr()[1 * 3 + 0], 1.0f); // (-0.7, 0.2)
        // R(z) = z / 2: u_x = -axis[col] / 2, divergence 2 (a - 1) delta = -0.4 per index.
        const lx::Array fieldX = readNpy(out + "/field_x.npy"), div = readNpy(out + "/divergence.npy");
        QVERIFY(std::fabs(fieldX.ptr()[3 * 6 + 0] - 0.5f) < 1e-6f);
        QVERIFY(std::fabs(div.ptr()[2 * 6 + 4] + 0.4f) < 1e-5f);
        QFile file(out + "/map.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(o["grid"].toInt(), 6);
        QCOMPARE(o["dims"].toArray()[1].toInt(), 2);
        QCOMPARE(o["axis"].toArray().size(), 6);
        QCOMPARE(o["axis"].toArray()[0].toDouble(), -1.0);
        QCOMPARE(o["base"].toArray()[1].toDouble(), double(base.ptr()[1]));
        QCOMPARE(o["histogram_points"].toInt(), 3);
        // No --posterior: no histogram file.
        const QString plain = dir.filePath("plain");
        QCOMPARE(cli({"response-map", fx("scaled_ae.pt"), "--dims", "1,0", "--grid", "4", "--out", plain}).code, 0);
        QVERIFY(QFile::exists(plain + "/curvature.npy") && !QFile::exists(plain + "/histogram.npy"));
        // --base: one latent.
        const QString b = dir.filePath("b.npy");
        lx::Npy::write(b.toStdString(), lx::Array({1, 4}, {0, 0, 0, 7}));
        QCOMPARE(
            cli({"response-map", fx("scaled_ae.pt"), "--dims", "1,0", "--grid", "4", "--base", b, "--out", plain}).code,
            0);
    }
    void iterateAndEncode()
    {
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy"), out = dir.filePath("p.npy");
        const lx::Array latents = lx::LatentSampler({4}).sample({1, 2, 3});
        lx::Npy::write(z.toStdString(), latents);
        Run r = cli({"iterate", fx("scaled_ae.pt"), "--latents", z, "--steps", "3", "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        const lx::Array path = readNpy(out);
        QCOMPARE(path.shape(), (std::vector<int64_t>{4, 3, 4}));
        for (int64_t k = 0; k < 4; ++k) {
            for (int64_t i = 0; i < 12; ++i)
                QVERIFY(std::fabs(path.ptr()[k * 12 + i] - std::pow(0.5, double(k)) * latents.ptr()[i]) < 1e-6);
        }
        // encode: posterior means of images (scaled_ae: half the pixels).
        const QString x = dir.filePath("x.npy");
        lx::Npy::write(x.toStdString(), lx::Array({2, 1, 2, 2}, {1, 2, 3, 4, -2, 0, 2, 6}));
        r = cli({"encode", fx("scaled_ae.pt"), "--data", x, "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(readNpy(out), lx::Array({2, 4}, {0.5f, 1, 1.5f, 2, -1, 0, 1, 3}));
    }
    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString ae = fx("scaled_ae.pt");
        QTest::newRow("shapes no out") << QStringList{"shapes", "--indices", "0"} << 2
                                       << "missing required option --out";
        QTest::newRow("shapes no indices")
            << QStringList{"shapes", "--out", "/tmp/x.npy"} << 2 << "missing required option --indices";
        QTest::newRow("shapes bad random") << QStringList{"shapes", "--indices", "random:0", "--out", "/tmp/x.npy"} << 2
                                           << "--indices random:N needs 1 <= N <= 73728";
        QTest::newRow("shapes seed without random")
            << QStringList{"shapes", "--indices", "1-3", "--seed", "2", "--out", "/tmp/x.npy"} << 2
            << "--seed only applies to --indices random:N";
        QTest::newRow("shapes bad index") << QStringList{"shapes", "--indices", "80000", "--out", "/tmp/lx_never.npy"}
                                          << 1 << "index 80000 is outside [0, 73728)";
        QTest::newRow("shapes bad dataset")
            << QStringList{"shapes", "--dataset", "dsprites", "--indices", "0", "--out", "/tmp/x.npy"} << 1
            << "unknown dataset 'dsprites' (known datasets: lx-shapes)";
        QTest::newRow("conditioned no dataset")
            << QStringList{"conditioned", fx("identity_ae.pt")} << 2 << "names no dataset; pass --dataset";
        QTest::newRow("conditioned bad dataset")
            << QStringList{"conditioned", fx("identity_ae.pt"), "--dataset", "x"} << 1 << "unknown dataset 'x'";
        QTest::newRow("conditioned wrong images")
            << QStringList{"conditioned", fx("identity_ae.pt"), "--dataset", "lx-shapes"} << 1
            << "the model's images are [1, 2, 2] but lx-shapes has [1, 64, 64]";
        QTest::newRow("conditioned bad traversals")
            << QStringList{"conditioned", fx("shapes_ae.pt"), "--traversals", "0"} << 2
            << "--traversals must be between 1 and 1000000";
        QTest::newRow("conditioned generator")
            << QStringList{"conditioned", fx("tiny_gen.pt"), "--dataset", "lx-shapes"} << 1
            << "latent responses need an autoencoder";
        QTest::newRow("map one dim") << QStringList{"response-map", ae, "--dims", "0", "--out", "/tmp/m"} << 2
                                     << "--dims takes two latent dimensions X,Y";
        QTest::newRow("map base and seed")
            << QStringList{"response-map", ae, "--dims", "0,1", "--base", "b.npy", "--seed", "1", "--out", "/tmp/m"}
            << 2 << "--base and --seed exclude each other";
        QTest::newRow("map bad grid") << QStringList{"response-map", ae,  "--dims", "0,1",
                                                     "--grid",       "1", "--out",  "/tmp/m"}
                                      << 2 << "--grid must be between 2 and 2048";
        QTest::newRow("map bad radius") << QStringList{"response-map", ae,   "--dims", "0,1",
                                                       "--radius",     "-1", "--out",  "/tmp/m"}
                                        << 2 << "--radius must be > 0";
        QTest::newRow("map bad dims") << QStringList{"response-map", ae, "--dims", "0,9", "--out", "/tmp/lx_never_map"}
                                      << 1 << "two different values in [0, 4), got 0 and 9";
        QTest::newRow("map bad base") << QStringList{"response-map", ae,
                                                     "--dims",       "0,1",
                                                     "--base",       fx("linear_ae.z.npy"),
                                                     "--out",        "/tmp/lx_never_map"}
                                      << 1 << "expected one latent of 4 values";
        QTest::newRow("iterate no steps") << QStringList{"iterate", ae, "--latents", "z.npy", "--out", "/tmp/p.npy"}
                                          << 2 << "missing required option --steps";
        QTest::newRow("iterate bad steps")
            << QStringList{"iterate", ae, "--latents", "z.npy", "--steps", "-2", "--out", "/tmp/p.npy"} << 2
            << "--steps must be between 0 and 100000";
        QTest::newRow("encode generator")
            << QStringList{"encode", fx("tiny_gen.pt"), "--data", fx("linear_ae.out.npy"), "--out", "/tmp/lx_never.npy"}
            << 1 << "encode needs an autoencoder";
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
        QVERIFY(!QFile::exists("/tmp/lx_never.npy") && !QFile::exists("/tmp/lx_never_map"));
    }
    void help()
    {
        for (const char* command : {"shapes", "conditioned", "response-map", "iterate", "encode"}) {
            const Run r = cli({command, "--help"});
            QCOMPARE(r.code, 0);
            QVERIFY(r.out.contains(QByteArray("Usage: latent-explorer-cli ") + command));
            QVERIFY(r.out.contains("--device"));
        }
        const Run r = cli({"--help"});
        for (const char* command : {"shapes", "conditioned", "response-map", "iterate", "encode"})
            QVERIFY(r.out.contains(command));
        QVERIFY(cli({"conditioned", "--help"}).out.contains("CDS = sum_j max_k C[k, j] / sum_{k, j} C[k, j]"));
        QVERIFY(cli({"response-map", "--help"}).out.contains("row 0 is\ny = -r"));
    }
};

QTEST_GUILESS_MAIN(TestCliShapes)
#include "test_CliShapes.moc"
