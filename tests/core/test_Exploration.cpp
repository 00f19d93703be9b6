// lx::Exploration: interpolation paths in closed form, and the workbench transform of a batch against
// its definitions (plain images, channels from the donor, an edit applied by hand).
#include "TestSupport.h"

#include "lx/Exploration.h"
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"

#include <cmath>
#include <numeric>

namespace {

double norm(const lx::Array& a)
{
    double s = 0.0;
    for (float v : a.data())
        s += double(v) * double(v);
    return std::sqrt(s);
}

double dot(const lx::Array& a, const lx::Array& b)
{
    double s = 0.0;
    for (int64_t i = 0; i < a.numel(); ++i)
        s += double(a.ptr()[i]) * double(b.ptr()[i]);
    return s;
}

} // namespace

class TestExploration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linearPath()
    {
        const lx::Array z1({1, 3}, {0.f, 2.f, -4.f}), z2({1, 3}, {4.f, 2.f, 0.f});
        const lx::Array path = lx::Exploration::interpolate(z1, z2, 5, lx::Interpolation::Linear);
        QCOMPARE(path.shape(), (std::vector<int64_t>{5, 3}));
        QVERIFY(path.row(0) == z1.row(0));
        QVERIFY(path.row(4) == z2.row(0));
        // t = 1/4: (1, 2, -3); t = 1/2: the mean (2, 2, -2).
        QCOMPARE(path.row(1).data(), (std::vector<float>{1.f, 2.f, -3.f}));
        QCOMPARE(path.row(2).data(), (std::vector<float>{2.f, 2.f, -2.f}));
        QCOMPARE(lx::Exploration::at(z1, z2, 0.75, lx::Interpolation::Linear).data(),
                 (std::vector<float>{3.f, 2.f, -1.f}));
    }

    void sphericalPath()
    {
        // Orthogonal latents of norm 2: the path stays on the circle of radius 2, at angle t * pi/2.
        const lx::Array z1({2}, {2.f, 0.f}), z2({2}, {0.f, 2.f});
        const lx::Array path = lx::Exploration::interpolate(z1, z2, 7, lx::Interpolation::Spherical);
        QVERIFY(path.row(0) == z1);
        QVERIFY(path.row(6) == z2);
        for (int i = 0; i < 7; ++i) {
            const double angle = (M_PI / 2.0) * i / 6.0;
            QVERIFY(std::abs(norm(path.row(i)) - 2.0) < 1e-6);
            QVERIFY(std::abs(path.row(i).ptr()[0] - 2.0 * std::cos(angle)) < 1e-6);
            QVERIFY(std::abs(path.row(i).ptr()[1] - 2.0 * std::sin(angle)) < 1e-6);
        }
        // The linear midpoint of the same pair is shorter (norm sqrt 2): slerp is not lerp.
        QVERIFY(std::abs(norm(lx::Exploration::at(z1, z2, 0.5, lx::Interpolation::Linear)) - std::sqrt(2.0)) < 1e-6);
        // Parallel latents: the limit of slerp, which is lerp.
        const lx::Array a({2}, {1.f, 1.f}), b({2}, {3.f, 3.f});
        QCOMPARE(lx::Exploration::at(a, b, 0.5, lx::Interpolation::Spherical).data(), (std::vector<float>{2.f, 2.f}));
        // Equal angles between consecutive points of a random 64-d pair of equal norms.
        const lx::Array z = lx::LatentSampler({64}).sample({3, 4});
        lx::Array z4 = z.row(1);
        const double scale = norm(z.row(0)) / norm(z4);
        for (float& v : z4.data())
            v = static_cast<float>(v * scale);
        const lx::Array p = lx::Exploration::interpolate(z.row(0), z4, 5, lx::Interpolation::Spherical);
        const auto angle = [&](int i, int j) {
            return std::acos(dot(p.row(i), p.row(j)) / (norm(p.row(i)) * norm(p.row(j))));
        };
        for (int i = 1; i < 4; ++i)
            QVERIFY(std::abs(angle(i - 1, i) - angle(i, i + 1)) < 1e-5);
    }

    void badInput()
    {
        const lx::Array z1({3}, {0.f, 1.f, 2.f}), z2({2}, {0.f, 1.f});
        LX_VERIFY_ERROR(lx::Exploration::interpolate(z1, z1, 1, lx::Interpolation::Linear), "steps must be at least 2");
        LX_VERIFY_ERROR(lx::Exploration::interpolate(z1, z2, 3, lx::Interpolation::Linear), "differ in shape");
        LX_VERIFY_ERROR(lx::Exploration::at(z1, z1, 1.5, lx::Interpolation::Linear), "t must lie in [0, 1]");
        const lx::Array zero({3}, {0.f, 0.f, 0.f});
        LX_VERIFY_ERROR(lx::Exploration::at(zero, z1, 0.5, lx::Interpolation::Spherical), "non-zero");
        const lx::Array nan({3}, {0.f, std::nanf(""), 0.f});
        LX_VERIFY_ERROR(lx::Exploration::at(nan, z1, 0.5, lx::Interpolation::Linear), "NaN");
        QVERIFY(lx::Exploration::modeFromName("spherical") == lx::Interpolation::Spherical);
        LX_VERIFY_ERROR(lx::Exploration::modeFromName("cubic"), "unknown interpolation 'cubic' (linear, spherical)");
    }

    void transformedMatchesDefinitions()
    {
        auto m = lx::Model::load(lxtest::fixture("tiny_gen.pt"));
        const int layer = m->requireLayer("main.2");
        const lx::LatentSampler sampler(m->card().latentShape);
        const lx::Array z = sampler.sample(lx::LatentSampler::seedRange(10, 70)); // > one chunk of 64
        const lx::Array donor = sampler.sample({3});
        // Nothing selected, no edit: the plain images.
        QVERIFY(lx::Exploration::transformed(*m, layer, z, donor, {}, {}) == m->generate(z));
        // Channels from the donor: the hybrid of each row with the shared donor.
        const std::vector<int> channels{0, 2};
        std::vector<lx::Array> donors(70, donor.row(0));
        const lx::Array donorRows = lx::Array::stack(donors);
        long long lastDone = 0, lastTotal = 0;
        const lx::Array hybrids =
            lx::Exploration::transformed(*m, layer, z, donor, channels, {}, [&](long long d, long long t) {
                lastDone = d;
                lastTotal = t;
            });
        QCOMPARE(lastDone, 70LL);
        QCOMPARE(lastTotal, 70LL);
        QVERIFY(hybrids
                == lx::HybridEngine::hybridPairs(*m, layer, channels, lx::Array::stack({z, donorRows}).reshaped([&] {
                       std::vector<int64_t> s = z.shape();
                       s[0] = 140;
                       return s;
                   }())));
        // An ablation edit: the layer's channels zeroed by hand, then the rest of the network.
        lx::LayerEdit edit;
        lx::Intervention ablate;
        ablate.op = lx::EditOp::Ablate;
        ablate.channels = {1};
        edit.interventions.push_back(ablate);
        lx::Array h = m->forwardTo(layer, z);
        const int64_t c = h.dim(1), plane = h.numel() / (h.dim(0) * c);
        for (int64_t i = 0; i < h.dim(0); ++i)
            std::fill_n(h.ptr() + (i * c + 1) * plane, plane, 0.f);
        const lx::Array byHand = m->forwardFrom(layer, h, z);
        const lx::Array edited = lx::Exploration::transformed(*m, layer, z, donor, channels, edit);
        QCOMPARE(edited.shape(), byHand.shape());
        double maxDiff = 0.0;
        for (int64_t i = 0; i < edited.numel(); ++i)
            maxDiff = std::max(maxDiff, double(std::abs(edited.ptr()[i] - byHand.ptr()[i])));
        QVERIFY2(maxDiff < 1e-6, std::to_string(maxDiff).c_str());
        // Bad donors and cancellation.
        LX_VERIFY_ERROR(lx::Exploration::transformed(*m, layer, z, sampler.sample({1, 2}), channels, {}),
                        "donor: give one latent or one per row (70), not 2");
        lx::CancelToken cancel;
        cancel.cancel();
        QVERIFY_THROWS_EXCEPTION(lx::Cancelled,
                                 lx::Exploration::transformed(*m, layer, z, donor, channels, {}, {}, &cancel));
    }
};

QTEST_APPLESS_MAIN(TestExploration)
#include "test_Exploration.moc"
