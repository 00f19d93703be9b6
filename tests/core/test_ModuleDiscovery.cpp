// lx::ModuleDiscovery against answers known without it: the maps of the identity autoencoder
// (identity_ae.pt, decode(z) = z shown as 1 x 2 x 2) are worked out from the seeded latents by hand;
// preprocessing of a delta and of a row with a known quantile; NMF and k-means of a matrix made of two
// disjoint templates, where the factorisation is exact and the clusters, centroids and inertia follow
// by arithmetic.
#include "TestSupport.h"

#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/ModuleDiscovery.h"

#include <cmath>
#include <vector>

namespace {

// Channels 0, 1 are multiples of [1, 1, 0, 0]; channels 2, 3 of [0, 0, 1, 1].
lx::Array twoTemplates() { return lx::Array({4, 4}, {1, 1, 0, 0, 2, 2, 0, 0, 0, 0, 1, 1, 0, 0, 3, 3}); }

bool cancelledBy(const std::function<void()>& f)
{
    try {
        f();
    } catch (const lx::Cancelled&) {
        return true;
    }
    return false;
}

} // namespace

class TestModuleDiscovery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void seedPairMapsOfTheIdentityDecoder()
    {
        // decode(z) = z: swapping latent c moves output pixel c by |z2[c] - z1[c]| and nothing else, so the
        // map of channel c is that difference averaged over the pairs (seed first + i, seed first + N + i).
        auto model = lx::Model::load(lxtest::fixture("identity_ae.pt"), {lx::DeviceChoice::Cpu, 1});
        const uint64_t first = 40;
        const int64_t pairs = 3;
        const lx::Array z = lx::LatentSampler({4}).sample(lx::LatentSampler::seedRange(first, 2 * pairs));
        long long lastDone = 0, lastTotal = -1;
        const lx::Array maps =
            lx::ModuleDiscovery::seedPairMaps(*model, 0, first, pairs, [&](long long done, long long total) {
                lastDone = done;
                lastTotal = total;
            });
        QCOMPARE(maps.dim(0), int64_t(4)); // one map per latent channel, over the 2 x 2 output
        QCOMPARE(maps.numel(), int64_t(16));
        for (int64_t c = 0; c < 4; ++c) {
            double mean = 0.0;
            for (int64_t i = 0; i < pairs; ++i)
                mean += std::fabs(double(z.ptr()[(pairs + i) * 4 + c]) - double(z.ptr()[i * 4 + c])) / double(pairs);
            for (int64_t p = 0; p < 4; ++p)
                QVERIFY2(std::fabs(maps.ptr()[c * 4 + p] - (p == c ? mean : 0.0)) < 1e-5,
                         qPrintable(QStringLiteral("channel %1, pixel %2").arg(c).arg(p)));
        }
        QVERIFY(lastTotal > 0);
        QCOMPARE(lastDone, lastTotal);
    }

    void preprocessSmoothsImageMapsOnly()
    {
        // A delta in the middle of a 7 x 7 map, sigma 1 (radius 3): the middle keeps g0^2, g0 = 1 / sum exp(-i^2 / 2).
        lx::Array image({1, 7, 7});
        image.ptr()[3 * 7 + 3] = 1.0f;
        double total = 0.0;
        for (int i = -3; i <= 3; ++i)
            total += std::exp(-0.5 * i * i);
        const lx::Array smoothed = lx::ModuleDiscovery::preprocess(image, 1.0, 0.0);
        QVERIFY(std::fabs(smoothed.ptr()[3 * 7 + 3] - 1.0 / (total * total)) < 1e-6);
        QCOMPARE(lx::ModuleDiscovery::appliedSigma(image, 1.0), 1.0);

        // Flat maps [C, F] are not smoothed; the threshold still zeroes what lies below each row's median
        // (numpy's linear quantile of 1, 2, 3, 4 at 0.5 is 2.5).
        const lx::Array flat({2, 4}, {1, 2, 3, 4, 4, 3, 2, 1});
        QVERIFY(lx::ModuleDiscovery::preprocess(flat, 2.0, 0.0) == flat);
        QCOMPARE(lx::ModuleDiscovery::appliedSigma(flat, 2.0), 0.0);
        const lx::Array cut = lx::ModuleDiscovery::preprocess(flat, 2.0, 0.5);
        QCOMPARE(cut.data(), (std::vector<float>{0, 0, 3, 4, 4, 3, 0, 0}));

        LX_VERIFY_ERROR(lx::ModuleDiscovery::preprocess(flat, -1.0, 0.0), "smoothing sigma must be >= 0");
        LX_VERIFY_ERROR(lx::ModuleDiscovery::preprocess(image, std::nan(""), 0.0), "smoothing sigma must be >= 0");
    }

    void nmfOfTwoDisjointTemplatesIsExact()
    {
        lx::ModuleDiscoveryOptions options;
        options.k = 2;
        const lx::ModuleDiscoveryResult r = lx::ModuleDiscovery::factorize(twoTemplates(), options);
        QCOMPARE(int(r.assignment.size()), 4);
        QCOMPARE(r.assignment[0], r.assignment[1]);
        QCOMPARE(r.assignment[2], r.assignment[3]);
        QVERIFY(r.assignment[0] != r.assignment[2]);
        QCOMPARE(r.w.shape(), (std::vector<int64_t>{4, 2}));
        QCOMPARE(r.h.shape(), (std::vector<int64_t>{2, 4}));
        QVERIFY2(r.relativeError < 1e-4, qPrintable(QString::number(r.relativeError)));
        // ||S||_F = sqrt(2 * (1 + 4 + 1 + 9)) = sqrt(30); the error is relative to it.
        QVERIFY(std::fabs(r.error - r.relativeError * std::sqrt(30.0)) < 1e-6);
        QVERIFY(r.iterations >= 1);
    }

    void kmeansOfTwoDisjointTemplates()
    {
        lx::ModuleDiscoveryOptions options;
        options.method = lx::ModuleMethod::KMeans;
        options.k = 2;
        options.seed = 7;
        const lx::ModuleDiscoveryResult r = lx::ModuleDiscovery::factorize(twoTemplates(), options);
        QCOMPARE(r.assignment[0], r.assignment[1]);
        QCOMPARE(r.assignment[2], r.assignment[3]);
        QVERIFY(r.assignment[0] != r.assignment[2]);
        // Centroids [1.5, 1.5, 0, 0] and [0, 0, 2, 2]; inertia 0.5 + 0.5 + 2 + 2 = 5.
        const int a = r.assignment[0], b = r.assignment[2];
        QCOMPARE(std::vector<float>(r.h.ptr() + a * 4, r.h.ptr() + a * 4 + 4), (std::vector<float>{1.5f, 1.5f, 0, 0}));
        QCOMPARE(std::vector<float>(r.h.ptr() + b * 4, r.h.ptr() + b * 4 + 4), (std::vector<float>{0, 0, 2, 2}));
        QVERIFY(std::fabs(r.error - 5.0) < 1e-9);
        QCOMPARE(r.relativeError, 0.0);
        // W is the one-hot membership.
        QCOMPARE(r.w.shape(), (std::vector<int64_t>{4, 2}));
        for (int c = 0; c < 4; ++c)
            for (int m = 0; m < 2; ++m)
                QCOMPARE(r.w.ptr()[c * 2 + m], m == r.assignment[size_t(c)] ? 1.0f : 0.0f);
    }

    void cancelledBeforeFactorising()
    {
        lx::CancelToken cancel;
        cancel.cancel();
        for (const lx::ModuleMethod method : {lx::ModuleMethod::Nmf, lx::ModuleMethod::KMeans}) {
            lx::ModuleDiscoveryOptions options;
            options.method = method;
            options.k = 2;
            QVERIFY(cancelledBy([&] { lx::ModuleDiscovery::factorize(twoTemplates(), options, &cancel); }));
        }
    }
};

QTEST_GUILESS_MAIN(TestModuleDiscovery)
#include "test_ModuleDiscovery.moc"
