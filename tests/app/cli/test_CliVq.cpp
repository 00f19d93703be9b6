// latent-explorer-cli vq-encode, vq-decode, vq-apply, vq-evaluate and info on a vqvae, end to end on the
// hand-built vq_known.pt and vq_shapes.pt (tests/fixtures/make_vq_fixtures.py).
#include "CliRunner.h"

#include "lx/AtomicFile.h"
#include "lx/Npy.h"
#include "lx/Png.h"
#include "lx/ShapesDataset.h"
#include "lx/SplitMix64.h"
#include "lx/VqModel.h"
#include "lx/VqPairs.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using lxtest::cli;
using lxtest::fixture;
using lxtest::fx;

namespace {

QJsonObject json(const QByteArray& out) { return QJsonDocument::fromJson(out).object(); }
QString q(const char* s) { return QString::fromLatin1(s); }

lx::Array randomCodes(int64_t n, uint64_t seed)
{
    lx::SplitMix64 rng(seed);
    lx::Array c({n, 2, 3, 4});
    for (float& v : c.data())
        v = float(rng.below(5));
    return c;
}

// vq_known's action a: row a mod 3 moves +s in code map 0 and -s in code map 1, mod 5 (s = +1 for a < 3).
lx::Array knownApply(const lx::Array& codes, int a)
{
    lx::Array out = codes;
    const int64_t row = a % 3, s = a < 3 ? 1 : -1;
    for (int64_t n = 0; n < codes.dim(0); ++n) {
        for (int64_t j = 0; j < 4; ++j) {
            float* c0 = out.ptr() + ((n * 2 + 0) * 3 + row) * 4 + j;
            float* c1 = out.ptr() + ((n * 2 + 1) * 3 + row) * 4 + j;
            *c0 = float((int64_t(*c0) + s + 5) % 5);
            *c1 = float((int64_t(*c1) - s + 5) % 5);
        }
    }
    return out;
}

// A failed run: exit code 1 (bad input) or 2 (bad usage) with one line on stderr that says `part`.
void verifyFails(const lxtest::CliRun& run, int code, const char* part)
{
    QVERIFY2(run.code == code,
             qPrintable(QString("exit %1, stderr: %2").arg(run.code).arg(QString::fromUtf8(run.err))));
    QVERIFY2(run.err.contains(part), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY(run.out.isEmpty());
}

} // namespace

class TestCliVq : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void infoDescribesVq()
    {
        const auto run = cli({q("info"), fx("vq_known.pt")});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject j = json(run.out);
        QCOMPARE(j["kind"].toString(), q("vqvae"));
        QCOMPARE(j["input_shape"].toArray(), (QJsonArray{2, 24, 32}));
        QCOMPARE(j["output_shape"].toArray(), (QJsonArray{2, 24, 32}));
        QCOMPARE(j["grid_shape"].toArray(), (QJsonArray{2, 3, 4}));
        QCOMPARE(j["latent_shape"].toArray(), (QJsonArray{2, 3, 4}));
        QCOMPARE(j["codebook_size"].toInt(), 5);
        QCOMPARE(j["nodes"].toInt(), 24);
        QCOMPARE(j["output_range"].toArray(), (QJsonArray{0.0, 1.0}));
        QCOMPARE(j["actions"].toArray(),
                 (QJsonArray{q("top+"), q("middle+"), q("bottom+"), q("top-"), q("middle-"), q("bottom-")}));
        QCOMPARE(j["factors"].toArray(), (QJsonArray{q("top"), q("middle"), q("bottom")}));
        QCOMPARE(j["methods"].toArray().size(), 4);
        QVERIFY(j["layers"].toArray().isEmpty());

        const auto plain = cli({q("info"), fx("vq_plain.pt")});
        QVERIFY2(plain.code == 0, plain.err.constData());
        QVERIFY(json(plain.out)["actions"].toArray().isEmpty());
        QCOMPARE(json(plain.out)["methods"].toArray(), (QJsonArray{q("encode"), q("decode")}));
        QCOMPARE(json(cli({q("info"), fx("vq_shapes.pt")}).out)["dataset"].toString(), q("lx-shapes"));
    }

