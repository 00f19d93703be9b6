// lx::LinearAssignment (the Hungarian method) against brute force over every permutation, on a matrix
// where the greedy choice is wrong and on random matrices.
#include "TestSupport.h"

#include "lx/LinearAssignment.h"
#include "lx/SplitMix64.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace {

double total(const std::vector<double>& score, int n, const std::vector<int>& match)
{
    double t = 0.0;
    for (int r = 0; r < n; ++r)
        t += score[size_t(r * n + match[size_t(r)])];
    return t;
}

// The best total over all n! permutations.
double bruteForce(const std::vector<double>& score, int n)
{
    std::vector<int> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), 0);
    double best = -1e300;
    do {
        best = std::max(best, total(score, n, p));
    } while (std::next_permutation(p.begin(), p.end()));
    return best;
}

bool isPermutation(std::vector<int> match, int n)
{
    std::sort(match.begin(), match.end());
    for (int i = 0; i < n; ++i)
        if (match[size_t(i)] != i)
            return false;
    return int(match.size()) == n;
}

} // namespace

class TestLinearAssignment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void greedyIsWrongHere()
    {
        // Greedy takes (0, 0) = 10 and ends at 10 + 1 + 4 + 4 = 19; the unique optimum is rows 0->1, 1->0,
        // 2->3, 3->2: 9 + 9 + 4 + 4 = 26 (2->2, 3->3 gives only 9 + 9 + 5 + 1 = 24).
        const std::vector<double> score{10, 9, 1, 1, //
                                        9,  1, 1, 1, //
                                        1,  1, 5, 4, //
                                        1,  1, 4, 1};
        const std::vector<int> match = lx::LinearAssignment::maximize(score, 4);
        QVERIFY(isPermutation(match, 4));
        QCOMPARE(total(score, 4, match), bruteForce(score, 4));
        QCOMPARE(match, (std::vector<int>{1, 0, 3, 2}));
        QCOMPARE(total(score, 4, match), 26.0);
    }

    void randomMatricesReachTheOptimum()
    {
        lx::SplitMix64 rng(7);
        for (int n : {1, 2, 3, 5, 7}) {
            for (int trial = 0; trial < 20; ++trial) {
                std::vector<double> score(size_t(n * n));
                for (double& v : score)
                    v = double(rng.next() % 1000) / 10.0 - 50.0; // negative scores too
                const std::vector<int> match = lx::LinearAssignment::maximize(score, n);
                QVERIFY(isPermutation(match, n));
                QVERIFY2(std::abs(total(score, n, match) - bruteForce(score, n)) < 1e-9,
                         qPrintable(QString("n = %1, trial %2").arg(n).arg(trial)));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestLinearAssignment)
#include "test_LinearAssignment.moc"
