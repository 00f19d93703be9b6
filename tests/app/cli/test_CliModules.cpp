// latent-explorer-cli influence, modules and consistency end to end on the analytic quadrant generator
// (tests/fixtures/make_module_fixtures.py: channels {0,1}, {2,3}, {4,5}, {6,7} of main.1 write only to the
// four quadrants of the 4x4 image): the maps vanish outside their quadrant, K = 4 finds exactly those
// pairs with NMF and k-means, W.npy / H.npy / modules.json have the documented layout, smoothing and
// the threshold reach the factorised matrix, consistency at K = 4 is 1; bad input exits 1 or 2 with
// one line and writes nothing.
#include "CliRunner.h"

#include "lx/EimPreprocess.h"
#include "lx/Npy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>
#include <set>

using lxtest::cli;
using lxtest::fx;
using Run = lxtest::CliRun;

namespace {

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// The channel sets of an assignment, e.g. {{0, 1}, {2, 3}, ...}.
std::set<std::set<int>> partitionOf(const QJsonArray& assignment)
{
    std::map<int, std::set<int>> groups;
    for (int c = 0; c < assignment.size(); ++c)
        groups[assignment[c].toInt()].insert(c);
    std::set<std::set<int>> out;
    for (const auto& [m, channels] : groups)
        out.insert(channels);
    return out;
}

const std::set<std::set<int>> kQuadrants{{0, 1}, {2, 3}, {4, 5}, {6, 7}};

// The quadrant (0..3, row-major 2 x 2) of pixel (y, x) of the 4x4 image.
int quadrantOf(int y, int x) { return (y / 2) * 2 + x / 2; }

} // namespace

class TestCliModules : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mEim;

