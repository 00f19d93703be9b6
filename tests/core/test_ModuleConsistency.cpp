#include "TestSupport.h"

#include "lx/InfluenceEngine.h"
#include "lx/LatentSampler.h"
#include "lx/LinearAssignment.h"
#include "lx/Model.h"
#include "lx/ModuleConsistency.h"

#include <cmath>

class TestModuleConsistency : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hungarianFindsTheOptimum()
    {
        // Greedy would take (0,0)=9 and then be forced to (1,1)=1: total 10. The optimum is 8 + 8 = 16.
        const std::vector<double> score{9, 8, 8, 1};
        QCOMPARE(lx::LinearAssignment::maximize(score, 2), (std::vector<int>{1, 0}));
        const std::vector<double> perm{0, 0, 5, 5, 0, 0, 0, 5, 0};
        QCOMPARE(lx::LinearAssignment::maximize(perm, 3), (std::vector<int>{2, 0, 1}));
        LX_VERIFY_ERROR(lx::LinearAssignment::maximize({1, 2, 3}, 2), "must be n x n");
    }
    void matchedCosine()
    {
        const lx::Array a({2, 3}, {1, 0, 0, 0, 1, 1});
        const lx::Array permutedScaled({2, 3}, {0, 2, 2, 3, 0, 0});
        QVERIFY(std::fabs(lx::ModuleConsistency::matchedCosine(a, permutedScaled) - 1.0) < 1e-12);
        const lx::Array other({2, 3},
                              {0, 1, 0, 1, 0, 0}); // cos with a's rows: (1,0) -> 1, (0,1,0) vs (0,1,1) -> 1/sqrt2
        QVERIFY(std::fabs(lx::ModuleConsistency::matchedCosine(a, other) - (1.0 + 1.0 / std::sqrt(2.0)) / 2.0) < 1e-9);
        LX_VERIFY_ERROR(lx::ModuleConsistency::matchedCosine(a, lx::Array({3, 2})), "must both be [K, P]");
    }
    void quadrantModulesAreConsistentAtTheTrueK()
    {
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        const lx::LatentSampler sampler({8});
        const int layer = m->requireLayer("main.1");
        const lx::Array a =
            lx::InfluenceEngine::elementaryMaps(*m, layer, sampler.sample(lx::LatentSampler::seedRange(0, 64)));
        const lx::Array b =
            lx::InfluenceEngine::elementaryMaps(*m, layer, sampler.sample(lx::LatentSampler::seedRange(64, 64)));
        const auto curve = lx::ModuleConsistency::curve(a, b, 2, 4, 0);
        QCOMPARE(curve.size(), size_t(3));
        QCOMPARE(curve.back().k, 4);
        // At K = 4 the templates are the four quadrants in both sets.
        QVERIFY2(curve.back().nmf > 0.999, qPrintable(QString::number(curve.back().nmf)));
        QVERIFY2(curve.back().kmeans > 0.999, qPrintable(QString::number(curve.back().kmeans)));
        QVERIFY(curve.back().nmfRelativeError < 0.05);
        LX_VERIFY_ERROR(lx::ModuleConsistency::curve(a, b, 3, 2, 0), "need 1 <= kmin <= kmax");
    }
};

QTEST_APPLESS_MAIN(TestModuleConsistency)
#include "test_ModuleConsistency.moc"
