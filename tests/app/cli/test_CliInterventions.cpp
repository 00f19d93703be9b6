// latent-explorer-cli edit and bench, end to end on the tiny generator.
#include "CliRunner.h"

#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using lxtest::cli;
using lxtest::fx;

class TestCliInterventions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void editReplaysTheEngine()
    {
        QTemporaryDir dir;
        auto model = lx::Model::load(lxtest::fixture("tiny_gen.pt"), {lx::DeviceChoice::Cpu, 1});
        const lx::Array z = lx::LatentSampler(model->card().latentShape).sample({10, 11, 12, 20, 21, 22});
        const QString zPath = dir.filePath(QStringLiteral("z.npy"));
        lx::Npy::write(zPath.toStdString(), z);
        const QString editPath = dir.filePath(QStringLiteral("edit.json"));
        QFile f(editPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"interventions": [{"op": "scale", "channels": [0, 2], "value": -1.5},
                                      {"op": "copy-donor", "channels": [1]}]})");
        f.close();
        const QString out = dir.filePath(QStringLiteral("x.npy"));
        const auto run =
            cli({QStringLiteral("edit"), fx("tiny_gen.pt"), QStringLiteral("--layer"), QStringLiteral("main.4"),
                 QStringLiteral("--edit"), editPath, QStringLiteral("--latents"), zPath, QStringLiteral("--out"), out});
        QVERIFY2(run.code == 0, run.err.constData());

        lx::HybridEngine engine(*model);
        engine.setInputs(4, z.rows(0, 3), z.rows(3, 6));
        lx::LayerEdit edit;
        edit.interventions.push_back({lx::EditOp::Scale, {0, 2}, -1.5, {}, 0, 0, true});
        edit.interventions.push_back({lx::EditOp::CopyDonor, {1}, 1.0, {}, 0, 0, true});
        const lx::Array expected = engine.intervene(edit);
        const lx::Array got = lx::Npy::read(out.toStdString());
        QCOMPARE(got.shape(), (std::vector<int64_t>{3, 3, 4, 4}));
        QVERIFY(lxtest::maxAbsDiff(got, expected) < 1e-6f);
        QVERIFY(lxtest::maxAbsDiff(got, engine.original1()) > 1e-3f); // the edit did something
    }

    void editRejectsBadInput()
    {
        QTemporaryDir dir;
        const QString zPath = dir.filePath(QStringLiteral("z.npy"));
        lx::Npy::write(zPath.toStdString(), lx::LatentSampler({4}).sample({1, 2, 3})); // odd count
        const QString editPath = dir.filePath(QStringLiteral("edit.json"));
        QFile f(editPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"interventions": [{"op": "blur", "channels": [0]}]})");
        f.close();
        auto run = cli({QStringLiteral("edit"), fx("tiny_gen.pt"), QStringLiteral("--layer"), QStringLiteral("main.4"),
                        QStringLiteral("--edit"), editPath, QStringLiteral("--latents"), zPath, QStringLiteral("--out"),
                        dir.filePath(QStringLiteral("x.npy"))});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("unknown intervention 'blur'"), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.npy"))));

        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(R"({"interventions": [{"op": "ablate", "channels": [0]}]})");
        f.close();
        run = cli({QStringLiteral("edit"), fx("tiny_gen.pt"), QStringLiteral("--layer"), QStringLiteral("main.4"),
                   QStringLiteral("--edit"), editPath, QStringLiteral("--latents"), zPath, QStringLiteral("--out"),
                   dir.filePath(QStringLiteral("x.npy"))});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("expected 2N latents"), run.err.constData());

        run = cli({QStringLiteral("edit"), fx("tiny_gen.pt"), QStringLiteral("--layer"), QStringLiteral("main.4")});
        QCOMPARE(run.code, 2); // usage: --out missing
    }

    void benchPrintsFrameTimes()
    {
        const auto run =
            cli({QStringLiteral("bench"), fx("tiny_gen.pt"), QStringLiteral("--layer"), QStringLiteral("main.2"),
                 QStringLiteral("--frames"), QStringLiteral("20"), QStringLiteral("--device"), QStringLiteral("cpu")});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(run.out).object();
        for (const char* key : {"frame_p50_ms", "frame_p95_ms", "suffix_p50_ms", "full_p50_ms"})
            QVERIFY2(o.value(QLatin1String(key)).toDouble() > 0.0, key);
        QVERIFY(o.value(QStringLiteral("frame_p95_ms")).toDouble()
                >= o.value(QStringLiteral("frame_p50_ms")).toDouble());
        QCOMPARE(o.value(QStringLiteral("channels")).toInt(), 1); // a quarter of main.2's 6 channels
        QCOMPARE(o.value(QStringLiteral("frames")).toInt(), 20);

        const auto bad =
            cli({QStringLiteral("bench"), fx("tiny_gen.pt"), QStringLiteral("--layer"), QStringLiteral("main.9")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("unknown layer 'main.9'"), bad.err.constData());
    }
};

QTEST_MAIN(TestCliInterventions)
#include "test_CliInterventions.moc"