    // vq-encode of decoded images gives the codes back exactly; vq-decode matches the core API.
    void encodeDecodeRoundTrip()
    {
        QTemporaryDir dir;
        const lx::Array codes = randomCodes(5, 3);
        auto model = lx::VqModel::load(fixture("vq_known.pt"));
        const std::string images = dir.filePath(q("x.npy")).toStdString();
        lx::Npy::write(images, model->decode(codes));
        const QString idx = dir.filePath(q("idx.npy"));
        const auto enc =
            cli({q("vq-encode"), fx("vq_known.pt"), q("--images"), QString::fromStdString(images), q("--out"), idx});
        QVERIFY2(enc.code == 0, enc.err.constData());
        QVERIFY(lx::Npy::read(idx.toStdString()) == codes);
        QCOMPARE(json(enc.out)["n"].toInt(), 5);
        QCOMPARE(json(enc.out)["grid_shape"].toArray(), (QJsonArray{2, 3, 4}));

        const QString x = dir.filePath(q("back.npy"));
        const auto dec = cli({q("vq-decode"), fx("vq_known.pt"), q("--codes"), idx, q("--out"), x});
        QVERIFY2(dec.code == 0, dec.err.constData());
        QVERIFY(lx::Npy::read(x.toStdString()) == lx::Npy::read(images));
        QCOMPARE(lx::Npy::read(x.toStdString()).ptr()[0], codes.ptr()[0] / 4.0f);
    }

    // lx-shapes images by index, encoded as the core API does, decoded into a PNG grid.
    void datasetImagesAndPng()
    {
        QTemporaryDir dir;
        const QString idx = dir.filePath(q("idx.npy"));
        const auto enc = cli({q("vq-encode"), fx("vq_shapes.pt"), q("--dataset"), q("lx-shapes"), q("--indices"),
                              q("0,5,1000"), q("--out"), idx});
        QVERIFY2(enc.code == 0, enc.err.constData());
        auto model = lx::VqModel::load(fixture("vq_shapes.pt"));
        const lx::ShapesDataset data;
        const lx::Array want = model->encode(data.images({0, 5, 1000}));
        QVERIFY(lx::Npy::read(idx.toStdString()) == want);
        QCOMPARE(lx::Npy::read(idx.toStdString()).shape(), (std::vector<int64_t>{3, 1, 8, 8}));

        const QString png = dir.filePath(q("f.png"));
        const auto dec = cli({q("vq-decode"), fx("vq_shapes.pt"), q("--codes"), idx, q("--out"),
                              dir.filePath(q("x.npy")), q("--png"), png, q("--scale"), q("2")});
        QVERIFY2(dec.code == 0, dec.err.constData());
        const lx::Image8 image = lx::Png::read(png.toStdString());
        QCOMPARE(image.width, 2 * (3 * 64 + 4 * 2));
        QCOMPARE(image.height, 2 * (64 + 2 * 2));
        QCOMPARE(image.channels, 1);
    }

