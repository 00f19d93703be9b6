// lx::VqPairs: action pairs of lx-shapes (one factor, one step, never wrapping), their scoring, and
// action retrieval evaluated end to end on vq_shapes.pt (tests/fixtures/make_vq_fixtures.py).
#include "TestSupport.h"

#include "lx/ShapesDataset.h"
#include "lx/VqModel.h"
#include "lx/VqPairs.h"

#include <cmath>

using lxtest::fixture;

namespace {

// A tiny dataset with a factor of a single value (it can never be stepped).
class FlatFactorDataset : public lx::FactorDataset {
public:
    explicit FlatFactorDataset(std::vector<int64_t> sizes)
        : mSizes(std::move(sizes))
    {
        for (size_t k = 0; k < mSizes.size(); ++k)
            mNames.push_back("f" + std::to_string(k));
    }
    std::string name() const override { return "flat"; }
    const std::vector<std::string>& factorNames() const override { return mNames; }
    const std::vector<int64_t>& factorSizes() const override { return mSizes; }
    std::vector<int64_t> imageShape() const override { return {1, 2, 2}; }
    lx::Array images(const std::vector<int64_t>& indices) const override
    {
        return lx::Array({int64_t(indices.size()), 1, 2, 2});
    }

private:
    std::vector<std::string> mNames;
    std::vector<int64_t> mSizes;
};

} // namespace

