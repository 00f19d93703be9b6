// latent-explorer-cli cgn, cgn-dataset and info on a cgn, end to end on the hand-built cgn_known.pt
// (tests/fixtures/make_cgn_fixtures.py).
#include "CliRunner.h"

#include "lx/AtomicFile.h"
#include "lx/CgnDataset.h"
#include "lx/CgnModel.h"
#include "lx/Npy.h"
#include "lx/Png.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <sstream>

using lxtest::cli;
using lxtest::fx;

namespace {

QJsonObject json(const QByteArray& out) { return QJsonDocument::fromJson(out).object(); }

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

int imageCount(const QString& folder) { return int(QDir(folder + "/images").entryList(QDir::Files).size()); }

QStringList datasetArgs(const QString& out, const QString& seed)
{
    return {QStringLiteral("cgn-dataset"), fx("cgn_known.pt"),
            QStringLiteral("--n"),         QStringLiteral("10"),
            QStringLiteral("--cfs"),       QStringLiteral("2"),
            QStringLiteral("--seed"),      seed,
            QStringLiteral("--out"),       out};
}

} // namespace

class TestCliCgn : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cgnWritesTheParts()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("mix"));
        const auto run = cli({QStringLiteral("cgn"), fx("cgn_known.pt"), QStringLiteral("--shape"),
                              QStringLiteral("top4"), QStringLiteral("--texture"), QStringLiteral("0:2:0.25"),
                              QStringLiteral("--background"), QStringLiteral("1"), QStringLiteral("--seeds"),
                              QStringLiteral("5,6,7"), QStringLiteral("--out"), out});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject j = json(run.out);
        QCOMPARE(j["shape"].toObject()["class"].toInt(), 1);
        QCOMPARE(j["shape"].toObject()["class_name"].toString(), QStringLiteral("top4"));
        QCOMPARE(j["texture"].toObject()["class_b"].toInt(), 2);
        QCOMPARE(j["texture"].toObject()["mix"].toDouble(), 0.25);
        QCOMPARE(j["background"].toObject()["seed"].toInt(), 7);
        QCOMPARE(j["shuffle"].toString(), QStringLiteral("tile2x2"));
        const auto [dy, dx] = lx::CgnModel::shuffleOffset(6, 8, 8);
        QCOMPARE(j["texture"].toObject()["shuffle_offset"].toArray(), (QJsonArray{dy, dx}));
        // Shape top4: rows 0-3 at 0.9999, rows 4-7 at 1e-4.
        QVERIFY(std::fabs(j["mask_mean"].toDouble() - 0.5 * (0.9999 + 1e-4)) < 1e-6);
        QCOMPARE(j["ranges"].toObject()["mask"].toArray()[1].toDouble(), double(0.9999f));

        const auto read = [&](const char* name) { return lx::Npy::read((out + "/" + name).toStdString()); };
        const lx::Array premask = read("premask.npy"), mask = read("mask.npy"), f = read("foreground.npy"),
                        b = read("background.npy"), x = read("composite.npy");
        QCOMPARE(premask.shape(), (std::vector<int64_t>{1, 1, 8, 8}));
        QCOMPARE(mask.shape(), (std::vector<int64_t>{1, 1, 8, 8}));
        QCOMPARE(f.shape(), (std::vector<int64_t>{1, 3, 8, 8}));
        QCOMPARE(b.shape(), (std::vector<int64_t>{1, 3, 8, 8}));
        QCOMPARE(x.shape(), (std::vector<int64_t>{1, 3, 8, 8}));
        for (int64_t ch = 0; ch < 3; ++ch) {
            for (int64_t p = 0; p < 64; ++p) {
                const float m = mask.ptr()[p];
                QCOMPARE(m, p / 8 < 4 ? 0.9999f : 1e-4f);
                const int64_t i = ch * 64 + p;
                QVERIFY(std::fabs(x.ptr()[i] - (m * f.ptr()[i] + (1 - m) * b.ptr()[i])) < 1e-7f);
            }
        }
        // The same as the core's render.
        auto model = lx::CgnModel::load(lxtest::fixture("cgn_known.pt"));
        const lx::CgnImages want = model->render({{{1, 1, 0.0, 5}, {0, 2, 0.25, 6}, {1, 1, 0.0, 7}}});
        QVERIFY(x == want.composite);
        const lx::Image8 strip = lx::Png::read((out + "/strip.png").toStdString());
        QCOMPARE(strip.channels, 3);
        QCOMPARE(strip.height, (8 + 4) * 4); // one row of tiles, padding 2, scale 4
        QCOMPARE(strip.width, (4 * 8 + 5 * 2) * 4); // mask, foreground, background, composite
    }

    void cgnRejectsBadInput()
    {
        auto run = cli({QStringLiteral("cgn"), fx("cgn_known.pt"), QStringLiteral("--shape"), QStringLiteral("3")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("shape: class 3 out of range"), run.err.constData());
        run = cli({QStringLiteral("cgn"), fx("cgn_known.pt"), QStringLiteral("--texture"), QStringLiteral("0:1:1.5")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("texture: class mix 1.5"), run.err.constData());
        run = cli({QStringLiteral("cgn"), fx("cgn_known.pt"), QStringLiteral("--shape"), QStringLiteral("circle")});
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.contains("'circle' is neither a class index nor a class name"), run.err.constData());
        run = cli({QStringLiteral("cgn"), fx("cgn_known.pt"), QStringLiteral("--seeds"), QStringLiteral("1,2")});
        QCOMPARE(run.code, 2);
        run = cli({QStringLiteral("cgn"), fx("cgn_nomethod.pt")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("model has no method 'background'"), run.err.constData());
        run = cli({QStringLiteral("cgn"), fx("tiny_gen.pt")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("the card says generator, not cgn"), run.err.constData());
        // A cgn is not a generator: `sample` and friends say where to go.
        run = cli({QStringLiteral("generate"), fx("cgn_known.pt"), QStringLiteral("--latents"), QStringLiteral("z.npy"),
                   QStringLiteral("--out"), QStringLiteral("x.npy")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("use the cli commands cgn and cgn-dataset"), run.err.constData());
    }

    void infoDescribesACgn()
    {
        const auto run = cli({QStringLiteral("info"), fx("cgn_known_noshuffle.pt")});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject j = json(run.out);
        QCOMPARE(j["kind"].toString(), QStringLiteral("cgn"));
        QCOMPARE(j["classes"].toArray(), (QJsonArray{"top2", "top4", "top6"}));
        QCOMPARE(j["latent_shape"].toArray(), (QJsonArray{4}));
        QCOMPARE(j["output_shape"].toArray(), (QJsonArray{3, 8, 8}));
        QCOMPARE(j["shuffle"].toString(), QStringLiteral("none"));
        QCOMPARE(j["noise"].toString(), QStringLiteral("per_mechanism"));
        QCOMPARE(j["layers"].toArray().size(), 0);
    }

    void datasetExportResumesAndRefuses()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("ds"));
        auto run = cli(datasetArgs(out, QStringLiteral("3")));
        QVERIFY2(run.code == 0, run.err.constData());
        QJsonObject j = json(run.out);
        QCOMPARE(j["written"].toInt(), 10);
        QCOMPARE(j["skipped"].toInt(), 0);
        QVERIFY(j["images_per_second"].toDouble() > 0.0);
        QVERIFY2(run.err.contains("cgn-dataset: 10/10 images"), run.err.constData());
        QCOMPARE(imageCount(out), 10);
        const std::vector<std::string> csv = lines(lx::AtomicFile::read((out + "/labels.csv").toStdString()));
        QCOMPARE(csv.size(), size_t(11));
        for (int i = 0; i < 10; ++i) {
            const lx::CgnRequest r = lx::CgnDataset::request(3, 2, 3, i);
            const std::string prefix = std::to_string(i) + "," + lx::CgnDataset::imageName(i, 10) + ","
                + std::to_string(r.shape.classA) + "," + std::to_string(r.texture.classA) + ","
                + std::to_string(r.background.classA) + "," + std::to_string(r.shape.seed) + ",";
            QVERIFY2(csv[size_t(i + 1)].rfind(prefix, 0) == 0, csv[size_t(i + 1)].c_str());
        }

        run = cli(datasetArgs(out, QStringLiteral("3")));
        QVERIFY2(run.code == 0, run.err.constData());
        j = json(run.out);
        QCOMPARE(j["written"].toInt(), 0);
        QCOMPARE(j["skipped"].toInt(), 10);

        // An interrupted export: images 2, 5 and 6 missing; only they are made again.
        for (int i : {2, 5, 6})
            QVERIFY(QFile::remove(out + "/" + QString::fromStdString(lx::CgnDataset::imageName(i, 10))));
        run = cli(datasetArgs(out, QStringLiteral("3")));
        QVERIFY2(run.code == 0, run.err.constData());
        j = json(run.out);
        QCOMPARE(j["written"].toInt(), 3);
        QCOMPARE(j["skipped"].toInt(), 7);
        QCOMPARE(imageCount(out), 10);

        run = cli(datasetArgs(out, QStringLiteral("4")));
        QCOMPARE(run.code, 1);
        QVERIFY2(
            run.err.contains("already holds a counterfactual dataset with other parameters (seed 3 here, 4 asked)"),
            run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
    }

    void datasetBadOutput()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("plain"));
        lx::AtomicFile::write(file.toStdString(), "x");
        auto run = cli(datasetArgs(file + "/ds", QStringLiteral("0")));
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.startsWith("latent-explorer-cli cgn-dataset: cannot create folder"), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
        run = cli({QStringLiteral("cgn-dataset"), fx("cgn_known.pt"), QStringLiteral("--out"), dir.filePath("x")});
        QCOMPARE(run.code, 2); // --n missing
    }
};

QTEST_APPLESS_MAIN(TestCliCgn)
#include "test_CliCgn.moc"
