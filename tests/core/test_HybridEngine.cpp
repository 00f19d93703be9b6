#include "TestSupport.h"

#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"

#include <cmath>
#include <numeric>

namespace {

std::vector<int> allChannels(int64_t count)
{
    std::vector<int> all(static_cast<size_t>(count));
    std::iota(all.begin(), all.end(), 0);
    return all;
}

// The definition, the slow way: run both latents to the layer, copy the channels' feature maps from
// h2 into h1 by hand, and run the rest of the network.
lx::Array hybridByDefinition(lx::Model& m, int layer, const std::vector<int>& channels, const lx::Array& z1,
                             const lx::Array& z2)
{
    lx::Array h1 = m.forwardTo(layer, z1);
    const lx::Array h2 = m.forwardTo(layer, z2);
    const int64_t n = h1.dim(0), c = h1.dim(1);
    const int64_t plane = h1.numel() / (n * c);
    for (int64_t i = 0; i < n; ++i) {
        for (int ch : channels) {
            for (int64_t p = 0; p < plane; ++p) {
                const size_t at = size_t((i * c + ch) * plane + p);
                h1.data()[at] = h2.data()[at];
            }
        }
    }
    return m.forwardFrom(layer, h1, z1);
}

} // namespace

class TestHybridEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identities_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("layer");
        QTest::newRow("dcgan middle") << "dcgan_tutorial.pt"
                                      << "main.8";
        QTest::newRow("dcgan early") << "dcgan_tutorial.pt"
                                     << "main.2";
        QTest::newRow("dcgan late") << "dcgan_tutorial.pt"
                                    << "main.11";
        QTest::newRow("tiny conv") << "tiny_gen.pt"
                                   << "main.2";
        QTest::newRow("mlp vae flat") << "mlp_vae.pt"
                                      << "decoder.1";
        QTest::newRow("functional vae") << "examples_vae.pt"
                                        << "fc3";
    }
    void identities()
    {
        QFETCH(QString, model);
        QFETCH(QString, layer);
        auto m = lx::Model::load(lxtest::fixture(model.toStdString()));
        const int l = m->requireLayer(layer.toStdString());
        const lx::LatentSampler sampler(m->card().latentShape);
        const lx::Array z1 = sampler.sample({1, 2}), z2 = sampler.sample({3, 4});
        lx::HybridEngine engine(*m);
        QVERIFY(engine.setInputs(l, z1, z2));
        QCOMPARE(engine.channelCount(), m->layers()[size_t(l)].channels());

        // Empty set: exactly x(z1). All channels: exactly x(z2).
        QCOMPARE(engine.hybrid({}), engine.original1());
        QCOMPARE(engine.hybrid(allChannels(engine.channelCount())), engine.original2());
        // The cached originals are the model's own outputs.
        QVERIFY(lxtest::maxAbsDiff(engine.original1(), m->generate(z1)) < 1e-5f);
        QVERIFY(lxtest::maxAbsDiff(engine.original2(), m->generate(z2)) < 1e-5f);
        // One channel changes the output, and matches the definition computed the slow way.
        const std::vector<int> one{int(engine.channelCount() / 2)};
        const lx::Array h = engine.hybrid(one);
        QVERIFY(h != engine.original1());
        QVERIFY2(lxtest::maxAbsDiff(h, hybridByDefinition(*m, l, one, z1, z2)) < 1e-5f,
                 qPrintable(QString::number(lxtest::maxAbsDiff(h, hybridByDefinition(*m, l, one, z1, z2)))));
        const std::vector<int> several{0, 1, int(engine.channelCount() - 1)};
        QVERIFY(lxtest::maxAbsDiff(engine.hybrid(several), hybridByDefinition(*m, l, several, z1, z2)) < 1e-5f);
    }
    void lastLayerSwapsImageChannels()
    {
        // At the output layer nothing follows: swapping channel 0 must copy exactly the red plane of x(z2)
        // into x(z1) and leave the other planes alone.
        auto m = lx::Model::load(lxtest::fixture("tiny_gen.pt"));
        lx::HybridEngine engine(*m);
        const lx::LatentSampler sampler({4});
        engine.setInputs(m->requireLayer("main.5"), sampler.sample({5}), sampler.sample({6}));
        const lx::Array h = engine.hybrid({0});
        const lx::Array x1 = engine.original1(), x2 = engine.original2();
        for (int64_t i = 0; i < h.numel(); ++i) {
            const bool red = i < 16; // [1, 3, 4, 4]: the first 16 values are channel 0
            QCOMPARE(h.data()[size_t(i)], red ? x2.data()[size_t(i)] : x1.data()[size_t(i)]);
        }
    }
    void prefixIsCached()
    {
        auto m = lx::Model::load(lxtest::fixture("tiny_gen.pt"));
        lx::HybridEngine engine(*m);
        const lx::LatentSampler sampler({4});
        QVERIFY(engine.setInputs(2, sampler.sample({1}), sampler.sample({2})));
        QVERIFY(engine.lastPrefixMs() > 0.0); // the prefix ran (a nanosecond timer)
        QVERIFY(!engine.setInputs(2, sampler.sample({1}), sampler.sample({2})));
        QCOMPARE(engine.lastPrefixMs(), 0.0); // cached: no prefix pass
        QVERIFY(engine.setInputs(2, sampler.sample({1}), sampler.sample({3})));
        QVERIFY(engine.setInputs(4, sampler.sample({1}), sampler.sample({3})));
        QCOMPARE(engine.layer(), 4);
    }
    void badInput()
    {
        auto m = lx::Model::load(lxtest::fixture("tiny_gen.pt"));
        lx::HybridEngine engine(*m);
        LX_VERIFY_ERROR(engine.hybrid({0}), "no layer and latents set");
        const lx::LatentSampler sampler({4});
        LX_VERIFY_ERROR(engine.setInputs(2, sampler.sample({1, 2}), sampler.sample({3})), "same number of latents");
        LX_VERIFY_ERROR(engine.setInputs(17, sampler.sample({1}), sampler.sample({3})), "layer index 17 out of range");
        engine.setInputs(2, sampler.sample({1}), sampler.sample({3}));
        LX_VERIFY_ERROR(engine.hybrid({6}), "channel 6 out of range for layer main.2 with 6 channels");
        LX_VERIFY_ERROR(engine.hybrid({-1}), "channel -1 out of range");
    }
    void pairsStreamInChunks()
    {
        auto m = lx::Model::load(lxtest::fixture("dcgan_tutorial.pt"));
        const int layer = m->requireLayer("main.5");
        const lx::Array z = lx::LatentSampler({100, 1, 1}).sample(lx::LatentSampler::seedRange(0, 10));
        const lx::Array whole = lx::HybridEngine::hybridPairs(*m, layer, {3, 17, 200}, z);
        QCOMPARE(whole.shape(), (std::vector<int64_t>{5, 3, 64, 64}));
        const lx::Array chunked = lx::HybridEngine::hybridPairs(*m, layer, {3, 17, 200}, z, 2);
        QVERIFY(lxtest::maxAbsDiff(whole, chunked) < 1e-5f);
        QVERIFY(lxtest::maxAbsDiff(whole.rows(1, 2),
                                   hybridByDefinition(*m, layer, {3, 17, 200}, z.rows(1, 2), z.rows(6, 7)))
                < 1e-5f);
        LX_VERIFY_ERROR(lx::HybridEngine::hybridPairs(*m, layer, {}, z.rows(0, 3)), "expected 2N latents");
    }
};

QTEST_APPLESS_MAIN(TestHybridEngine)
#include "test_HybridEngine.moc"
