// lx::CgnDataset: counterfactual dataset export from the hand-built cgn_known.pt
// (tests/fixtures/make_cgn_fixtures.py).
#include "TestSupport.h"

#include "lx/AtomicFile.h"
#include "lx/CgnDataset.h"
#include "lx/CgnModel.h"
#include "lx/ImageGrid.h"
#include "lx/Png.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sstream>

namespace {

using lxtest::fixture;

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string labelRow(const lx::CgnDatasetOptions& o, int classes, int64_t i)
{
    const lx::CgnRequest r = lx::CgnDataset::request(o.seed, o.counterfactuals, classes, i);
    return std::to_string(i) + "," + lx::CgnDataset::imageName(i, o.count) + "," + std::to_string(r.shape.classA) + ","
        + std::to_string(r.texture.classA) + "," + std::to_string(r.background.classA) + ","
        + std::to_string(r.shape.seed) + "," + std::to_string(r.texture.seed) + "," + std::to_string(r.background.seed);
}

bool fileExists(const std::string& path) { return QFile::exists(QString::fromStdString(path)); }

} // namespace

class TestCgnDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void requestsArePureFunctionsOfSeedAndIndex()
    {
        for (int64_t i = 0; i < 40; ++i) {
            const lx::CgnRequest a = lx::CgnDataset::request(7, 4, 3, i), b = lx::CgnDataset::request(7, 4, 3, i);
            QVERIFY(a.shape.classA == b.shape.classA && a.shape.seed == b.shape.seed);
            QVERIFY(a.texture.seed == b.texture.seed && a.background.seed == b.background.seed);
            // One mask per 4 images: the shape mechanism is shared within a group.
            const lx::CgnRequest first = lx::CgnDataset::request(7, 4, 3, i / 4 * 4);
            QCOMPARE(a.shape.classA, first.shape.classA);
            QCOMPARE(a.shape.seed, first.shape.seed);
            for (const lx::CgnMechanismInput* in : {&a.shape, &a.texture, &a.background}) {
                QVERIFY(in->classA >= 0 && in->classA < 3);
                QCOMPARE(in->classB, in->classA);
                QCOMPARE(in->mix, 0.0);
                QVERIFY(in->seed < (uint64_t(1) << 31));
            }
        }
        // Fresh noise per counterfactual and per mechanism; other masks get other shape seeds.
        const lx::CgnRequest a = lx::CgnDataset::request(7, 4, 3, 0), b = lx::CgnDataset::request(7, 4, 3, 1);
        QVERIFY(a.texture.seed != b.texture.seed);
        QVERIFY(a.texture.seed != a.background.seed);
        QVERIFY(a.shape.seed != lx::CgnDataset::request(7, 4, 3, 4).shape.seed);
        QVERIFY(a.texture.seed != lx::CgnDataset::request(8, 4, 3, 0).texture.seed);
        // Uniform classes, drawn independently per mechanism.
        int texture[3] = {0, 0, 0}, same = 0;
        for (int64_t i = 0; i < 3000; ++i) {
            const lx::CgnRequest r = lx::CgnDataset::request(1, 1, 3, i);
            ++texture[r.texture.classA];
            same += r.texture.classA == r.background.classA;
        }
        for (int k = 0; k < 3; ++k)
            QVERIFY2(texture[k] > 850 && texture[k] < 1150,
                     qPrintable(QString("class %1: %2 of 3000").arg(k).arg(texture[k])));
        QVERIFY2(same > 850 && same < 1150, qPrintable(QString("texture == background class %1 of 3000").arg(same)));
        QCOMPARE(lx::CgnDataset::imageName(42, 10), std::string("images/000042.png"));
        QCOMPARE(lx::CgnDataset::imageName(42, 2000000), std::string("images/0000042.png"));
    }

    void writesResumesAndRefuses()
    {
        QTemporaryDir tmp;
        auto model = lx::CgnModel::load(fixture("cgn_known.pt"));
        lx::CgnDatasetOptions o;
        o.folder = tmp.filePath("ds").toStdString();
        o.count = 10;
        o.counterfactuals = 2;
        o.seed = 3;
        o.batch = 4;
        o.toolVersion = "test";
        std::vector<long long> progress;
        lx::CgnDatasetResult r = lx::CgnDataset::write(*model, o, [&](long long done, long long total) {
            QCOMPARE(total, 10LL);
            progress.push_back(done);
        });
        QCOMPARE(r.written, int64_t(10));
        QCOMPARE(r.skipped, int64_t(0));
        QVERIFY(r.seconds > 0.0 && r.imagesPerSecond > 0.0);
        QCOMPARE(progress, (std::vector<long long>{4, 8, 10}));

        // labels.csv: header + one row per image, the core's deterministic draw.
        const std::vector<std::string> csv = lines(lx::AtomicFile::read(o.folder + "/labels.csv"));
        QCOMPARE(csv.size(), size_t(11));
        QCOMPARE(csv[0],
                 std::string(
                     "index,file,shape_class,texture_class,background_class,shape_seed,texture_seed,background_seed"));
        for (int64_t i = 0; i < 10; ++i)
            QCOMPARE(csv[size_t(i + 1)], labelRow(o, 3, i));
        // Each PNG is the render of its row, output_range mapped to 0..255.
        for (int64_t i : {0, 5, 9}) {
            const lx::CgnImages x = model->render({lx::CgnDataset::request(o.seed, o.counterfactuals, 3, i)});
            const lx::Image8 png = lx::Png::read(o.folder + "/" + lx::CgnDataset::imageName(i, o.count));
            QCOMPARE(png.width, 8);
            QCOMPARE(png.height, 8);
            QCOMPARE(png.channels, 3);
            for (int ch = 0; ch < 3; ++ch)
                for (int y = 0; y < 8; ++y)
                    for (int xx = 0; xx < 8; ++xx)
                        QCOMPARE(int(png.at(xx, y)[ch]),
                                 int(lx::ImageGrid::toByte(x.composite.ptr()[(ch * 8 + y) * 8 + xx], -1, 1)));
        }
        const std::string info = lx::AtomicFile::read(o.folder + "/dataset.json");
        for (const char* part : {"\"count\": 10", "\"counterfactuals\": 2", "\"seed\": 3", "\"model_sha256\"",
                                 "\"top6\"", "\"tool_version\": \"test\""})
            QVERIFY2(lxtest::contains(info, part), part);

        // Same parameters again: everything is skipped. Delete two images: only those are rewritten, identically.
        r = lx::CgnDataset::write(*model, o);
        QCOMPARE(r.written, int64_t(0));
        QCOMPARE(r.skipped, int64_t(10));
        const std::string img3 = o.folder + "/" + lx::CgnDataset::imageName(3, 10);
        const std::string img7 = o.folder + "/" + lx::CgnDataset::imageName(7, 10);
        const std::string bytes3 = lx::AtomicFile::read(img3), bytes7 = lx::AtomicFile::read(img7);
        QFile::remove(QString::fromStdString(img3));
        QFile::remove(QString::fromStdString(img7));
        lx::AtomicFile::write(o.folder + "/labels.csv", "stale");
        r = lx::CgnDataset::write(*model, o);
        QCOMPARE(r.written, int64_t(2));
        QCOMPARE(r.skipped, int64_t(8));
        QCOMPARE(lx::AtomicFile::read(img3), bytes3);
        QCOMPARE(lx::AtomicFile::read(img7), bytes7);
        QCOMPARE(lines(lx::AtomicFile::read(o.folder + "/labels.csv")), csv);

        // Other parameters in the same folder are refused, naming what differs.
        lx::CgnDatasetOptions other = o;
        other.seed = 4;
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, other),
                        "already holds a counterfactual dataset with other parameters (seed 3 here, 4 asked)");
        other = o;
        other.counterfactuals = 5;
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, other), "counterfactuals 2 here, 5 asked");
        other = o;
        other.count = 20;
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, other), "count 10 here, 20 asked");
        auto plain = lx::CgnModel::load(fixture("cgn_known_noshuffle.pt")); // another file: another SHA-256
        LX_VERIFY_ERROR(lx::CgnDataset::write(*plain, o), "model_sha256");
        QCOMPARE(QDir(QString::fromStdString(o.folder + "/images")).entryList(QDir::Files).size(), 10);
    }

    void cancelLeavesConsistentFolder()
    {
        QTemporaryDir tmp;
        auto model = lx::CgnModel::load(fixture("cgn_known.pt"));
        lx::CgnDatasetOptions o;
        o.folder = tmp.filePath("ds").toStdString();
        o.count = 10;
        o.counterfactuals = 3;
        o.batch = 4;
        lx::CancelToken cancel;
        bool cancelled = false;
        try {
            lx::CgnDataset::write(
                *model, o,
                [&](long long done, long long) {
                    if (done >= 4)
                        cancel.cancel();
                },
                &cancel);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(QDir(QString::fromStdString(o.folder + "/images")).entryList(QDir::Files).size(), 4);
        const std::vector<std::string> csv = lines(lx::AtomicFile::read(o.folder + "/labels.csv"));
        QCOMPARE(csv.size(), size_t(5));
        QCOMPARE(csv[4], labelRow(o, 3, 3));
        QVERIFY(!fileExists(o.folder + "/labels.csv.tmp"));
        const lx::CgnDatasetResult r = lx::CgnDataset::write(*model, o);
        QCOMPARE(r.skipped, int64_t(4));
        QCOMPARE(r.written, int64_t(6));
        QCOMPARE(lines(lx::AtomicFile::read(o.folder + "/labels.csv")).size(), size_t(11));
    }

    void badOptionsAndFolders()
    {
        QTemporaryDir tmp;
        auto model = lx::CgnModel::load(fixture("cgn_known.pt"));
        lx::CgnDatasetOptions o;
        o.folder = tmp.filePath("ds").toStdString();
        o.count = 0;
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, o), "the image count must be at least 1");
        o.count = 5;
        o.counterfactuals = 0;
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, o), "counterfactuals per mask must be at least 1");
        o.counterfactuals = 2;
        o.batch = 0;
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, o), "the batch size must be at least 1");
        o.batch = 16;
        lx::AtomicFile::write(tmp.filePath("file").toStdString(), "x");
        o.folder = tmp.filePath("file/sub").toStdString();
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, o), "cannot create folder");
        // Looks like a dataset but has no dataset.json: not resumed into.
        QDir(tmp.path()).mkpath("odd/images");
        o.folder = tmp.filePath("odd").toStdString();
        LX_VERIFY_ERROR(lx::CgnDataset::write(*model, o), "has images/ or labels.csv but no dataset.json");
        QVERIFY(!fileExists(o.folder + "/dataset.json"));
    }
};

QTEST_APPLESS_MAIN(TestCgnDataset)
#include "test_CgnDataset.moc"
