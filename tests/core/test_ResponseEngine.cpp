#include "TestSupport.h"

#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/ResponseEngine.h"

#include <algorithm>
#include <cmath>

namespace {

// The matrices of linear_ae.pt (tests/fixtures/make_fixtures.py): decode(z) = A z, encode(x) = B x.
const double kA[4][4] = {{1.0, 0.5, 0.0, -0.25}, {0.0, 2.0, 0.0, 0.0}, {-1.0, 0.0, 1.5, 0.0}, {0.0, 0.25, 0.0, 1.0}};
const double kB[4][4] = {{0.5, 0.0, 1.0, 0.0}, {0.0, 1.0, 0.0, 0.5}, {0.25, 0.0, -1.0, 0.0}, {0.0, -0.5, 0.0, 2.0}};

float at(const lx::Array& a, int64_t row, int64_t col) { return a.ptr()[row * a.dim(1) + col]; }

// RMS over samples of values[n, i] - z[n, i]: how far the intervention moves dimension i.
double rmsShift(const lx::Array& z, const lx::Array& values, int64_t i)
{
    double sum = 0;
    for (int64_t n = 0; n < z.dim(0); ++n)
        sum += std::pow(double(at(values, n, i)) - double(at(z, n, i)), 2);
    return std::sqrt(sum / double(z.dim(0)));
}

// The definition, the slow way, through the public Model API: one dimension at a time.
lx::Array matrixByDefinition(lx::Model& m, const lx::Array& z, const lx::Array& values)
{
    const int64_t n = z.dim(0), d = z.dim(1);
    const lx::Array r0 = m.encodeMean(m.generate(z));
    lx::Array out({d, d});
    for (int64_t i = 0; i < d; ++i) {
        lx::Array zi = z;
        for (int64_t k = 0; k < n; ++k)
            zi.ptr()[k * d + i] = at(values, k, i);
        const lx::Array ri = m.encodeMean(m.generate(zi));
        for (int64_t j = 0; j < d; ++j) {
            double sum = 0;
            for (int64_t k = 0; k < n; ++k)
                sum += std::pow(double(at(ri, k, j)) - double(at(r0, k, j)), 2);
            out.ptr()[i * d + j] = float(std::sqrt(sum / double(n)));
        }
    }
    return out;
}

lx::Array latents(int64_t d, int64_t n, uint64_t first)
{
    return lx::LatentSampler({d}).sample(lx::LatentSampler::seedRange(first, n));
}

} // namespace

class TestResponseEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identityGivesTheShiftOnTheDiagonal()
    {
        // R(z) = z exactly: intervening on i moves response i by v - z_i and nothing else.
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        lx::ResponseEngine engine(*m);
        const lx::Array z = latents(4, 50, 0), v = lx::ResponseEngine::priorValues(50, 4, 7);
        QVERIFY(lxtest::maxAbsDiff(engine.response(z), z) < 1e-6f);
        const lx::Array got = engine.responseMatrix(z, v);
        QCOMPARE(got.shape(), (std::vector<int64_t>{4, 4}));
        for (int64_t i = 0; i < 4; ++i) {
            for (int64_t j = 0; j < 4; ++j) {
                const double want = i == j ? rmsShift(z, v, i) : 0.0;
                QVERIFY2(std::fabs(at(got, i, j) - want) < 1e-5,
                         qPrintable(QString("M[%1,%2] = %3, want %4").arg(i).arg(j).arg(at(got, i, j)).arg(want)));
            }
        }
    }
    void linearGivesTheTransposedProduct()
    {
        // R(z) = B A z, so R(z with z_i := v) - R(z) = (BA)[:, i] (v - z_i): M[i, j] = |(BA)[j, i]| RMS(v - z_i).
        auto m = lx::Model::load(lxtest::fixture("linear_ae.pt"));
        lx::ResponseEngine engine(*m);
        const lx::Array z = latents(4, 40, 100), v = lx::ResponseEngine::priorValues(40, 4, 11);
        const lx::Array got = engine.responseMatrix(z, v);
        for (int i = 0; i < 4; ++i) {
            for (int j = 0; j < 4; ++j) {
                double ba = 0;
                for (int k = 0; k < 4; ++k)
                    ba += kB[j][k] * kA[k][i];
                const double want = std::fabs(ba) * rmsShift(z, v, i);
                QVERIFY2(std::fabs(at(got, i, j) - want) < 1e-5 * (1 + want),
                         qPrintable(QString("M[%1,%2] = %3, want %4").arg(i).arg(j).arg(at(got, i, j)).arg(want)));
            }
        }
        // (BA)[1, 2] = B[1, :] . A[:, 2] = 0: intervening on 2 does not move response 1.
        QVERIFY(at(got, 2, 1) < 1e-6f);
    }
    void ignoredDimensionGivesZeroRowAndColumn()
    {
        auto m = lx::Model::load(lxtest::fixture("ignoring_ae.pt"));
        lx::ResponseEngine engine(*m);
        const lx::Array z = latents(4, 64, 5), v = lx::ResponseEngine::priorValues(64, 4, 2);
        const lx::Array got = engine.responseMatrix(z, v);
        for (int64_t k = 0; k < 4; ++k) {
            QVERIFY2(at(got, 2, k) < 1e-6f, qPrintable(QString("row 2: M[2,%1] = %2").arg(k).arg(at(got, 2, k))));
            QVERIFY2(at(got, k, 2) < 1e-6f, qPrintable(QString("column 2: M[%1,2] = %2").arg(k).arg(at(got, k, 2))));
        }
        for (int64_t i : {0, 1, 3})
            QVERIFY(at(got, i, i) > 1e-3f);
    }
    void matchesTheSlowLoop()
    {
        auto m = lx::Model::load(lxtest::fixture("mlp_vae.pt"));
        lx::ResponseEngine engine(*m);
        const lx::Array z = latents(20, 16, 30);
        const lx::Array v = lx::ResponseEngine::aggregatePosteriorValues(engine.response(latents(20, 24, 60)), 16, 3);
        const lx::Array got = engine.responseMatrix(z, v);
        const lx::Array want = matrixByDefinition(*m, z, v);
        QVERIFY2(lxtest::maxAbsDiff(got, want) < 1e-4f, qPrintable(QString::number(lxtest::maxAbsDiff(got, want))));
        float largest = 0;
        for (float x : got.data())
            largest = std::max(largest, x);
        QVERIFY(largest > 1e-3f); // not trivially zero
        // The response is R(z) = encode(decode(z)), posterior mean.
        QVERIFY(lxtest::maxAbsDiff(engine.response(z), m->encodeMean(m->generate(z))) < 1e-5f);
    }
    void chunkingDoesNotChangeTheResult_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qlonglong>("rows");
        QTest::newRow("mlp vae, 7 rows") << "mlp_vae.pt" << qlonglong(7);
        QTest::newRow("mlp vae, 1 row") << "mlp_vae.pt" << qlonglong(1);
        QTest::newRow("mlp vae, N rows") << "mlp_vae.pt" << qlonglong(12);
        QTest::newRow("conv vae, 19 rows") << "conv_vae.pt" << qlonglong(19);
    }
    void chunkingDoesNotChangeTheResult()
    {
        QFETCH(QString, model);
        QFETCH(qlonglong, rows);
        auto m = lx::Model::load(lxtest::fixture(model.toStdString()));
        lx::ResponseEngine engine(*m);
        const int64_t d = m->card().latentSize();
        const lx::Array z = latents(d, 12, 1), v = lx::ResponseEngine::priorValues(12, d, 9);
        engine.setChunkRows((d + 1) * 12); // one pass
        const lx::Array whole = engine.responseMatrix(z, v);
        engine.setChunkRows(rows);
        QCOMPARE(engine.effectiveChunkRows(), int64_t(rows));
        const lx::Array chunked = engine.responseMatrix(z, v);
        QVERIFY2(lxtest::maxAbsDiff(whole, chunked) < 1e-5f,
                 qPrintable(QString::number(lxtest::maxAbsDiff(whole, chunked))));
        QVERIFY(lxtest::maxAbsDiff(engine.response(z), m->encodeMean(m->generate(z))) < 1e-5f);
    }
    void automaticChunkRows()
    {
        // On the CPU: about 2^20 output values per pass, between 16 and 4096 rows.
        lx::LoadOptions cpu;
        cpu.device = lx::DeviceChoice::Cpu;
        auto tiny = lx::Model::load(lxtest::fixture("identity_ae.pt"), cpu);
        QCOMPARE(lx::ResponseEngine(*tiny).effectiveChunkRows(), int64_t(4096));
        auto mnist = lx::Model::load(lxtest::fixture("mlp_vae.pt"), cpu);
        QCOMPARE(lx::ResponseEngine(*mnist).effectiveChunkRows(), int64_t((1 << 20) / 784));
        auto large = lx::Model::load(lxtest::fixture("conv_vae64.pt"), cpu);
        lx::ResponseEngine engine(*large);
        QCOMPARE(engine.chunkRows(), int64_t(0));
        QCOMPARE(engine.effectiveChunkRows(), int64_t((1 << 20) / (3 * 64 * 64)));
        engine.setChunkRows(100);
        QCOMPARE(engine.effectiveChunkRows(), int64_t(100));
        LX_VERIFY_ERROR(engine.setChunkRows(-1), "chunk rows must be >= 0");
    }
    void progressReachesTotal()
    {
        auto m = lx::Model::load(lxtest::fixture("mlp_vae.pt"));
        lx::ResponseEngine engine(*m);
        engine.setChunkRows(50);
        const int64_t n = 10, total = 21 * n;
        std::vector<std::pair<long long, long long>> calls;
        engine.responseMatrix(latents(20, n, 0), lx::ResponseEngine::priorValues(n, 20, 1),
                              [&](long long done, long long all) { calls.emplace_back(done, all); });
        QCOMPARE(calls.front(), (std::pair<long long, long long>(0, total)));
        QCOMPARE(calls.back(), (std::pair<long long, long long>(total, total)));
        QCOMPARE(int64_t(calls.size()), int64_t(1 + (total + 49) / 50));
        for (size_t k = 1; k < calls.size(); ++k)
            QVERIFY(calls[k].first > calls[k - 1].first && calls[k].second == total);
    }
    void cancellationStopsPromptly()
    {
        auto m = lx::Model::load(lxtest::fixture("mlp_vae.pt"));
        lx::ResponseEngine engine(*m);
        engine.setChunkRows(10);
        const lx::Array z = latents(20, 10, 0), v = lx::ResponseEngine::priorValues(10, 20, 1);
        lx::CancelToken token;
        int passes = 0;
        bool cancelled = false;
        try {
            engine.responseMatrix(
                z, v,
                [&](long long done, long long) {
                    if (done > 0 && ++passes == 2)
                        token.cancel();
                },
                &token);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(passes, 2); // stopped at the next pass, not at the end (21 passes)
        // Cancelled before it starts: no pass at all.
        passes = 0;
        cancelled = false;
        try {
            engine.responseMatrix(
                z, v, [&](long long done, long long) { passes += done > 0; }, &token);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(passes, 0);
        token.reset();
        QCOMPARE(engine.responseMatrix(z, v, {}, &token).shape(), (std::vector<int64_t>{20, 20}));
    }
    void iterateFollowsThePath()
    {
        // scaled_ae.pt (tests/fixtures/make_response_fixtures.py): R(z) = 0.5 z, so R^k(z) = 0.5^k z.
        auto m = lx::Model::load(lxtest::fixture("scaled_ae.pt"));
        lx::ResponseEngine engine(*m);
        engine.setChunkRows(3);
        const lx::Array z = latents(4, 5, 20);
        const lx::Array path = engine.iterate(z, 3);
        QCOMPARE(path.shape(), (std::vector<int64_t>{4, 5, 4}));
        for (int64_t k = 0; k <= 3; ++k) {
            for (int64_t i = 0; i < 20; ++i)
                QVERIFY(std::fabs(path.ptr()[k * 20 + i] - std::pow(0.5, double(k)) * z.ptr()[i]) < 1e-6);
        }
        QCOMPARE(engine.iterate(z, 0).data(), z.data());
        // A nonlinear model: step 1 is the response, step 2 the response of the response.
        auto vae = lx::Model::load(lxtest::fixture("mlp_vae.pt"));
        lx::ResponseEngine vaeEngine(*vae);
        const lx::Array zv = latents(20, 6, 3);
        const lx::Array pv = vaeEngine.iterate(zv, 2);
        const lx::Array r1 = vaeEngine.response(zv);
        QVERIFY(lxtest::maxAbsDiff(pv.row(1), r1) < 1e-6f);
        QVERIFY(lxtest::maxAbsDiff(pv.row(2), vaeEngine.response(r1)) < 1e-6f);
        std::vector<long long> done;
        vaeEngine.iterate(zv, 3, [&](long long d, long long total) {
            QCOMPARE(total, 3LL);
            done.push_back(d);
        });
        QCOMPARE(done, (std::vector<long long>{0, 1, 2, 3}));
        lx::CancelToken token;
        token.cancel();
        bool cancelled = false;
        try {
            vaeEngine.iterate(zv, 2, {}, &token);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        LX_VERIFY_ERROR(engine.iterate(z, -1), "steps must be >= 0");
        LX_VERIFY_ERROR(engine.iterate(latents(3, 2, 0), 1), "latent_shape [4]");
    }
    void badInput()
    {
        auto gen = lx::Model::load(lxtest::fixture("tiny_gen.pt"));
        LX_VERIFY_ERROR(lx::ResponseEngine engine(*gen), "latent responses need an autoencoder");
        LX_VERIFY_ERROR(lx::ResponseEngine engine(*gen), "is a generator");

        auto m = lx::Model::load(lxtest::fixture("linear_ae.pt"));
        lx::ResponseEngine engine(*m);
        const lx::Array z = latents(4, 5, 0), v = lx::ResponseEngine::priorValues(5, 4, 1);
        LX_VERIFY_ERROR(engine.responseMatrix(latents(3, 5, 0), v), "latent_shape [4]");
        LX_VERIFY_ERROR(engine.responseMatrix(z, lx::Array({5, 3})), "values: expected shape [N, d] = [5, 4]");
        LX_VERIFY_ERROR(engine.responseMatrix(z, lx::Array({4, 4})), "got [4, 4]");
        LX_VERIFY_ERROR(engine.responseMatrix(lx::Array({0, 4}), lx::Array({0, 4})), "latents");
        lx::Array bad = z;
        bad.data()[6] = NAN;
        LX_VERIFY_ERROR(engine.responseMatrix(bad, v), "latents: contains NaN or Inf");
        bad = v;
        bad.data()[3] = INFINITY;
        LX_VERIFY_ERROR(engine.responseMatrix(z, bad), "values: contains NaN or Inf");
        LX_VERIFY_ERROR(engine.response(latents(5, 2, 0)), "latent_shape [4]");
        LX_VERIFY_ERROR(lx::ResponseEngine::aggregatePosteriorValues(lx::Array(), 3, 0), "posterior means");
        LX_VERIFY_ERROR(lx::ResponseEngine::aggregatePosteriorValues(z, 0, 0), "must be >= 1");
        LX_VERIFY_ERROR(lx::ResponseEngine::aggregatePosteriorValues(bad, 3, 0), "posterior means: contains NaN");
        LX_VERIFY_ERROR(lx::ResponseEngine::priorValues(0, 4, 0), "must be >= 1");
        LX_VERIFY_ERROR(lx::ResponseEngine::priorValues(3, 0, 0), "must be >= 1");
    }
    void aggregateValuesShuffleEachDimension()
    {
        const int64_t count = 30, d = 5;
        const lx::Array means = latents(d, count, 500);
        const lx::Array v = lx::ResponseEngine::aggregatePosteriorValues(means, count, 42);
        QCOMPARE(v.shape(), (std::vector<int64_t>{count, d}));
        QCOMPARE(lx::ResponseEngine::aggregatePosteriorValues(means, count, 42), v); // deterministic
        QVERIFY(lx::ResponseEngine::aggregatePosteriorValues(means, count, 43) != v);
        std::vector<std::vector<int64_t>> sources(size_t(d), std::vector<int64_t>(size_t(count), -1));
        for (int64_t i = 0; i < d; ++i) {
            // Column i is a permutation of the samples' dimension i (values are distinct normals).
            for (int64_t n = 0; n < count; ++n) {
                for (int64_t k = 0; k < count; ++k) {
                    if (at(v, n, i) == at(means, k, i))
                        sources[size_t(i)][size_t(n)] = k;
                }
                QVERIFY(sources[size_t(i)][size_t(n)] >= 0);
            }
            std::vector<int64_t> sorted = sources[size_t(i)];
            std::sort(sorted.begin(), sorted.end());
            for (int64_t k = 0; k < count; ++k)
                QCOMPARE(sorted[size_t(k)], k);
        }
        // Independently per dimension: the permutations differ, and they are not the identity.
        QVERIFY(sources[0] != sources[1]);
        int fixed = 0;
        for (int64_t n = 0; n < count; ++n)
            fixed += sources[0][size_t(n)] == n;
        QVERIFY(fixed < count / 2);
        // More values than samples: every value still comes from its column, each sample used twice or thrice.
        const lx::Array many = lx::ResponseEngine::aggregatePosteriorValues(means, 2 * count + 3, 7);
        for (int64_t n = 0; n < many.dim(0); ++n) {
            bool found = false;
            for (int64_t k = 0; k < count && !found; ++k)
                found = at(many, n, 3) == at(means, k, 3);
            QVERIFY(found);
        }
        // [M, *latent_shape] is accepted like [M, d].
        QCOMPARE(lx::ResponseEngine::aggregatePosteriorValues(means.reshaped({count, d, 1, 1}), count, 42), v);
    }
    void priorValuesAreStandardNormal()
    {
        const lx::Array v = lx::ResponseEngine::priorValues(4000, 3, 5);
        QCOMPARE(v.shape(), (std::vector<int64_t>{4000, 3}));
        QCOMPARE(lx::ResponseEngine::priorValues(4000, 3, 5), v);
        QVERIFY(lx::ResponseEngine::priorValues(4000, 3, 6) != v);
        double sum = 0, sq = 0;
        for (float x : v.data()) {
            sum += x;
            sq += double(x) * x;
        }
        const double mean = sum / double(v.numel()), var = sq / double(v.numel()) - mean * mean;
        QVERIFY(std::fabs(mean) < 0.05 && std::fabs(var - 1.0) < 0.06);
        // Not the latents `sample --seeds 0-...` gives: intervening with them would change nothing.
        QVERIFY(lx::ResponseEngine::priorValues(8, 3, 0) != latents(3, 8, 0));
    }
};

QTEST_APPLESS_MAIN(TestResponseEngine)
#include "test_ResponseEngine.moc"
