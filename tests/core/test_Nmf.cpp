#include "TestSupport.h"

#include "lx/EimPreprocess.h"
#include "lx/InfluenceEngine.h"
#include "lx/KMeans.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Nmf.h"
#include "lx/SplitMix64.h"

#include <cmath>
#include <set>

namespace {

// rows x cols matrix W0 H0 with K disjoint column blocks: row r belongs to block r % k.
lx::Array blockMatrix(int rows, int cols, int k, uint64_t seed)
{
    lx::SplitMix64 rng(seed);
    lx::Array s({rows, cols});
    for (int r = 0; r < rows; ++r) {
        const double scale = 0.5 + rng.uniform();
        for (int c = 0; c < cols; ++c)
            if (c * k / cols == r % k)
                s.data()[size_t(r * cols + c)] = float(scale * (0.5 + 0.5 * std::sin(0.3 * c)));
    }
    return s;
}

// Two assignments describe the same partition (up to renaming the modules).
bool samePartition(const std::vector<int>& a, const std::vector<int>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < a.size(); ++j)
            if ((a[i] == a[j]) != (b[i] == b[j]))
                return false;
    return true;
}

} // namespace

class TestNmf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recoversBlocksExactly()
    {
        const lx::Array s = blockMatrix(12, 40, 4, 7);
        lx::NmfOptions o;
        o.k = 4;
        const lx::NmfResult r = lx::Nmf::factorize(s, o);
        QCOMPARE(r.w.shape(), (std::vector<int64_t>{12, 4}));
        QCOMPARE(r.h.shape(), (std::vector<int64_t>{4, 40}));
        std::vector<int> truth;
        for (int i = 0; i < 12; ++i)
            truth.push_back(i % 4);
        QVERIFY(samePartition(r.assignment, truth));
        QVERIFY2(r.relativeError < 1e-3, qPrintable(QString::number(r.relativeError)));
        for (float v : r.w.data())
            QVERIFY(v >= 0.0f);
        for (float v : r.h.data())
            QVERIFY(v >= 0.0f);
    }
    void errorDecreasesMonotonically()
    {
        lx::SplitMix64 rng(3);
        lx::Array s({30, 50});
        for (float& v : s.data())
            v = float(rng.uniform());
        for (lx::NmfInit init : {lx::NmfInit::Nndsvda, lx::NmfInit::Random}) {
            lx::NmfOptions o;
            o.k = 5;
            o.init = init;
            o.tolerance = 0.0;
            o.maxIterations = 60;
            const lx::NmfResult r = lx::Nmf::factorize(s, o);
            QCOMPARE(r.iterations, 60);
            for (size_t i = 1; i < r.errorHistory.size(); ++i)
                QVERIFY2(r.errorHistory[i] <= r.errorHistory[i - 1] + 1e-12,
                         qPrintable(QString("iteration %1").arg(i)));
            QVERIFY(std::fabs(r.errorHistory.back() - r.relativeError) < 1e-6);
        }
    }
    void deterministicPerSeed()
    {
        const lx::Array s = blockMatrix(10, 30, 3, 1);
        lx::NmfOptions o;
        o.k = 3;
        o.init = lx::NmfInit::Random;
        o.seed = 5;
        const lx::NmfResult a = lx::Nmf::factorize(s, o), b = lx::Nmf::factorize(s, o);
        QCOMPARE(a.w, b.w);
        QCOMPARE(a.h, b.h);
        o.seed = 6;
        QVERIFY(lx::Nmf::factorize(s, o).w != a.w);
    }
    void rejectsBadInput()
    {
        lx::NmfOptions o;
        o.k = 2;
        lx::Array neg({3, 3});
        neg.data()[4] = -0.5f;
        LX_VERIFY_ERROR(lx::Nmf::factorize(neg, o), "negative entries");
        lx::Array nan({3, 3}, std::vector<float>(9, 1.0f));
        nan.data()[2] = NAN;
        LX_VERIFY_ERROR(lx::Nmf::factorize(nan, o), "NaN or Inf");
        o.k = 4;
        LX_VERIFY_ERROR(lx::Nmf::factorize(lx::Array({3, 9}, std::vector<float>(27, 1.0f)), o),
                        "must be between 1 and min(rows, columns) = 3");
        o.k = 0;
        LX_VERIFY_ERROR(lx::Nmf::factorize(lx::Array({3, 9}, std::vector<float>(27, 1.0f)), o), "rank k = 0");
        o.k = 1;
        LX_VERIFY_ERROR(lx::Nmf::factorize(lx::Array({3, 3}), o), "all zeros");
        LX_VERIFY_ERROR(lx::Nmf::factorize(lx::Array({9}), o), "needs a matrix");
    }
    void kmeansRecoversBlocks()
    {
        const lx::Array s = blockMatrix(12, 40, 4, 9);
        const lx::KMeansResult r = lx::KMeans::cluster(s, 4, 0);
        std::vector<int> truth;
        for (int i = 0; i < 12; ++i)
            truth.push_back(i % 4);
        QVERIFY(samePartition(r.assignment, truth));
        QCOMPARE(r.centroids.shape(), (std::vector<int64_t>{4, 40}));
        QCOMPARE(lx::KMeans::cluster(s, 4, 0).assignment, r.assignment);
        LX_VERIFY_ERROR(lx::KMeans::cluster(s, 13, 0), "k-means k = 13");
    }
    void quadrantModulesEndToEnd()
    {
        // The analytic generator: EIMs -> NMF and k-means with K = 4 give exactly the channel pairs.
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        const lx::Array z = lx::LatentSampler({8}).sample(lx::LatentSampler::seedRange(0, 64));
        const lx::Array eim = lx::InfluenceEngine::elementaryMaps(*m, m->requireLayer("main.1"), z);
        const std::vector<int> truth{0, 0, 1, 1, 2, 2, 3, 3};
        lx::NmfOptions o;
        o.k = 4;
        QVERIFY(samePartition(lx::Nmf::factorize(eim, o).assignment, truth));
        QVERIFY(samePartition(lx::KMeans::cluster(eim, 4, 1).assignment, truth));
        // Smoothing and thresholding keep the recovery.
        const lx::Array pre = lx::EimPreprocess::threshold(lx::EimPreprocess::smooth(eim, 0.5), 0.5);
        QVERIFY(samePartition(lx::Nmf::factorize(pre, o).assignment, truth));
    }
    void preprocessing()
    {
        lx::Array impulse({1, 5, 5});
        impulse.data()[12] = 1.0f;
        const lx::Array s = lx::EimPreprocess::smooth(impulse, 1.0);
        double total = 0;
        for (float v : s.data())
            total += v;
        QVERIFY(std::fabs(total - 1.0) < 1e-5); // mass is kept (mirrored borders)
        QVERIFY(s.data()[12] > s.data()[11] && s.data()[11] > s.data()[10]);
        QCOMPARE(s.data()[11], s.data()[13]); // symmetric
        QCOMPARE(lx::EimPreprocess::smooth(impulse, 0.0), impulse);
        const lx::Array t = lx::EimPreprocess::threshold(lx::Array({1, 5}, {5, 1, 4, 2, 3}), 0.5);
        QCOMPARE(t.data(), (std::vector<float>{5, 0, 4, 0, 3})); // median 3: values below it become 0
        LX_VERIFY_ERROR(lx::EimPreprocess::threshold(impulse, 1.0), "must be in [0, 1)");
        LX_VERIFY_ERROR(lx::EimPreprocess::smooth(impulse, -1.0), "sigma must be >= 0");
    }
};

QTEST_APPLESS_MAIN(TestNmf)
#include "test_Nmf.moc"
