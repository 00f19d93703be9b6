// The authors' published checkpoints (../shared/checkpoints), imported by models/import_*.py at test time.
// Skipped, with a message, on a machine without ../shared.
#include "TestSupport.h"

#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"

#include <QFile>

#include <cmath>
#include <set>

class TestImportedCheckpoints : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapesVae()
    {
        const std::string path = lxtest::fixture("shapes_vae.pt");
        if (!QFile::exists(QString::fromStdString(path)))
            QSKIP("../shared/checkpoints/latent_responses_3dshapes_vae.pt not present: 3D-Shapes VAE checks skipped");
        auto m = lx::Model::load(path);
        QVERIFY(m->card().kind == lx::ModelKind::Autoencoder);
        QCOMPARE(m->card().latentShape, (std::vector<int64_t>{24}));
        QCOMPARE(m->outputShape(), (std::vector<int64_t>{3, 64, 64}));
        // The decoder's six blocks keep their Sequential names (the MLP + reshape, then five up-blocks) and
        // shapes; the graph adds the modules inside them (decoder.0.0, decoder.1.conv, ...).
        const std::vector<std::pair<std::string, std::vector<int64_t>>> blocks = {
            {"decoder.0", {64, 2, 2}},   {"decoder.1", {64, 4, 4}},   {"decoder.2", {64, 8, 8}},
            {"decoder.3", {64, 16, 16}}, {"decoder.4", {64, 32, 32}}, {"decoder.5", {3, 64, 64}}};
        for (const auto& [name, shape] : blocks)
            QCOMPARE(m->layers()[size_t(m->requireLayer(name))].shape, shape);
        QCOMPARE(m->layers()[size_t(m->requireLayer("decoder.0.0"))].shape, (std::vector<int64_t>{128}));
        QCOMPARE(m->layers()[size_t(m->requireLayer("decoder.3.conv"))].type, std::string("Conv2d"));

        const lx::Array z = lx::LatentSampler({24}).sample(lx::LatentSampler::seedRange(100, 128));
        const lx::Array x = m->generate(z);
        float lo = 1, hi = 0;
        for (float v : x.data()) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        QVERIFY(lo >= 0.0f && hi <= 1.0f); // sigmoid output
        QVERIFY(hi - lo > 0.9f); // real images, not a constant

        // Latent response R(z) = mean(encode(decode(z))): informative dimensions follow z (R_j varies),
        // collapsed ones are pinned near 0. The reference is the eager PyTorch model's R on its own z,
        // written at fixture time by models/import_3dshapes_vae.py --reference: the C++ responses match it,
        // and so does the split into informative and collapsed dimensions computed from each.
        const std::string ref = lxtest::fixture("shapes_vae_ref/");
        if (!QFile::exists(QString::fromStdString(ref + "r.npy")))
            QSKIP("shapes_vae_ref/ not written (the checkpoint import ran without --reference)");
        const lx::Array zr = lx::Npy::read(ref + "z.npy");
        const lx::Array want = lx::Npy::read(ref + "r.npy");
        const lx::Array r = m->encodeMean(m->generate(zr));
        QVERIFY2(lxtest::maxAbsDiff(r, want) < 1e-3f,
                 qPrintable(QString("max |C++ - eager| = %1").arg(lxtest::maxAbsDiff(r, want))));
        const auto split = [](const lx::Array& responses) {
            std::set<int> informative;
            for (int j = 0; j < 24; ++j) {
                double mean = 0, sq = 0;
                for (int n = 0; n < 128; ++n) {
                    const double v = responses.data()[size_t(n * 24 + j)];
                    mean += v / 128;
                    sq += v * v / 128;
                }
                const double sd = std::sqrt(std::max(0.0, sq - mean * mean));
                if (sd > 0.3)
                    informative.insert(j);
                else if (sd >= 0.05)
                    return std::set<int>{-1 - j}; // neither: the split is not clean
            }
            return informative;
        };
        const std::set<int> eager = split(want);
        QVERIFY2(eager.size() > 0 && *eager.begin() >= 0,
                 "the eager responses do not split into informative and collapsed");
        QCOMPARE(split(r), eager);
        // Dims 15 and 23 are the pair the paper's repository plots: both informative.
        QVERIFY(eager.count(15) && eager.count(23));
    }
};

QTEST_APPLESS_MAIN(TestImportedCheckpoints)
#include "test_ImportedCheckpoints.moc"
