// lx::LayerEdit and HybridEngine::intervene on the tiny generator's layer main.4 (ConvTranspose2d,
// output [3, 4, 4]), whose only later layer is Tanh: the image is tanh(edited activations), so every
// intervention has a closed form. Plus the JSON round trip and bad edits.
#include "TestSupport.h"

#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/LayerEdit.h"
#include "lx/Model.h"

#include <cmath>

using lx::EditOp;
using lx::Intervention;
using lx::LayerEdit;

namespace {

constexpr int kLayer = 4; // main.4, [3, 4, 4]; main.5 = Tanh
constexpr int64_t kPlane = 16;

Intervention make(EditOp op, std::vector<int> channels, double value = 1.0)
{
    Intervention i;
    i.op = op;
    i.channels = std::move(channels);
    i.value = value;
    return i;
}

LayerEdit editOf(std::vector<Intervention> list)
{
    LayerEdit e;
    e.interventions = std::move(list);
    return e;
}

struct Setup {
    std::unique_ptr<lx::Model> model;
    std::unique_ptr<lx::HybridEngine> engine;
    lx::Array h1, h2; // layer outputs for z1 and z2, [2, 3, 4, 4]
};

Setup setup()
{
    Setup s;
    s.model = lx::Model::load(lxtest::fixture("tiny_gen.pt"), {lx::DeviceChoice::Cpu, 1});
    s.engine = std::make_unique<lx::HybridEngine>(*s.model);
    const lx::LatentSampler sampler(s.model->card().latentShape);
    const lx::Array z1 = sampler.sample({1, 2}), z2 = sampler.sample({3, 4});
    s.engine->setInputs(kLayer, z1, z2);
    s.h1 = s.model->forwardTo(kLayer, z1);
    s.h2 = s.model->forwardTo(kLayer, z2);
    return s;
}

// Largest |image - tanh(expected(n, c, p, h1, h2))| over all samples, channels and pixels.
template <typename F> float deviation(const lx::Array& image, const Setup& s, F expected)
{
    float worst = 0.0f;
    for (int64_t n = 0; n < 2; ++n) {
        for (int c = 0; c < 3; ++c) {
            for (int64_t p = 0; p < kPlane; ++p) {
                const size_t at = size_t((n * 3 + c) * kPlane + p);
                const double want = std::tanh(expected(c, p, s.h1.data()[at], s.h2.data()[at]));
                worst = std::max(worst, float(std::fabs(image.data()[at] - want)));
            }
        }
    }
    return worst;
}

} // namespace

