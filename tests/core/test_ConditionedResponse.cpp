// The conditioned response matrix and the causal disentanglement score (Leeb et al., NeurIPS 2022) on
// analytic autoencoders and a tiny hand-built factor dataset whose answers are known exactly.
#include "TestSupport.h"

#include "lx/ConditionedResponse.h"
#include "lx/FactorDataset.h"
#include "lx/Model.h"
#include "lx/ResponseEngine.h"
#include "lx/ShapesDataset.h"

#include <cmath>
#include <tuple>

namespace {

// Images [1, 2, 2] (4 pixels) in [0, 1], three factors:
//   a (2 values): pixel 0 = 0.25 + 0.5 a + 0.1 b
//   b (2 values): pixel 1 = 0.2 b   (b also moves pixel 0)
//   c (3 values): pixel 2 = 0.3 c
// pixel 3 = 0.5. Two-valued factors make the conditioned matrix exact: the "different member" of a
// traversal is always the other value, whatever the random draws.
class TinyFactors : public lx::FactorDataset {
public:
    std::string name() const override { return "tiny"; }
    const std::vector<std::string>& factorNames() const override { return mNames; }
    const std::vector<int64_t>& factorSizes() const override { return mSizes; }
    std::vector<int64_t> imageShape() const override { return {1, 2, 2}; }
    lx::Array images(const std::vector<int64_t>& indices) const override
    {
        lx::Array out({int64_t(indices.size()), 1, 2, 2});
        for (size_t n = 0; n < indices.size(); ++n) {
            const std::vector<int64_t> f = factorsOf(indices[n]);
            float* p = out.ptr() + n * 4;
            p[0] = float(0.25 + 0.5 * f[0] + 0.1 * f[1]);
            p[1] = float(0.2 * f[1]);
            p[2] = float(0.3 * f[2]);
            p[3] = 0.5f;
        }
        return out;
    }

private:
    std::vector<std::string> mNames{"a", "b", "c"};
    std::vector<int64_t> mSizes{2, 2, 3};
};

// Pixel change of each two-valued factor's traversal (a, b), before the map onto output_range.
const double kStep[2][4] = {{0.5, 0, 0, 0}, {0.1, 0.2, 0, 0}};

// linear_ae.pt: decode(z) = A z, encode(x) = B x (tests/fixtures/make_fixtures.py), output_range [-6, 6].
const double kA[4][4] = {{1.0, 0.5, 0.0, -0.25}, {0.0, 2.0, 0.0, 0.0}, {-1.0, 0.0, 1.5, 0.0}, {0.0, 0.25, 0.0, 1.0}};
const double kB[4][4] = {{0.5, 0.0, 1.0, 0.0}, {0.0, 1.0, 0.0, 0.5}, {0.25, 0.0, -1.0, 0.0}, {0.0, -0.5, 0.0, 2.0}};

float at(const lx::Array& a, int64_t row, int64_t col) { return a.ptr()[row * a.dim(1) + col]; }

QString describe(const lx::Array& c)
{
    QString s;
    for (int64_t k = 0; k < c.dim(0); ++k) {
        s += "[";
        for (int64_t j = 0; j < c.dim(1); ++j)
            s += QString::number(at(c, k, j)) + (j + 1 < c.dim(1) ? ", " : "");
        s += "] ";
    }
    return s;
}

} // namespace

