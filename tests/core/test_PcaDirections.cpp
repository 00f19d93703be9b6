// lx::PcaDirections: PCA on data with known principal axes, and GANSpace directions through an identity
// decoder, where the regression must give back the components themselves.
#include "TestSupport.h"

#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/PcaDirections.h"

#include <cmath>

namespace {

// Householder reflection of e_axis in D = 5 by w = (1, 2, 3, 4, 5): an orthonormal basis off the axes.
std::vector<double> rotatedAxis(int axis)
{
    const double w[5] = {1, 2, 3, 4, 5};
    const double ww = 55.0;
    std::vector<double> v(5);
    for (int j = 0; j < 5; ++j)
        v[size_t(j)] = (j == axis ? 1.0 : 0.0) - 2.0 * w[j] * w[axis] / ww;
    return v;
}

double dot(const float* a, const std::vector<double>& b)
{
    double s = 0.0;
    for (size_t j = 0; j < b.size(); ++j)
        s += double(a[j]) * b[j];
    return s;
}

} // namespace

class TestPcaDirections : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void knownAxes()
    {
        // Rows m +- 3 a1, m +- 2 a2, m +- a3 (a_k orthonormal): covariance eigenvalues exactly 3, 4/3, 1/3.
        const double offset[5] = {10, -1, 0.5, 2, 7};
        std::vector<float> rows;
        const double scale[3] = {3.0, 2.0, 1.0};
        for (int axis = 0; axis < 3; ++axis) {
            const std::vector<double> a = rotatedAxis(axis);
            for (double sign : {1.0, -1.0})
                for (int j = 0; j < 5; ++j)
                    rows.push_back(static_cast<float>(offset[j] + sign * scale[axis] * a[size_t(j)]));
        }
        const lx::PcaResult p = lx::PcaDirections::pca(lx::Array({6, 5}, rows), 3);
        const double expected[3] = {3.0, 4.0 / 3.0, 1.0 / 3.0};
        for (int c = 0; c < 3; ++c) {
            QVERIFY2(std::abs(p.variance[size_t(c)] - expected[c]) < 1e-5,
                     std::to_string(p.variance[size_t(c)]).c_str());
            QVERIFY(std::abs(std::abs(dot(p.components.ptr() + c * 5, rotatedAxis(c))) - 1.0) < 1e-6);
        }
        QVERIFY(std::abs(p.totalVariance - 14.0 / 3.0) < 1e-5);
        for (int j = 0; j < 5; ++j)
            QVERIFY(std::abs(p.mean.ptr()[j] - offset[j]) < 1e-5);
    }

    void randomDataProperties()
    {
        const lx::Array x = lx::LatentSampler({40}).sample(lx::LatentSampler::seedRange(0, 300)).reshaped({300, 40});
        const lx::PcaResult p = lx::PcaDirections::pca(x, 6);
        for (int a = 0; a < 6; ++a) {
            for (int b = 0; b < 6; ++b) {
                double s = 0.0;
                for (int j = 0; j < 40; ++j)
                    s += double(p.components.ptr()[a * 40 + j]) * double(p.components.ptr()[b * 40 + j]);
                QVERIFY(std::abs(s - (a == b ? 1.0 : 0.0)) < 1e-5);
            }
            if (a > 0)
                QVERIFY(p.variance[size_t(a)] <= p.variance[size_t(a - 1)] + 1e-9);
        }
        // The same run twice: the same components (fixed start, sign rule).
        QVERIFY(lx::PcaDirections::pca(x, 6).components == p.components);
        LX_VERIFY_ERROR(lx::PcaDirections::pca(x, 0), "components must be between 1 and 40");
        LX_VERIFY_ERROR(lx::PcaDirections::pca(lx::Array({1, 3}), 1), "at least 2 samples");
    }

    void identityDecoderGivesTheComponents()
    {
        // The layer is z itself: the latent direction of component k is component k, and a step of s sigma
        // moves the layer's coordinate k by exactly s sigma_k.
        auto m = lx::Model::load(lxtest::fixture("identity_ae.pt"));
        long long done = 0;
        const lx::PcaDirectionsResult r =
            lx::PcaDirections::compute(*m, 0, 500, 3, 0, [&](long long d, long long) { done = d; });
        QCOMPARE(done, 500LL);
        const lx::Array z = lx::LatentSampler(m->card().latentShape).sample(lx::LatentSampler::seedRange(0, 500));
        const lx::PcaResult p = lx::PcaDirections::pca(z.reshaped({500, 4}), 3);
        for (int c = 0; c < 3; ++c) {
            QVERIFY(std::abs(r.sigma[size_t(c)] - std::sqrt(p.variance[size_t(c)])) < 1e-9);
            for (int j = 0; j < 4; ++j)
                QVERIFY(std::abs(r.latentDirections.ptr()[c * 4 + j] - p.components.ptr()[c * 4 + j]) < 1e-4);
        }
        QVERIFY(r.explained[0] > r.explained[1] && r.explained[0] < 1.0);
        const lx::Array z0 = lx::LatentSampler(m->card().latentShape).sample({7});
        const lx::Array moved = lx::PcaDirections::apply(z0, r, {2.0, 0.0, -1.0});
        double along0 = 0.0, along2 = 0.0;
        for (int j = 0; j < 4; ++j) {
            along0 += double(moved.ptr()[j] - z0.ptr()[j]) * p.components.ptr()[j];
            along2 += double(moved.ptr()[j] - z0.ptr()[j]) * p.components.ptr()[8 + j];
        }
        QVERIFY(std::abs(along0 - 2.0 * r.sigma[0]) < 1e-4);
        QVERIFY(std::abs(along2 + r.sigma[2]) < 1e-4);
        QVERIFY(lx::PcaDirections::apply(z0, r, {}) == z0);
        lx::CancelToken cancel;
        cancel.cancel();
        QVERIFY_THROWS_EXCEPTION(lx::Cancelled, lx::PcaDirections::compute(*m, 0, 500, 3, 0, {}, &cancel));
        LX_VERIFY_ERROR(lx::PcaDirections::compute(*m, 3, 500, 3), "no layer 3");
    }
};

QTEST_APPLESS_MAIN(TestPcaDirections)
#include "test_PcaDirections.moc"