    void applyKnownAction()
    {
        QTemporaryDir dir;
        const lx::Array codes = randomCodes(4, 8);
        const std::string idx = dir.filePath(q("idx.npy")).toStdString();
        lx::Npy::write(idx, codes);
        const QString out = dir.filePath(q("after.npy")), traj = dir.filePath(q("t.npy")),
                      images = dir.filePath(q("x2.npy"));
        const auto run = cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), QString::fromStdString(idx),
                              q("--action"), q("middle+"), q("--steps"), q("2"), q("--out"), out, q("--trajectory-out"),
                              traj, q("--images-out"), images});
        QVERIFY2(run.code == 0, run.err.constData());
        const lx::Array once = knownApply(codes, 1), twice = knownApply(once, 1);
        QVERIFY(lx::Npy::read(out.toStdString()) == twice);
        const lx::Array t = lx::Npy::read(traj.toStdString());
        QCOMPARE(t.shape(), (std::vector<int64_t>{4, 3, 2, 3, 4}));
        for (int64_t n = 0; n < 4; ++n) {
            for (int64_t k = 0; k < 24; ++k) {
                QCOMPARE(t.ptr()[(n * 3 + 0) * 24 + k], codes.ptr()[n * 24 + k]);
                QCOMPARE(t.ptr()[(n * 3 + 1) * 24 + k], once.ptr()[n * 24 + k]);
                QCOMPARE(t.ptr()[(n * 3 + 2) * 24 + k], twice.ptr()[n * 24 + k]);
            }
        }
        auto model = lx::VqModel::load(fixture("vq_known.pt"));
        QVERIFY(lx::Npy::read(images.toStdString()) == model->decode(twice));
        const QJsonObject j = json(run.out);
        QCOMPARE(j["action"].toString(), q("middle+"));
        QCOMPARE(j["action_index"].toInt(), 1);
        QCOMPARE(j["steps"].toInt(), 2);
        QCOMPARE(j["changed_codes_per_step"].toArray(), (QJsonArray{32, 32})); // 8 nodes of row 1, 4 samples
        const QJsonArray changes = j["first_step_changes_sample0"].toArray();
        QCOMPARE(changes.size(), 8);
        for (const QJsonValue& c : changes) {
            QCOMPARE(c.toObject()["row"].toInt(), 1);
            const int codebook = c.toObject()["codebook"].toInt(), before = c.toObject()["before"].toInt();
            QCOMPARE(c.toObject()["after"].toInt(), (before + (codebook == 0 ? 1 : 4)) % 5);
        }

        // By index, and the identity.
        const auto byIndex = cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), QString::fromStdString(idx),
                                  q("--action"), q("5"), q("--out"), out});
        QVERIFY2(byIndex.code == 0, byIndex.err.constData());
        QVERIFY(lx::Npy::read(out.toStdString()) == knownApply(codes, 5));
        const auto identity = cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), QString::fromStdString(idx),
                                   q("--action"), q("identity"), q("--steps"), q("3"), q("--out"), out});
        QVERIFY2(identity.code == 0, identity.err.constData());
        QVERIFY(lx::Npy::read(out.toStdString()) == codes);
        QCOMPARE(json(identity.out)["changed_codes_per_step"].toArray(), (QJsonArray{0, 0, 0}));
    }

    // A trajectory strip of lx-shapes images: rows = samples, columns = steps 0..S.
    void applyStripPng()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(q("strip.png"));
        const auto run = cli({q("vq-apply"), fx("vq_shapes.pt"), q("--dataset"), q("lx-shapes"), q("--indices"),
                              q("0,77"), q("--action"), q("pos_x+"), q("--steps"), q("3"), q("--out"),
                              dir.filePath(q("o.npy")), q("--png"), png, q("--scale"), q("1")});
        QVERIFY2(run.code == 0, run.err.constData());
        const lx::Image8 image = lx::Png::read(png.toStdString());
        QCOMPARE(image.width, 4 * 64 + 5 * 2);
        QCOMPARE(image.height, 2 * 64 + 3 * 2);
        QCOMPARE(json(run.out)["action_index"].toInt(), 3);
        // pos_x+ moves row 3 of the 8x8 grid by +1 (mod 17): 8 codes per sample and step.
        QCOMPARE(json(run.out)["changed_codes_per_step"].toArray(), (QJsonArray{16, 16, 16}));
    }

    // vq-evaluate prints what VqPairs::evaluate computes, and writes the same JSON with --out.
    void evaluateMatchesCore()
    {
        QTemporaryDir dir;
        const QString metrics = dir.filePath(q("metrics.json"));
        const auto run = cli(
            {q("vq-evaluate"), fx("vq_shapes.pt"), q("--pairs"), q("300"), q("--seed"), q("5"), q("--out"), metrics});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject j = json(run.out);
        auto model = lx::VqModel::load(fixture("vq_shapes.pt"));
        const lx::VqEvaluation e = lx::VqPairs::evaluate(*model, lx::ShapesDataset(), 300, 5);
        QCOMPARE(j["n_pairs"].toInt(), 300);
        QCOMPARE(j["seed"].toInt(), 5);
        QCOMPARE(j["dataset"].toString(), q("lx-shapes"));
        QCOMPARE(j["action_accuracy"].toDouble(), e.actionAccuracy);
        QCOMPARE(j["factor_accuracy"].toDouble(), e.factorAccuracy);
        QCOMPARE(j["mean_true_probability"].toDouble(), e.meanTrueProbability);
        QCOMPARE(j["action_chance"].toDouble(), 0.1);
        QCOMPARE(j["factor_chance"].toDouble(), 0.2);
        const QJsonArray perAction = j["per_action"].toArray();
        QCOMPARE(perAction.size(), 10);
        int pairs = 0;
        for (int a = 0; a < 10; ++a) {
            const QJsonObject row = perAction[a].toObject();
            QCOMPARE(row["action"].toInt(), a);
            QCOMPARE(row["pairs"].toInt(), int(e.perActionPairs[size_t(a)]));
            pairs += row["pairs"].toInt();
        }
        QCOMPARE(pairs, 300);
        QCOMPARE(perAction[0].toObject()["name"].toString(), q("shape+"));
        QCOMPARE(perAction[9].toObject()["name"].toString(), q("pos_y-"));
        const QJsonArray confusion = j["confusion"].toArray();
        QCOMPARE(confusion.size(), 10);
        int diagonal = 0;
        for (int t = 0; t < 10; ++t)
            diagonal += confusion[t].toArray()[t].toInt();
        QCOMPARE(diagonal, int(std::lround(e.actionAccuracy * 300)));
        QCOMPARE(
            QJsonDocument::fromJson(QByteArray::fromStdString(lx::AtomicFile::read(metrics.toStdString()))).object(),
            j);
        // Deterministic per seed.
        QCOMPARE(json(cli({q("vq-evaluate"), fx("vq_shapes.pt"), q("--pairs"), q("300"), q("--seed"), q("5")})
                          .out)["confusion"],
                 j["confusion"]);
    }

    void badInputs()
    {
        QTemporaryDir dir;
        const std::string idx = dir.filePath(q("bad.npy")).toStdString();
        const QString out = dir.filePath(q("o.npy"));
        lx::Array codes = randomCodes(2, 1);
        codes.ptr()[13] = 2.5f;
        lx::Npy::write(idx, codes);
        const QString bad = QString::fromStdString(idx);
        verifyFails(cli({q("vq-decode"), fx("vq_known.pt"), q("--codes"), bad, q("--out"), out}), 1,
                    "2.5 at [0, 1, 0, 1] is not an integer code index");
        codes.ptr()[13] = 7.0f;
        lx::Npy::write(idx, codes);
        verifyFails(cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), bad, q("--action"), q("0"), q("--out"), out}),
                    1, "code 7 at [0, 1, 0, 1] is outside [0, 5)");
        lx::Npy::write(idx, lx::Array({2, 3, 4}));
        verifyFails(cli({q("vq-decode"), fx("vq_known.pt"), q("--codes"), bad, q("--out"), out}), 1,
                    "expected code indices [N, 2, 3, 4] (card grid_shape), got [2, 3, 4]");
        lx::Npy::write(idx, randomCodes(2, 1));
        verifyFails(
            cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), bad, q("--action"), q("sideways"), q("--out"), out}),
            1, "unknown action 'sideways' (actions: top+, middle+");
        verifyFails(cli({q("vq-apply"), fx("vq_plain.pt"), q("--codes"), bad, q("--action"), q("0"), q("--out"), out}),
                    1, "has no transition (its card lists no actions)");
        verifyFails(cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), bad, q("--out"), out}), 2, "--action");
        verifyFails(cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), bad, q("--action"), q("0"), q("--steps"),
                         q("0"), q("--out"), out}),
                    2, "--steps must lie in 1..1000");
        verifyFails(cli({q("vq-apply"), fx("vq_known.pt"), q("--codes"), bad, q("--images"), bad, q("--action"), q("0"),
                         q("--out"), out}),
                    2, "give one input");
        verifyFails(cli({q("vq-encode"), fx("vq_known.pt"), q("--out"), out}), 2, "give the images");
        verifyFails(cli({q("vq-encode"), fx("vq_known.pt"), q("--images"), bad, q("--out"), out}), 1,
                    "vq encode: expected images [N, 2, 24, 32] (card input_shape), got [2, 2, 3, 4]");
        verifyFails(cli({q("vq-encode"), fx("vq_known.pt"), q("--dataset"), q("lx-shapes"), q("--indices"), q("0"),
                         q("--out"), out}),
                    1, "the model takes images [2, 24, 32], lx-shapes has [1, 64, 64]");
        verifyFails(cli({q("vq-encode"), fx("vq_shapes.pt"), q("--dataset"), q("lx-shapes"), q("--indices"),
                         q("99999999"), q("--out"), out}),
                    1, "outside");
        verifyFails(cli({q("vq-evaluate"), fx("vq_known.pt"), q("--pairs"), q("10")}), 1,
                    "the model has 6 actions, lx-shapes needs 2F = 10");
        verifyFails(cli({q("vq-evaluate"), fx("vq_shapes.pt"), q("--pairs"), q("0")}), 2, "--pairs must lie in");
        verifyFails(cli({q("vq-evaluate"), fx("vq_shapes.pt"), q("--dataset"), q("mnist")}), 1,
                    "unknown dataset 'mnist'");
        verifyFails(cli({q("vq-decode"), fx("tiny_gen.pt"), q("--codes"), bad, q("--out"), out}), 1,
                    "the card says generator, not vqvae");
        verifyFails(cli({q("vq-decode"), fx("vq_notidentity.pt"), q("--codes"), bad, q("--out"), out}), 1,
                    "identity must give the codes back");
        verifyFails(cli({q("generate"), fx("vq_known.pt"), q("--latents"), bad, q("--out"), out}), 1,
                    "the card says vqvae");
        verifyFails(cli({q("info"), fx("vq_badcard.pt")}), 1, "'actions' must be 2F = 6 names");
    }

    void helpTexts()
    {
        for (const char* command : {"vq-encode", "vq-decode", "vq-apply", "vq-evaluate"}) {
            const auto run = cli({q(command), q("--help")});
            QCOMPARE(run.code, 0);
            QVERIFY2(run.out.startsWith(QByteArray("Usage: latent-explorer-cli ") + command), run.out.constData());
            QVERIFY(run.out.contains("--device"));
        }
        const auto all = cli({q("--help")});
        QVERIFY(all.out.contains("vq-evaluate"));
        QVERIFY(all.out.contains("vq-apply"));
    }
};

QTEST_APPLESS_MAIN(TestCliVq)
#include "test_CliVq.moc"
