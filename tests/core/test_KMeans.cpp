// lx::KMeans on clusters far apart: the partition is the true one (up to the order of the labels), the
// centroids are the group means and the inertia the groups' summed squared deviations, both computed here.
#include "TestSupport.h"

#include "lx/KMeans.h"
#include "lx/SplitMix64.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

class TestKMeans : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void separatedClusters()
    {
        // Three groups of 8, 5 and 11 points in 3-D around (0, 0, 0), (20, 0, 0), (0, 20, 5), jitter < 1,
        // interleaved in the data.
        const std::vector<std::vector<double>> centres{{0, 0, 0}, {20, 0, 0}, {0, 20, 5}};
        const std::vector<int> sizes{8, 5, 11};
        lx::SplitMix64 rng(3);
        std::vector<int> truth;
        std::vector<float> data;
        for (int i = 0; truth.size() < 24; ++i) {
            const int g = i % 3;
            if (std::count(truth.begin(), truth.end(), g) >= sizes[size_t(g)])
                continue;
            truth.push_back(g);
            for (int d = 0; d < 3; ++d)
                data.push_back(float(centres[size_t(g)][size_t(d)] + (rng.uniform() - 0.5)));
        }
        const lx::Array x({24, 3}, data);
        const lx::KMeansResult r = lx::KMeans::cluster(x, 3, 11);
        QCOMPARE(int(r.assignment.size()), 24);
        // Same partition: each true group maps to one label, and different groups to different labels.
        std::map<int, int> labelOf;
        for (size_t i = 0; i < truth.size(); ++i) {
            const auto [it, inserted] = labelOf.emplace(truth[i], r.assignment[i]);
            QCOMPARE(r.assignment[i], it->second);
        }
        QCOMPARE(labelOf.size(), size_t(3));
        QVERIFY(labelOf[0] != labelOf[1] && labelOf[1] != labelOf[2] && labelOf[0] != labelOf[2]);
        // Centroids are the group means; the inertia their squared deviations.
        double inertia = 0.0;
        for (int g = 0; g < 3; ++g) {
            std::vector<double> mean(3, 0.0);
            for (size_t i = 0; i < truth.size(); ++i)
                if (truth[i] == g)
                    for (int d = 0; d < 3; ++d)
                        mean[size_t(d)] += data[i * 3 + size_t(d)] / sizes[size_t(g)];
            for (int d = 0; d < 3; ++d)
                QVERIFY(std::abs(r.centroids.ptr()[labelOf[g] * 3 + d] - mean[size_t(d)]) < 1e-4);
            for (size_t i = 0; i < truth.size(); ++i)
                if (truth[i] == g)
                    for (int d = 0; d < 3; ++d)
                        inertia += std::pow(data[i * 3 + size_t(d)] - mean[size_t(d)], 2);
        }
        QVERIFY2(std::abs(r.inertia - inertia) < 1e-3 * inertia,
                 qPrintable(QString("%1 vs %2").arg(r.inertia).arg(inertia)));
        // The same seed gives the same result.
        QCOMPARE(lx::KMeans::cluster(x, 3, 11).assignment, r.assignment);
    }

    void oneClusterPerPoint()
    {
        const lx::Array x({3, 2}, {0, 0, 5, 5, -3, 7});
        const lx::KMeansResult r = lx::KMeans::cluster(x, 3, 1);
        QCOMPARE(r.inertia, 0.0);
        QVERIFY(r.assignment[0] != r.assignment[1] && r.assignment[1] != r.assignment[2]
                && r.assignment[0] != r.assignment[2]);
    }

    void badInput()
    {
        const lx::Array x({3, 2}, {0, 0, 5, 5, -3, 7});
        LX_VERIFY_ERROR(lx::KMeans::cluster(x, 4, 1), "k-means k = 4 must be between 1 and the number of rows 3");
        LX_VERIFY_ERROR(lx::KMeans::cluster(x, 0, 1), "k-means k = 0 must be between 1");
        lx::Array nan = x;
        nan.ptr()[3] = NAN;
        LX_VERIFY_ERROR(lx::KMeans::cluster(nan, 2, 1), "NaN");
    }
};

QTEST_APPLESS_MAIN(TestKMeans)
#include "test_KMeans.moc"