class TestVqPairs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepsWithoutWrapping()
    {
        const lx::ShapesDataset data; // shape 3, scale 6, orientation 16, pos_x 16, pos_y 16
        const int64_t base = data.indexOf({1, 2, 15, 0, 7});
        QCOMPARE(lx::VqPairs::step(data, base, 0), data.indexOf({2, 2, 15, 0, 7})); // shape+
        QCOMPARE(lx::VqPairs::step(data, base, 1), data.indexOf({1, 3, 15, 0, 7})); // scale+
        QCOMPARE(lx::VqPairs::step(data, base, 2), int64_t(-1)); // orientation+ at 15: no wrap
        QCOMPARE(lx::VqPairs::step(data, base, 7), data.indexOf({1, 2, 14, 0, 7})); // orientation-
        QCOMPARE(lx::VqPairs::step(data, base, 8), int64_t(-1)); // pos_x- at 0
        QCOMPARE(lx::VqPairs::step(data, base, 4), base + 1); // pos_y+: last factor fastest
        QCOMPARE(lx::VqPairs::step(data, base, 9), base - 1);
        QCOMPARE(lx::VqPairs::actionName(data, 0), std::string("shape+"));
        QCOMPARE(lx::VqPairs::actionName(data, 7), std::string("orientation-"));
        QCOMPARE(lx::VqPairs::actionName(data, 9), std::string("pos_y-"));
        LX_VERIFY_ERROR(lx::VqPairs::step(data, base, 10), "lx-shapes: action 10 outside [0, 10) (2 per factor)");
        LX_VERIFY_ERROR(lx::VqPairs::step(data, -1, 0), "outside");
        LX_VERIFY_ERROR(lx::VqPairs::actionName(data, -1), "action -1 outside [0, 10)");
    }

    // Every pair differs in exactly one factor, by one step in the action's direction; no wrap-around.
    void pairsDifferInOneFactorByOneStep()
    {
        const lx::ShapesDataset data;
        const lx::VqPairSet pairs = lx::VqPairs::generate(data, 5000, 42);
        QCOMPARE(pairs.size(), int64_t(5000));
        QCOMPARE(pairs.stepped.size(), size_t(5000));
        QCOMPARE(pairs.actions.size(), size_t(5000));
        std::vector<int> perAction(10, 0);
        for (int64_t n = 0; n < pairs.size(); ++n) {
            const int a = pairs.actions[size_t(n)];
            QVERIFY(a >= 0 && a < 10);
            ++perAction[size_t(a)];
            QVERIFY(pairs.stepped[size_t(n)] >= 0 && pairs.stepped[size_t(n)] < data.size());
            const std::vector<int64_t> x = data.factorsOf(pairs.base[size_t(n)]);
            const std::vector<int64_t> y = data.factorsOf(pairs.stepped[size_t(n)]);
            int differing = 0;
            for (int64_t k = 0; k < 5; ++k) {
                if (x[size_t(k)] == y[size_t(k)])
                    continue;
                ++differing;
                QCOMPARE(k, int64_t(a % 5));
                QCOMPARE(y[size_t(k)] - x[size_t(k)], int64_t(a < 5 ? 1 : -1));
            }
            QCOMPARE(differing, 1);
        }
        // Actions are drawn uniformly: 500 expected each.
        for (int a = 0; a < 10; ++a)
            QVERIFY2(perAction[size_t(a)] > 400 && perAction[size_t(a)] < 600,
                     qPrintable(QString("action %1 drawn %2 times of 5000").arg(a).arg(perAction[size_t(a)])));
    }

    void deterministicPerSeed()
    {
        const lx::ShapesDataset data;
        const lx::VqPairSet a = lx::VqPairs::generate(data, 300, 7), b = lx::VqPairs::generate(data, 300, 7);
        QVERIFY(a.base == b.base && a.stepped == b.stepped && a.actions == b.actions);
        const lx::VqPairSet prefix = lx::VqPairs::generate(data, 100, 7);
        QVERIFY(std::equal(prefix.base.begin(), prefix.base.end(), a.base.begin()));
        const lx::VqPairSet other = lx::VqPairs::generate(data, 300, 8);
        int same = 0;
        for (size_t i = 0; i < 300; ++i)
            same += other.base[i] == a.base[i];
        QVERIFY(same < 5);
        // The stepped index is the base with the action's factor moved one step.
        const int64_t f = a.actions[0] % 5;
        std::vector<int64_t> stepped = data.factorsOf(a.base[0]);
        stepped[size_t(f)] += a.actions[0] < 5 ? 1 : -1;
        QCOMPARE(a.stepped[0], data.indexOf(stepped));
        QVERIFY(lx::VqPairs::generate(data, 0, 1).base.empty());
        LX_VERIFY_ERROR(lx::VqPairs::generate(data, -1, 1), "vq pairs: count -1 is negative");
    }

    void singleValueFactorsAreNeverStepped()
    {
        const FlatFactorDataset data({1, 3});
        const lx::VqPairSet pairs = lx::VqPairs::generate(data, 200, 3);
        for (int a : pairs.actions)
            QVERIFY(a == 1 || a == 3); // f1+ or f1-
        LX_VERIFY_ERROR(lx::VqPairs::generate(FlatFactorDataset({1, 1}), 5, 0),
                        "vq pairs: flat has no factor with two or more values to step");
    }

    void scoresKnownProbabilities()
    {
        // A = 4 (F = 2): rows predict 0, 3, 2, 1, 1 against truth 0, 1, 2, 3, 1.
        const lx::Array p({5, 4}, {0.7f, 0.1f, 0.1f, 0.1f, 0.1f, 0.2f, 0.3f, 0.4f, 0.0f, 0.0f,
                                   1.0f, 0.0f, 0.2f, 0.5f, 0.2f, 0.1f, 0.1f, 0.6f, 0.1f, 0.2f});
        const lx::VqEvaluation e = lx::VqPairs::score(p, {0, 1, 2, 3, 1}, 2);
        QCOMPARE(e.pairs, int64_t(5));
        QCOMPARE(e.actionCount, 4);
        QCOMPARE(e.factorCount, 2);
        QCOMPARE(e.actionAccuracy, 3.0 / 5.0); // pairs 0, 2, 4
        QCOMPARE(e.factorAccuracy, 5.0 / 5.0); // 3 vs 1 and 1 vs 3 share factor 1
        QCOMPARE(e.actionChance, 0.25);
        QCOMPARE(e.factorChance, 0.5);
        QVERIFY(std::fabs(e.meanTrueProbability - (0.7 + 0.2 + 1.0 + 0.1 + 0.6) / 5.0) < 1e-7);
        QCOMPARE(e.perActionPairs, (std::vector<int64_t>{1, 2, 1, 1}));
        QCOMPARE(e.perActionAccuracy[0], 1.0);
        QCOMPARE(e.perActionAccuracy[1], 0.5);
        QCOMPARE(e.perActionAccuracy[3], 0.0);
        QCOMPARE(e.confusion.shape(), (std::vector<int64_t>{4, 4}));
        QVERIFY(e.confusion == lx::Array({4, 4}, {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0}));
        const lx::VqEvaluation none = lx::VqPairs::score(lx::Array({1, 3}, {0.2f, 0.5f, 0.3f}), {2}, 0);
        QCOMPARE(none.factorAccuracy, 0.0);
        QCOMPARE(none.actionAccuracy, 0.0);
        QVERIFY(std::isnan(none.perActionAccuracy[0]));
        LX_VERIFY_ERROR(lx::VqPairs::score(p, {0, 1}, 2), "vq score: expected p [N, A] for 2 true actions, got [5, 4]");
        LX_VERIFY_ERROR(lx::VqPairs::score(p, {0, 1, 2, 4, 1}, 2), "vq score: true action 4 of pair 3 outside [0, 4)");
        LX_VERIFY_ERROR(lx::VqPairs::score(p, {0, 1, 2, 3, 1}, 3), "vq score: 4 actions are not 2F for F = 3 factors");
    }

    // evaluate = score(retrieval on the generated pairs), on the lx-shapes fixture model.
    void evaluatesOnShapes()
    {
        auto m = lx::VqModel::load(fixture("vq_shapes.pt"));
        const lx::ShapesDataset data;
        int64_t calls = 0, last = 0;
        const lx::VqEvaluation e = lx::VqPairs::evaluate(*m, data, 300, 5, [&](int64_t done, int64_t total) {
            ++calls;
            last = done;
            QCOMPARE(total, int64_t(300));
        });
        QCOMPARE(calls, int64_t(2)); // batches of 256
        QCOMPARE(last, int64_t(300));
        const lx::VqPairSet pairs = lx::VqPairs::generate(data, 300, 5);
        const lx::Array p = m->retrieval(data.images(pairs.base), data.images(pairs.stepped));
        const lx::VqEvaluation want = lx::VqPairs::score(p, pairs.actions, 5);
        QCOMPARE(e.pairs, int64_t(300));
        QCOMPARE(e.actionAccuracy, want.actionAccuracy);
        QCOMPARE(e.factorAccuracy, want.factorAccuracy);
        QVERIFY(e.confusion == want.confusion);
        double total = 0.0;
        for (float v : e.confusion.data())
            total += v;
        QCOMPARE(total, 300.0);
        QCOMPARE(e.actionChance, 0.1);
        QCOMPARE(e.factorChance, 0.2);
        QVERIFY(e.factorAccuracy >= e.actionAccuracy);

        LX_VERIFY_ERROR(lx::VqPairs::evaluate(*m, data, 0, 1),
                        "vq evaluate: the number of pairs must be at least 1, got 0");
        auto known = lx::VqModel::load(fixture("vq_known.pt"));
        LX_VERIFY_ERROR(lx::VqPairs::evaluate(*known, data, 10, 1),
                        "the model has 6 actions, lx-shapes needs 2F = 10 (one + and one - per factor)");
        auto plain = lx::VqModel::load(fixture("vq_plain.pt"));
        LX_VERIFY_ERROR(lx::VqPairs::evaluate(*plain, data, 10, 1), "the model has no transition");
    }
};

QTEST_APPLESS_MAIN(TestVqPairs)
#include "test_VqPairs.moc"