class TestLayerEdit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identityGivesOriginalExactly()
    {
        Setup s = setup();
        QCOMPARE(s.engine->intervene(LayerEdit{}), s.engine->original1());
        Intervention off = make(EditOp::Set, {0, 1, 2}, 5.0);
        off.enabled = false;
        QCOMPARE(s.engine->intervene(editOf({off})), s.engine->original1());
        QCOMPARE(s.engine->intervene(editOf({make(EditOp::Scale, {0, 1, 2}, 1.0)})), s.engine->original1());
    }

    void copyDonorEqualsHybrid()
    {
        Setup s = setup();
        QCOMPARE(s.engine->intervene(editOf({make(EditOp::CopyDonor, {1})})), s.engine->hybrid({1}));
        QCOMPARE(s.engine->intervene(editOf({make(EditOp::CopyDonor, {0, 1, 2})})), s.engine->original2());
    }

    void eachOperationHasItsClosedForm()
    {
        Setup s = setup();
        const auto only1 = [](int c, double edited, double h) { return c == 1 ? edited : h; };
        QVERIFY(deviation(s.engine->intervene(editOf({make(EditOp::Set, {1}, 0.75)})), s,
                          [&](int c, int64_t, double h, double) { return only1(c, 0.75, h); })
                < 1e-6f);
        QVERIFY(deviation(s.engine->intervene(editOf({make(EditOp::Scale, {1}, -2.5)})), s,
                          [&](int c, int64_t, double h, double) { return only1(c, -2.5 * h, h); })
                < 1e-6f);
        QVERIFY(deviation(s.engine->intervene(editOf({make(EditOp::Offset, {1}, 0.3)})), s,
                          [&](int c, int64_t, double h, double) { return only1(c, h + 0.3, h); })
                < 1e-6f);
        QVERIFY(deviation(s.engine->intervene(editOf({make(EditOp::Ablate, {1})})), s,
                          [&](int c, int64_t, double h, double) { return only1(c, 0.0, h); })
                < 1e-6f);
    }

    void interventionsComposeInOrder()
    {
        Setup s = setup();
        // Scale channel 0 by 2, then add 1 to channels 0 and 2: tanh(2h + 1) on 0, tanh(h + 1) on 2.
        const lx::Array image =
            s.engine->intervene(editOf({make(EditOp::Scale, {0}, 2.0), make(EditOp::Offset, {0, 2}, 1.0)}));
        QVERIFY(deviation(image, s,
                          [](int c, int64_t, double h, double) { return c == 0 ? 2 * h + 1
                                                                     : c == 2  ? h + 1
                                                                               : h; })
                < 1e-6f);
        // The other order gives 2(h + 1) on channel 0.
        const lx::Array swapped =
            s.engine->intervene(editOf({make(EditOp::Offset, {0, 2}, 1.0), make(EditOp::Scale, {0}, 2.0)}));
        QVERIFY(deviation(swapped, s,
                          [](int c, int64_t, double h, double) { return c == 0 ? 2 * (h + 1)
                                                                     : c == 2  ? h + 1
                                                                               : h; })
                < 1e-6f);
    }

    void spatialMaskIsAreaPooled()
    {
        Setup s = setup();
        // An 8x8 mask whose left half is 1 pools to the left two columns of the 4x4 layer.
        Intervention left = make(EditOp::Set, {0, 2}, -0.5);
        left.maskHeight = left.maskWidth = 8;
        left.mask.assign(64, 0.0f);
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 4; ++x)
                left.mask[size_t(y * 8 + x)] = 1.0f;
        QVERIFY(deviation(s.engine->intervene(editOf({left})), s,
                          [](int c, int64_t p, double h, double) { return (c == 0 || c == 2) && p % 4 < 2 ? -0.5 : h; })
                < 1e-6f);
        // A uniform 0.5 mask (2x2, any size) blends halfway to the donor.
        Intervention half = make(EditOp::CopyDonor, {1});
        half.maskHeight = half.maskWidth = 2;
        half.mask.assign(4, 0.5f);
        QVERIFY(deviation(s.engine->intervene(editOf({half})), s,
                          [](int c, int64_t, double h, double h2) { return c == 1 ? h + 0.5 * (h2 - h) : h; })
                < 1e-6f);
    }

    void badEditsAreClearErrors()
    {
        Setup s = setup();
        LX_VERIFY_ERROR(s.engine->intervene(editOf({make(EditOp::Scale, {3}, 2.0)})), "channel 3 out of range");
        Intervention wrongSize = make(EditOp::Set, {0}, 1.0);
        wrongSize.maskHeight = 3;
        wrongSize.maskWidth = 3;
        wrongSize.mask.assign(4, 1.0f);
        LX_VERIFY_ERROR(s.engine->intervene(editOf({wrongSize})), "does not match its size 3x3");
        Intervention outside = wrongSize;
        outside.maskHeight = outside.maskWidth = 2;
        outside.mask = {0.0f, 1.5f, 0.0f, 0.0f};
        LX_VERIFY_ERROR(s.engine->intervene(editOf({outside})), "mask values must lie in [0, 1]");
        LX_VERIFY_ERROR(s.engine->intervene(editOf({make(EditOp::Set, {0}, std::nan(""))})), "value is not finite");
        // A spatial mask on a flat layer (main.0, [12]).
        const lx::LatentSampler sampler(s.model->card().latentShape);
        s.engine->setInputs(0, sampler.sample({1}), sampler.sample({2}));
        Intervention masked = make(EditOp::Ablate, {0});
        masked.maskHeight = masked.maskWidth = 1;
        masked.mask = {1.0f};
        LX_VERIFY_ERROR(s.engine->intervene(editOf({masked})), "needs a layer with [C, H, W] outputs");
    }

    void jsonRoundTrip()
    {
        Intervention a = make(EditOp::Offset, {0, 5, 7}, -1.25);
        Intervention b = make(EditOp::CopyDonor, {2});
        b.enabled = false;
        b.maskHeight = 1;
        b.maskWidth = 2;
        b.mask = {0.25f, 1.0f};
        const LayerEdit edit = editOf({a, b});
        const LayerEdit back = LayerEdit::fromJson(edit.toJson());
        QCOMPARE(back.interventions.size(), size_t(2));
        QCOMPARE(back.interventions[0].op, EditOp::Offset);
        QCOMPARE(back.interventions[0].channels, (std::vector<int>{0, 5, 7}));
        QCOMPARE(back.interventions[0].value, -1.25);
        QVERIFY(!back.interventions[0].hasMask());
        QCOMPARE(back.interventions[1].op, EditOp::CopyDonor);
        QVERIFY(!back.interventions[1].enabled);
        QCOMPARE(back.interventions[1].mask, (std::vector<float>{0.25f, 1.0f}));
        QCOMPARE(back.toJson(), edit.toJson());
        QVERIFY(!edit.isIdentity());
        QVERIFY(editOf({b}).isIdentity()); // its only intervention is disabled

        LX_VERIFY_ERROR(LayerEdit::fromJson("{\"interventions\": [{\"op\": \"blur\", \"channels\": [1]}]}"),
                        "unknown intervention 'blur'");
        LX_VERIFY_ERROR(LayerEdit::fromJson("{\"interventions\": [{\"op\": \"set\"}]}"), "edit: missing 'channels'");
        // Numbers of the wrong kind are refused, not cast (a cast of 1e300 to float is undefined).
        LX_VERIFY_ERROR(LayerEdit::fromJson("{\"interventions\": [{\"op\": \"set\", \"channels\": [1.5]}]}"),
                        "edit: bad value for 'channels'");
        LX_VERIFY_ERROR(LayerEdit::fromJson("{\"interventions\": [{\"op\": \"set\", \"channels\": [0], \"mask\": "
                                            "{\"height\": 1, \"width\": 1, \"values\": [1e300]}}]}"),
                        "edit mask: bad value for 'values'");
        LX_VERIFY_ERROR(LayerEdit::fromJson("[1, 2"), "edit: bad JSON");
        LX_VERIFY_ERROR(LayerEdit::fromJson("{}"), "'interventions' list");
    }
};

QTEST_MAIN(TestLayerEdit)
#include "test_LayerEdit.moc"