class TestConditionedResponse : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scoreAnalytic()
    {
        // One-hot columns: every dimension answers one factor.
        QCOMPARE(lx::causalDisentanglementScore(lx::Array({3, 4}, {2, 0, 0, 0, 0, 1, 0, 5, 0, 0, 3, 0})), 1.0);
        // Uniform C: 1/F.
        QVERIFY(std::fabs(lx::causalDisentanglementScore(lx::Array({4, 3}, std::vector<float>(12, 0.7f))) - 0.25)
                < 1e-12);
        // A column split evenly over two factors, another one-hot: (1 + 2) / (2 + 2) = 0.75.
        QVERIFY(std::fabs(lx::causalDisentanglementScore(lx::Array({2, 2}, {1, 2, 1, 0})) - 0.75) < 1e-12);
        // Zero columns (collapsed dimensions) do not count; all zero gives 0.
        QCOMPARE(lx::causalDisentanglementScore(lx::Array({2, 3}, {0, 4, 0, 0, 0, 0})), 1.0);
        QCOMPARE(lx::causalDisentanglementScore(lx::Array({2, 3})), 0.0);
        LX_VERIFY_ERROR(lx::causalDisentanglementScore(lx::Array({6})), "expected a conditioned matrix [F, d]");
        LX_VERIFY_ERROR(lx::causalDisentanglementScore(lx::Array({0, 3})), "expected a conditioned matrix");
        LX_VERIFY_ERROR(lx::causalDisentanglementScore(lx::Array({1, 2}, {1, -1})), "entries must be >= 0");
        LX_VERIFY_ERROR(lx::causalDisentanglementScore(lx::Array({1, 2}, {1, NAN})), "contains NaN");
    }
    void identityGivesTheFactorSteps()
    {
        // R(z) = z and z = the image (mapped from [0, 1] onto output_range [-3, 3]: x -> 6 x - 3), so
        // setting z_j to another member's value moves response j by the factor's step on pixel j.
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        const TinyFactors data;
        lx::ConditionedOptions options;
        options.traversals = 5;
        options.batch = 7;
        const lx::ConditionedResult r = lx::conditionedResponseMatrix(engine, *m, data, options);
        QCOMPARE(r.matrix.shape(), (std::vector<int64_t>{3, 4}));
        QCOMPARE(r.factorNames, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(r.dataset, std::string("tiny"));
        const double want[2][4] = {{3.0, 0, 0, 0}, {0.6, 1.2, 0, 0}};
        for (int k = 0; k < 2; ++k) {
            for (int j = 0; j < 4; ++j)
                QVERIFY2(std::fabs(at(r.matrix, k, j) - want[k][j]) < 1e-5, qPrintable(describe(r.matrix)));
        }
        // Factor c (3 values, 0.3 apart, times 6): every value difference is 1.8 or 3.6.
        QVERIFY2(at(r.matrix, 2, 2) >= 1.8f - 1e-5f && at(r.matrix, 2, 2) <= 3.6f + 1e-5f,
                 qPrintable(describe(r.matrix)));
        for (int j : {0, 1, 3})
            QCOMPARE(at(r.matrix, 2, j), 0.0f);
        // CDS = (3 + 1.2 + C[c, 2]) / (3 + 0.6 + 1.2 + C[c, 2]).
        const double c2 = at(r.matrix, 2, 2);
        QVERIFY(std::fabs(r.cds - (4.2 + c2) / (4.8 + c2)) < 1e-6);
        QCOMPARE(r.cds, lx::causalDisentanglementScore(r.matrix));
    }
    void linearMixesAsPredicted()
    {
        // R(z) = B A z, z = B x with x mapped onto [-6, 6] (x -> 12 x - 6). A traversal step dx of the
        // image moves the posterior mean by B dx; setting z_j alone to the other member's value moves
        // response j by (BA)[j, j] (B dx)_j. So C[k, j] = |(BA)[j, j]| |(B 12 dx_k)_j|, exactly.
        auto m = lx::Model::load(lxtest::fixture("linear_ae.pt"));
        lx::ResponseEngine engine(*m);
        const TinyFactors data;
        lx::ConditionedOptions options;
        options.traversals = 3;
        options.batch = 5;
        options.seed = 11;
        const lx::ConditionedResult r = lx::conditionedResponseMatrix(engine, *m, data, options);
        for (int k = 0; k < 2; ++k) {
            for (int j = 0; j < 4; ++j) {
                double ba = 0, bdx = 0;
                for (int i = 0; i < 4; ++i) {
                    ba += kB[j][i] * kA[i][j];
                    bdx += kB[j][i] * 12 * kStep[k][i];
                }
                const double want = std::fabs(ba) * std::fabs(bdx);
                QVERIFY2(
                    std::fabs(at(r.matrix, k, j) - want) < 1e-4 * (1 + want),
                    qPrintable(QString("C[%1, %2] = %3, want %4").arg(k).arg(j).arg(at(r.matrix, k, j)).arg(want)));
            }
        }
        // Factor a moves pixel 0 only: B[1, 0] = B[3, 0] = 0, so dimensions 1 and 3 do not respond to it.
        QCOMPARE(at(r.matrix, 0, 1), 0.0f);
        QCOMPARE(at(r.matrix, 0, 3), 0.0f);
    }
    void deterministicForASeed()
    {
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        const TinyFactors data;
        lx::ConditionedOptions options;
        options.traversals = 4;
        options.batch = 2; // fewer than the 3 members of c: the first 2 of a permutation
        const lx::Array first = lx::conditionedResponseMatrix(engine, *m, data, options).matrix;
        QCOMPARE(lx::conditionedResponseMatrix(engine, *m, data, options).matrix, first);
        // Factor c's entry depends on the draws: some seed gives another value (1.8 / 3.6 mixtures).
        bool differs = false;
        for (uint64_t seed = 1; seed < 10 && !differs; ++seed) {
            options.seed = seed;
            differs = at(lx::conditionedResponseMatrix(engine, *m, data, options).matrix, 2, 2) != at(first, 2, 2);
        }
        QVERIFY(differs);
    }
    // Slices of the (factor, traversal) items replay the draws of the items before them: N shards' sums,
    // merged, finish to the whole job's matrix (factor c's entries depend on the draws).
    void slicesAddUpToTheMatrix()
    {
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        const TinyFactors data;
        lx::ConditionedOptions options;
        options.traversals = 4;
        options.batch = 2;
        options.seed = 5;
        const lx::Array whole = lx::conditionedResponseMatrix(engine, *m, data, options).matrix;
        const int64_t items = lx::conditionedItemCount(data, options);
        QCOMPARE(items, int64_t(12));
        for (int64_t n : {1, 2, 3, 5, 13}) {
            std::vector<std::pair<std::string, lx::PartialResult>> parts;
            for (int64_t k = 0; k < n; ++k) {
                lx::PartialResult p;
                p.shard = lx::Shard{k, n};
                p.total = items;
                std::tie(p.begin, p.end) = p.shard.slice(items);
                p.finish = lx::PartialSum::Finish::RowMean;
                p.data = lx::conditionedResponseSums(engine, *m, data, options, p.begin, p.end);
                QCOMPARE(p.data.count, p.end - p.begin);
                parts.emplace_back("part" + std::to_string(k), p);
            }
            const lx::PartialResult merged = lx::PartialResult::merge(parts);
            QVERIFY2(merged.data.finished(merged.finish) == whole, qPrintable(QString("N = %1").arg(n)));
        }
        LX_VERIFY_ERROR(lx::conditionedResponseSums(engine, *m, data, options, 5, 13), "not within the 12");
    }
    void progressAndCancel()
    {
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        const TinyFactors data;
        lx::ConditionedOptions options;
        options.traversals = 4;
        std::vector<std::pair<long long, long long>> calls;
        lx::conditionedResponseMatrix(engine, *m, data, options,
                                      [&](long long done, long long total) { calls.emplace_back(done, total); });
        QCOMPARE(int(calls.size()), 13); // 0, then one per traversal (3 factors x 4)
        QCOMPARE(calls.front(), (std::pair<long long, long long>(0, 12)));
        QCOMPARE(calls.back(), (std::pair<long long, long long>(12, 12)));
        lx::CancelToken token;
        int seen = 0;
        bool cancelled = false;
        try {
            lx::conditionedResponseMatrix(
                engine, *m, data, options,
                [&](long long done, long long) {
                    if (done == 5)
                        token.cancel();
                    seen = int(done);
                },
                &token);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(seen, 5);
    }
    void cardNamesTheDataset()
    {
        // The optional card key `dataset` (models/CONTRACT.md): the default dataset of `conditioned`.
        const std::string head = R"({"kind": "autoencoder", "latent_shape": [3], "output_range": [0, 1])";
        const lx::Card card = lx::Card::fromJson(head + R"(, "dataset": "lx-shapes"})");
        QCOMPARE(card.dataset, std::string("lx-shapes"));
        QCOMPARE(lx::Card::fromJson(card.toJson()).dataset, std::string("lx-shapes"));
        QCOMPARE(lx::Card::fromJson(head + "}").dataset, std::string());
        LX_VERIFY_ERROR(lx::Card::fromJson(head + R"(, "dataset": 3})"), "card: 'dataset' must be a string");
        QCOMPARE(lx::makeFactorDataset(card.dataset)->factorNames(), lx::ShapesDataset().factorNames());
    }
    void badInput()
    {
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        const TinyFactors data;
        lx::ConditionedOptions options;
        options.traversals = 0;
        LX_VERIFY_ERROR(lx::conditionedResponseMatrix(engine, *m, data, options), "traversals must be >= 1");
        options.traversals = 1;
        options.batch = 0;
        LX_VERIFY_ERROR(lx::conditionedResponseMatrix(engine, *m, data, options), "batch must be >= 1");
        // identity_ae's images are [1, 2, 2]; lx-shapes has [1, 64, 64].
        LX_VERIFY_ERROR(lx::conditionedResponseMatrix(engine, *m, lx::ShapesDataset()),
                        "the model's images are [1, 2, 2] but lx-shapes has [1, 64, 64]");
    }
};

QTEST_APPLESS_MAIN(TestConditionedResponse)
#include "test_ConditionedResponse.moc"
