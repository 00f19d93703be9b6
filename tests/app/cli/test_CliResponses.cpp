// latent-explorer-cli responses / response / response-values end to end: CLI contract v1 (docs/ARCHITECTURE.md),
// exit codes and one-line errors.
#include "CliRunner.h"

#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/ResponseEngine.h"

#include <QProcess>
#include <QTemporaryDir>

#include <cmath>

namespace {

using lxtest::cli;
using lxtest::fx;
using Run = lxtest::CliRun;

lx::Array readNpy(const QString& path) { return lx::Npy::read(path.toStdString()); }

} // namespace

class TestCliResponses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void responsesFollowContract()
    {
        // identity_ae: M = diag(RMS_n(V[n, i] - Z[n, i])), exactly what the contract's formula gives.
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy"), v = dir.filePath("v.npy"), out = dir.filePath("m.npy");
        QCOMPARE(cli({"sample", fx("identity_ae.pt"), "--seeds", "0-31", "--out", z}).code, 0);
        const lx::Array values = lx::ResponseEngine::priorValues(32, 4, 3);
        lx::Npy::write(v.toStdString(), values);
        const Run r = cli({"responses", fx("identity_ae.pt"), "--latents", z, "--values", v, "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.isEmpty());
        const lx::Array m = readNpy(out), latents = readNpy(z);
        QCOMPARE(m.shape(), (std::vector<int64_t>{4, 4}));
        for (int64_t i = 0; i < 4; ++i) {
            double sum = 0;
            for (int64_t n = 0; n < 32; ++n)
                sum += std::pow(double(values.ptr()[n * 4 + i]) - latents.ptr()[n * 4 + i], 2);
            for (int64_t j = 0; j < 4; ++j)
                QVERIFY(std::fabs(m.ptr()[i * 4 + j] - (i == j ? std::sqrt(sum / 32) : 0.0)) < 1e-5);
        }
        // The same as the engine in-process, whatever the pass size.
        auto model = lx::Model::load(lxtest::fixture("mlp_vae.pt"));
        const lx::Array zv = lx::LatentSampler({20}).sample(lx::LatentSampler::seedRange(0, 8));
        const lx::Array vv = lx::ResponseEngine::priorValues(8, 20, 1);
        lx::Npy::write(z.toStdString(), zv);
        lx::Npy::write(v.toStdString(), vv);
        QCOMPARE(cli({"responses", fx("mlp_vae.pt"), "--latents", z, "--values", v, "--out", out, "--chunk-rows", "13",
                      "--device", "cpu"})
                     .code,
                 0);
        lx::ResponseEngine engine(*model);
        QVERIFY(lxtest::maxAbsDiff(readNpy(out), engine.responseMatrix(zv, vv)) < 1e-5f);
    }
    void responseAndValues()
    {
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy"), out = dir.filePath("o.npy"), x = dir.filePath("x.npy");
        auto model = lx::Model::load(lxtest::fixture("mlp_vae.pt"));
        lx::ResponseEngine engine(*model);
        const lx::Array latents = lx::LatentSampler({20}).sample(lx::LatentSampler::seedRange(10, 12));
        lx::Npy::write(z.toStdString(), latents);

        QCOMPARE(cli({"response", fx("mlp_vae.pt"), "--latents", z, "--out", out}).code, 0);
        QVERIFY(lxtest::maxAbsDiff(readNpy(out), engine.response(latents)) < 1e-6f);

        QCOMPARE(
            cli({"response-values", fx("mlp_vae.pt"), "--latents", z, "--mode", "prior", "--seed", "4", "--out", out})
                .code,
            0);
        QCOMPARE(readNpy(out), lx::ResponseEngine::priorValues(12, 20, 4));

        // Aggregate posterior from data: the posterior means of X.
        const lx::Array data = model->generate(lx::LatentSampler({20}).sample(lx::LatentSampler::seedRange(100, 30)));
        lx::Npy::write(x.toStdString(), data);
        Run r = cli({"response-values", fx("mlp_vae.pt"), "--latents", z, "--data", x, "--seed", "2", "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(lxtest::maxAbsDiff(readNpy(out),
                                   lx::ResponseEngine::aggregatePosteriorValues(model->encodeMean(data), 12, 2))
                < 1e-6f);

        // Without data: the responses R(Z) stand in for the posterior means (default mode aggregate).
        r = cli({"response-values", fx("mlp_vae.pt"), "--latents", z, "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(lxtest::maxAbsDiff(readNpy(out),
                                   lx::ResponseEngine::aggregatePosteriorValues(engine.response(latents), 12, 0))
                < 1e-6f);
    }
    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString ae = fx("linear_ae.pt");
        QTest::newRow("missing values") << QStringList{"responses", ae, "--latents", "z.npy", "--out", "m.npy"} << 2
                                        << "missing required option --values";
        QTest::newRow("missing out") << QStringList{"responses", ae, "--latents", "z.npy", "--values", "v.npy"} << 2
                                     << "missing required option --out";
        // The contract takes a file for --values: no "prior" / "aggregate" shorthands.
        QTest::newRow("shorthand values") << QStringList{"responses", ae,      "--latents", fx("linear_ae.z.npy"),
                                                         "--values",  "prior", "--out",     "/tmp/m.npy"}
                                          << 1 << "cannot read prior";
        QTest::newRow("unknown option") << QStringList{"responses", ae, "--mode", "prior"} << 2
                                        << "unknown option --mode";
        QTest::newRow("bad chunk rows") << QStringList{"responses", ae,  "--latents",    "z", "--values", "v",
                                                       "--out",     "m", "--chunk-rows", "-3"}
                                        << 2 << "--chunk-rows must be an integer in [0, 1073741824], got '-3'";
        QTest::newRow("bad mode") << QStringList{"response-values", ae,        "--latents", "z",
                                                 "--mode",          "uniform", "--out",     "v"}
                                  << 2 << "--mode must be aggregate or prior";
        QTest::newRow("prior with data") << QStringList{"response-values", ae,       "--latents", "z",     "--mode",
                                                        "prior",           "--data", "x",         "--out", "v"}
                                         << 2 << "--data only applies";
        QTest::newRow("bad seed") << QStringList{"response-values", ae, "--latents", "z", "--seed", "-1", "--out", "v"}
                                  << 2 << "--seed must be an integer in [0, 9007199254740992], got '-1'";
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
    void dataErrors()
    {
        QTemporaryDir dir;
        const QString z = dir.filePath("z.npy"), v = dir.filePath("v.npy"), out = dir.filePath("m.npy");
        lx::Npy::write(z.toStdString(), lx::LatentSampler({4}).sample({1, 2, 3}));
        lx::Npy::write(v.toStdString(), lx::Array({3, 4}));
        const auto expectError = [&](const QStringList& args, const char* message) {
            const Run r = cli(args);
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(message), r.err.constData());
            QCOMPARE(r.err.trimmed().count('\n'), 0);
            QVERIFY(!QFile::exists(out));
        };
        expectError({"responses", fx("tiny_gen.pt"), "--latents", z, "--values", v, "--out", out},
                    "latent responses need an autoencoder");
        lx::Npy::write(v.toStdString(), lx::Array({3, 5}));
        expectError({"responses", fx("linear_ae.pt"), "--latents", z, "--values", v, "--out", out},
                    "values: expected shape [N, d] = [3, 4]");
        lx::Array nan({3, 4});
        nan.data()[5] = NAN;
        lx::Npy::write(v.toStdString(), nan);
        // The message names the file (the CLI checks every .npy it reads before the engine sees it).
        expectError({"responses", fx("linear_ae.pt"), "--latents", z, "--values", v, "--out", out},
                    "v.npy: contains NaN or Inf (at flat index 5)");
        lx::Npy::write(z.toStdString(), lx::Array({3, 5}));
        lx::Npy::write(v.toStdString(), lx::Array({3, 4}));
        expectError({"responses", fx("linear_ae.pt"), "--latents", z, "--values", v, "--out", out}, "latent_shape [4]");
        expectError({"response-values", fx("linear_ae.pt"), "--latents", z, "--out", out}, "latent_shape [4]");
        lx::Npy::write(z.toStdString(), lx::Array({3, 4}));
        const QString x = dir.filePath("x.npy");
        lx::Npy::write(x.toStdString(), lx::Array({3, 5}));
        expectError({"response-values", fx("linear_ae.pt"), "--latents", z, "--data", x, "--out", out},
                    "do not match the model's output");
        expectError(
            {"responses", fx("linear_ae.pt"), "--latents", z, "--values", v, "--out", dir.filePath("no/dir/m.npy")},
            "cannot write");
    }
    void help()
    {
        for (const char* command : {"responses", "response", "response-values"}) {
            const Run r = cli({command, "--help"});
            QCOMPARE(r.code, 0);
            QVERIFY(r.out.contains(QByteArray("Usage: latent-explorer-cli ") + command + " MODEL"));
            QVERIFY(r.out.contains("--device"));
        }
        const Run r = cli({"--help"});
        QVERIFY(r.out.contains("responses") && r.out.contains("response-values"));
        QVERIFY(cli({"responses", "--help"})
                    .out.contains("M[i, j] = sqrt(mean_n (R_j(z_n with dim i := V[n, i]) - R_j(z_n))^2)"));
    }
};

QTEST_GUILESS_MAIN(TestCliResponses)
#include "test_CliResponses.moc"