private Q_SLOTS:
    void initTestCase()
    {
        const QString z = mDir.filePath("z.npy");
        Run r = cli({"sample", fx("quadrant_gen.pt"), "--seeds", "0-31", "--out", z}); // 16 pairs
        QVERIFY2(r.code == 0, r.err.constData());
        mEim = mDir.filePath("eim.npy");
        r = cli({"influence", fx("quadrant_gen.pt"), "--layer", "main.1", "--latents", z, "--out", mEim});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void influenceMapsStayInTheirQuadrant()
    {
        const lx::Array eim = lx::Npy::read(mEim.toStdString());
        QCOMPARE(eim.shape(), (std::vector<int64_t>{8, 4, 4}));
        for (int c = 0; c < 8; ++c) {
            double inside = 0.0;
            for (int y = 0; y < 4; ++y) {
                for (int x = 0; x < 4; ++x) {
                    const float v = eim.ptr()[(c * 4 + y) * 4 + x];
                    if (quadrantOf(y, x) == c / 2)
                        inside += v;
                    else
                        QVERIFY2(v == 0.0f,
                                 qPrintable(QString("channel %1 at (%2, %3): %4").arg(c).arg(y).arg(x).arg(v)));
                }
            }
            QVERIFY2(inside > 0.0, qPrintable(QString("channel %1 has an empty map").arg(c)));
        }
        // --plain (a full forward pass per channel and pair chunk) gives the same maps.
        const QString plain = mDir.filePath("plain.npy");
        const Run r = cli({"influence", fx("quadrant_gen.pt"), "--layer", "main.1", "--latents", mDir.filePath("z.npy"),
                           "--out", plain, "--plain"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(lxtest::maxAbsDiff(lx::Npy::read(plain.toStdString()), eim) < 1e-6f);
    }

    void modulesFindTheQuadrants_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("nmf") << "nmf";
        QTest::newRow("kmeans") << "kmeans";
    }
    void modulesFindTheQuadrants()
    {
        QFETCH(QString, method);
        const QString out = mDir.filePath("mods-" + method);
        const Run r = cli({"modules", "--eim", mEim, "--k", "4", "--method", method, "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject report = readJson(out + "/modules.json");
        QCOMPARE(report["method"].toString(), method);
        QCOMPARE(report["k"].toInt(), 4);
        QCOMPARE(report["assignment"].toArray().size(), 8);
        QVERIFY(partitionOf(report["assignment"].toArray()) == kQuadrants);
        for (const char* key : {"seed", "smooth", "threshold", "error", "iterations", "fit_ms"})
            QVERIFY2(report.contains(key), key);
        const lx::Array w = lx::Npy::read((out + "/W.npy").toStdString());
        const lx::Array h = lx::Npy::read((out + "/H.npy").toStdString());
        QCOMPARE(w.shape(), (std::vector<int64_t>{8, 4}));
        QCOMPARE(h.shape(), (std::vector<int64_t>{4, 16}));
        if (method == "kmeans") {
            // W is the one-hot membership of the assignment, H the centroids.
            const QJsonArray a = report["assignment"].toArray();
            for (int c = 0; c < 8; ++c)
                for (int m = 0; m < 4; ++m)
                    QCOMPARE(w.ptr()[c * 4 + m], m == a[c].toInt() ? 1.0f : 0.0f);
            QVERIFY(report["error_kind"].toString().startsWith("inertia"));
        } else {
            QCOMPARE(report["init"].toString(), QStringLiteral("nndsvda"));
            QVERIFY(report.contains("relative_error"));
        }
    }

    void smoothingAndThresholdReachTheFactorisation()
    {
        // NMF of threshold(smooth(EIM, 1), 0.5) with K = 3 (one fewer than the quadrants, so W H is not
        // exact and its error tells the matrices apart): the reported relative error is that of W H
        // against the preprocessed maps computed here, not against the raw maps.
        const QString out = mDir.filePath("mods-smooth");
        const Run r = cli({"modules", "--eim", mEim, "--k", "3", "--smooth", "1", "--threshold", "0.5", "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject report = readJson(out + "/modules.json");
        QCOMPARE(report["smooth"].toDouble(), 1.0);
        QCOMPARE(report["threshold"].toDouble(), 0.5);
        const lx::Array eim = lx::Npy::read(mEim.toStdString());
        const lx::Array s = lx::EimPreprocess::threshold(lx::EimPreprocess::smooth(eim, 1.0), 0.5);
        const lx::Array w = lx::Npy::read((out + "/W.npy").toStdString());
        const lx::Array h = lx::Npy::read((out + "/H.npy").toStdString());
        const auto relativeError = [&](const lx::Array& target) {
            double num = 0.0, den = 0.0;
            for (int c = 0; c < 8; ++c) {
                for (int p = 0; p < 16; ++p) {
                    double wh = 0.0;
                    for (int m = 0; m < 3; ++m)
                        wh += double(w.ptr()[c * 3 + m]) * double(h.ptr()[m * 16 + p]);
                    const double t = target.ptr()[c * 16 + p];
                    num += (t - wh) * (t - wh);
                    den += t * t;
                }
            }
            return std::sqrt(num / den);
        };
        const double reported = report["relative_error"].toDouble();
        QCOMPARE(w.shape(), (std::vector<int64_t>{8, 3}));
        QVERIFY2(reported > 0.01, qPrintable(QString("relative error %1: K = 3 cannot be exact here").arg(reported)));
        QVERIFY2(std::abs(relativeError(s) - reported) < 1e-4 * reported,
                 qPrintable(QString("W H vs preprocessed maps: %1, reported %2").arg(relativeError(s)).arg(reported)));
        QVERIFY(std::abs(relativeError(eim) - reported) > 1e-2 * reported); // the raw maps are not what was factorised
    }

    void consistencyIsOneAtTheTrueK()
    {
        const QString out = mDir.filePath("consistency.json");
        const Run r = cli({"consistency", fx("quadrant_gen.pt"), "--layer", "main.1", "--pairs", "16", "--kmin", "2",
                           "--kmax", "5", "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject report = readJson(out);
        QCOMPARE(report["layer"].toString(), QStringLiteral("main.1"));
        QCOMPARE(report["pairs_per_set"].toInt(), 16);
        const QJsonArray curve = report["curve"].toArray();
        QCOMPARE(curve.size(), 4);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(curve[i].toObject()["k"].toInt(), 2 + i);
        // Both sets of pairs give the four quadrant templates at K = 4: matched cosine similarity 1.
        QVERIFY2(curve[2].toObject()["nmf"].toDouble() > 1.0 - 1e-4,
                 qPrintable(QString::number(curve[2].toObject()["nmf"].toDouble())));
        QVERIFY(curve[2].toObject()["kmeans"].toDouble() > 1.0 - 1e-4);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("output");
        const QString gen = fx("quadrant_gen.pt");
        const QString out = mDir.filePath("bad-out");
        const QString odd = mDir.filePath("odd.npy");
        lx::Npy::write(odd.toStdString(), lx::Array({3, 8}));
        QTest::newRow("influence: odd latents")
            << QStringList{"influence", gen, "--layer", "main.1", "--latents", odd, "--out", out} << 1
            << "expected 2N latents" << out;
        QTest::newRow("influence: unknown layer")
            << QStringList{"influence", gen, "--layer", "main.9", "--latents", odd, "--out", out} << 1
            << "unknown layer 'main.9'" << out;
        QTest::newRow("modules: no k") << QStringList{"modules", "--eim", mEim, "--out", out} << 2
                                       << "missing required option --k" << out;
        QTest::newRow("modules: k beyond the channels")
            << QStringList{"modules", "--eim", mEim, "--k", "9", "--out", out} << 1
            << "NMF rank k = 9 must be between 1 and min(rows, columns) = 8" << out;
        QTest::newRow("modules: method") << QStringList{"modules",  "--eim", mEim,    "--k", "2",
                                                        "--method", "pca",   "--out", out}
                                         << 2 << "--method must be nmf or kmeans" << out;
        QTest::newRow("modules: missing maps")
            << QStringList{"modules", "--eim", mDir.filePath("none.npy"), "--k", "2", "--out", out} << 1
            << "cannot read" << out;
        QTest::newRow("modules: threshold 1")
            << QStringList{"modules", "--eim", mEim, "--k", "2", "--threshold", "1", "--out", out} << 1
            << "threshold quantile must be in [0, 1)" << out;
        QTest::newRow("consistency: kmin > kmax")
            << QStringList{"consistency", gen, "--layer", "main.1", "--kmin", "5", "--kmax", "3", "--out", out} << 1
            << "need 1 <= kmin <= kmax, got 5..3" << out;
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        QFETCH(QString, output);
        const Run r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(!QFile::exists(output));
    }
};

QTEST_GUILESS_MAIN(TestCliModules)
#include "test_CliModules.moc"
