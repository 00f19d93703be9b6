#include "TestSupport.h"

#include "lx/HybridEngine.h"
#include "lx/InfluenceEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"

#include <cmath>
#include <tuple>

namespace {

// The definition, directly: for each channel and pair, |hybrid - x(z1)| averaged over colours, then over pairs.
lx::Array eimByDefinition(lx::Model& m, int layer, const lx::Array& z, int channel)
{
    const int64_t n = z.dim(0) / 2;
    const lx::Array x = lx::HybridEngine::hybridPairs(m, layer, {channel}, z);
    const lx::Array x1 = m.generate(z.rows(0, n));
    const int64_t colours = x.dim(1), plane = x.numel() / (n * colours);
    lx::Array out({x.dim(2), x.dim(3)});
    for (int64_t i = 0; i < n; ++i)
        for (int64_t c = 0; c < colours; ++c)
            for (int64_t p = 0; p < plane; ++p) {
                const size_t at = size_t((i * colours + c) * plane + p);
                out.data()[size_t(p)] += std::fabs(x.data()[at] - x1.data()[at]) / float(colours * n);
            }
    return out;
}

} // namespace

class TestInfluenceEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quadrantGeneratorHasLocalMaps()
    {
        // Channels 2q and 2q+1 of main.1 write only to quadrant q of the 4x4 image.
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        const int layer = m->requireLayer("main.1");
        QCOMPARE(lx::InfluenceEngine::shortcutKind(*m, layer), std::string("ConvTranspose2d"));
        const lx::Array z = lx::LatentSampler({8}).sample(lx::LatentSampler::seedRange(0, 32));
        const lx::Array eim = lx::InfluenceEngine::elementaryMaps(*m, layer, z);
        QCOMPARE(eim.shape(), (std::vector<int64_t>{8, 4, 4}));
        for (int c = 0; c < 8; ++c) {
            const int q = c / 2, qr = q / 2, qc = q % 2;
            for (int y = 0; y < 4; ++y)
                for (int x = 0; x < 4; ++x) {
                    const float v = eim.data()[size_t(c * 16 + y * 4 + x)];
                    if (y / 2 == qr && x / 2 == qc)
                        QVERIFY2(v > 1e-3f, qPrintable(QString("channel %1 (%2,%3) = %4").arg(c).arg(y).arg(x).arg(v)));
                    else
                        QCOMPARE(v, 0.0f); // exactly: nothing else changes there
                }
        }
        // The generic path (no shortcut) and the plain way agree.
        lx::InfluenceOptions generic;
        generic.linearShortcut = false;
        QVERIFY(lxtest::maxAbsDiff(lx::InfluenceEngine::elementaryMaps(*m, layer, z, generic), eim) < 1e-6f);
        QVERIFY(lxtest::maxAbsDiff(lx::InfluenceEngine::elementaryMapsPlain(*m, layer, z), eim) < 1e-6f);
    }
    void matchesDefinition_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("layer");
        QTest::addColumn<QString>("shortcut");
        QTest::addColumn<QString>("streamedThrough");
        QTest::newRow("dcgan middle (ConvT next)") << "dcgan_tutorial.pt"
                                                   << "main.8"
                                                   << "ConvTranspose2d+BatchNorm2d+ReLU"
                                                   << "main.12";
        // Streamed through a ConvT with a bias and a Sigmoid after it; through a 32-channel ConvT with
        // more layers after it (ReLU, ConvT, Sigmoid).
        QTest::newRow("conv vae64 (streamed, bias, Sigmoid)") << "conv_vae64.pt"
                                                              << "decoder.8"
                                                              << "ConvTranspose2d+ReLU"
                                                              << "decoder.11";
        QTest::newRow("conv vae64 (streamed, 32 channels out)") << "conv_vae64.pt"
                                                                << "decoder.6"
                                                                << "ConvTranspose2d+ReLU"
                                                                << "decoder.9";
        QTest::newRow("dcgan after BN (generic)") << "dcgan_tutorial.pt"
                                                  << "main.10"
                                                  << ""
                                                  << "";
        QTest::newRow("tiny (Conv2d next)") << "tiny_gen.pt"
                                            << "main.1"
                                            << "Conv2d+ReLU"
                                            << "";
        // Next layers with output padding, dilation, rectangular kernels, no bias, stride; BatchNorm + ReLU
        // folded (main.2, main.5), ReLU alone (main.8), nothing folded (main.10).
        QTest::newRow("odd convs: ConvT output padding, BN, ReLU") << "odd_convs_gen.pt"
                                                                   << "main.2"
                                                                   << "ConvTranspose2d+BatchNorm2d+ReLU"
                                                                   << "";
        QTest::newRow("odd convs: dilated 3x2 Conv, BN, ReLU") << "odd_convs_gen.pt"
                                                               << "main.5"
                                                               << "Conv2d+BatchNorm2d+ReLU"
                                                               << "";
        QTest::newRow("odd convs: ConvT without bias, ReLU") << "odd_convs_gen.pt"
                                                             << "main.8"
                                                             << "ConvTranspose2d+ReLU"
                                                             << "";
        QTest::newRow("odd convs: strided Conv, Tanh") << "odd_convs_gen.pt"
                                                       << "main.10"
                                                       << "Conv2d"
                                                       << "";
        QTest::newRow("mlp vae (Linear next)") << "mlp_vae.pt"
                                               << "decoder.1"
                                               << "Linear"
                                               << "";
        QTest::newRow("functional vae (F.relu next: generic)") << "examples_vae.pt"
                                                               << "fc3"
                                                               << ""
                                                               << "";
    }
    void matchesDefinition()
    {
        QFETCH(QString, model);
        QFETCH(QString, layer);
        QFETCH(QString, shortcut);
        auto m = lx::Model::load(lxtest::fixture(model.toStdString()));
        const int l = m->requireLayer(layer.toStdString());
        QFETCH(QString, streamedThrough);
        QCOMPARE(lx::InfluenceEngine::shortcutKind(*m, l), shortcut.toStdString());
        QCOMPARE(lx::InfluenceEngine::streamedThrough(*m, l), streamedThrough.toStdString());
        const lx::Array z = lx::LatentSampler(m->card().latentShape).sample(lx::LatentSampler::seedRange(100, 6));
        lx::InfluenceOptions small;
        small.pairChunk = 2; // several pair chunks
        small.batchBudget = 14; // several channel chunks, the last one partial
        const lx::Array eim = lx::InfluenceEngine::elementaryMaps(*m, l, z, small);
        // The shortcut done with LibTorch ops, as on a GPU.
        lx::InfluenceOptions libTorch = small;
        libTorch.libTorchShortcut = true;
        const lx::Array eimLibTorch = lx::InfluenceEngine::elementaryMaps(*m, l, z, libTorch);
        // The CPU kernel's hybrids held in batches rather than streamed.
        lx::InfluenceOptions batched = small;
        batched.streamHybrids = false;
        const lx::Array eimBatched = lx::InfluenceEngine::elementaryMaps(*m, l, z, batched);
        QCOMPARE(eim.dim(0), m->layers()[size_t(l)].channels());
        const int mid = int(eim.dim(0) / 2);
        for (int c : {0, 1, mid, int(eim.dim(0) - 1)}) {
            const lx::Array want = eimByDefinition(*m, l, z, c);
            for (const lx::Array* maps : {&eim, &eimLibTorch, &eimBatched}) {
                const lx::Array got = maps->row(c).reshaped(want.shape());
                QVERIFY2(lxtest::maxAbsDiff(got, want) < 2e-6f,
                         qPrintable(QString("channel %1%2: %3")
                                        .arg(c)
                                        .arg(maps == &eim               ? ""
                                                 : maps == &eimLibTorch ? " (LibTorch ops)"
                                                                        : " (batched)")
                                        .arg(lxtest::maxAbsDiff(got, want))));
            }
        }
        // Group map of one channel = that channel's EIM.
        const lx::Array g = lx::InfluenceEngine::groupMap(*m, l, {mid}, z);
        QVERIFY(lxtest::maxAbsDiff(g, eim.row(mid)) < 2e-6f);
    }
    // Shards of the pairs, cut on the pair chunks, sum to the whole job's sum: merged, the maps are
    // elementaryMaps' own, bit for bit (the class-conditional graph fixture and the DCGAN shortcut).
    void shardsMergeToTheWholeMaps_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("layer");
        QTest::newRow("dcgan main.8") << "dcgan_tutorial.pt"
                                      << "main.8";
        QTest::newRow("graph_biggan blocks.1") << "graph_biggan.pt"
                                               << "blocks.1";
    }
    void shardsMergeToTheWholeMaps()
    {
        QFETCH(QString, model);
        QFETCH(QString, layer);
        auto m = lx::Model::load(lxtest::fixture(model.toStdString()));
        const int l = m->requireLayer(layer.toStdString());
        // 3 chunks of 4: 4, 4, 1 (a short last chunk; 5 shards leave some empty). Small chunks keep the
        // 5 passes over every pair affordable under the sanitizers.
        const int64_t pairs = 9;
        lx::InfluenceOptions chunked;
        chunked.pairChunk = 4;
        const lx::Array z = lx::LatentSampler(m->card().latentShape).sample(lx::LatentSampler::seedRange(0, 2 * pairs));
        lx::Array classes;
        if (!m->card().inputClasses.empty()) {
            classes = lx::Array({2 * pairs});
            for (int64_t i = 0; i < 2 * pairs; ++i)
                classes.data()[size_t(i)] = float(i % int64_t(m->card().inputClasses.size()));
        }
        const lx::Array whole = lx::InfluenceEngine::elementaryMaps(*m, l, z, classes, chunked);
        for (int64_t n : {1, 2, 3, 5}) {
            std::vector<std::pair<std::string, lx::PartialResult>> parts;
            for (int64_t k = 0; k < n; ++k) {
                lx::PartialResult p;
                p.shard = lx::Shard{k, n};
                p.total = pairs;
                lx::InfluenceOptions options = chunked;
                std::tie(p.begin, p.end) = p.shard.slice(pairs, options.pairChunk);
                options.pairBegin = p.begin;
                options.pairEnd = p.end;
                p.data = lx::InfluenceEngine::elementaryMapSum(*m, l, z, classes, options);
                QCOMPARE(p.data.count, p.end - p.begin);
                parts.emplace_back("shard" + std::to_string(k), p);
            }
            const lx::PartialResult merged = lx::PartialResult::merge(parts);
            QVERIFY2(merged.data.finished(merged.finish) == whole, qPrintable(QString("N = %1").arg(n)));
        }
        lx::InfluenceOptions outside = chunked;
        outside.pairBegin = 8;
        outside.pairEnd = 10;
        LX_VERIFY_ERROR(lx::InfluenceEngine::elementaryMapSum(*m, l, z, classes, outside), "not within the 9 pairs");
    }
    void progressAndCancel()
    {
        auto m = lx::Model::load(lxtest::fixture("dcgan_tutorial.pt"));
        const lx::Array z = lx::LatentSampler({100, 1, 1}).sample(lx::LatentSampler::seedRange(0, 8));
        long long last = 0, total = 0;
        lx::InfluenceOptions o;
        o.pairChunk = 2;
        o.batchBudget = 64;
        lx::InfluenceEngine::elementaryMaps(*m, m->requireLayer("main.8"), z, o, [&](long long d, long long t) {
            last = d;
            total = t;
        });
        QCOMPARE(total, 2LL * 4LL); // 2 pair chunks x 4 channel chunks of 32
        QCOMPARE(last, total);
        lx::CancelToken cancel;
        bool threw = false;
        try {
            lx::InfluenceEngine::elementaryMaps(
                *m, m->requireLayer("main.8"), z, o,
                [&](long long d, long long) {
                    if (d == 3)
                        cancel.cancel();
                },
                &cancel);
        } catch (const lx::Cancelled&) {
            threw = true;
        }
        QVERIFY(threw);
    }
    void badInput()
    {
        auto m = lx::Model::load(lxtest::fixture("tiny_gen.pt"));
        LX_VERIFY_ERROR(lx::InfluenceEngine::elementaryMaps(*m, 2, lx::LatentSampler({4}).sample({1, 2, 3})),
                        "expected 2N latents");
        LX_VERIFY_ERROR(lx::InfluenceEngine::elementaryMaps(*m, 2, lx::Array({2, 3})), "latent_shape [4]");
        LX_VERIFY_ERROR(lx::InfluenceEngine::groupMap(*m, 2, {6}, lx::LatentSampler({4}).sample({1, 2})),
                        "channel 6 out of range");
        LX_VERIFY_ERROR(lx::InfluenceEngine::elementaryMaps(*m, 9, lx::LatentSampler({4}).sample({1, 2})),
                        "layer index 9 out of range");
    }
};

QTEST_APPLESS_MAIN(TestInfluenceEngine)
#include "test_InfluenceEngine.moc"
