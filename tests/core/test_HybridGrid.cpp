// The module hybrid grid (Besserve et al.): identities, agreement with the definition, layout, errors.
#include "TestSupport.h"

#include "lx/HybridGrid.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"

#include <numeric>

namespace {

std::vector<int> allChannels(int64_t count)
{
    std::vector<int> all(static_cast<size_t>(count));
    std::iota(all.begin(), all.end(), 0);
    return all;
}

// Cell (i, j) the slow way: both latents to the layer, copy the channels' maps by hand, run the rest.
lx::Array hybridByDefinition(lx::Model& m, int layer, const std::vector<int>& channels, const lx::Array& z1,
                             const lx::Array& z2)
{
    lx::Array h1 = m.forwardTo(layer, z1);
    const lx::Array h2 = m.forwardTo(layer, z2);
    const int64_t c = h1.dim(1), plane = h1.numel() / c;
    for (int ch : channels)
        for (int64_t p = 0; p < plane; ++p)
            h1.data()[size_t(ch * plane + p)] = h2.data()[size_t(ch * plane + p)];
    return m.forwardFrom(layer, h1, z1).row(0);
}

} // namespace

class TestHybridGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identities_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("layer");
        QTest::newRow("dcgan middle") << "dcgan_tutorial.pt"
                                      << "main.5";
        QTest::newRow("dcgan late") << "dcgan_tutorial.pt"
                                    << "main.11";
        QTest::newRow("quadrant") << "quadrant_gen.pt"
                                  << "main.1";
        QTest::newRow("mlp vae flat") << "mlp_vae.pt"
                                      << "decoder.1";
    }
    void identities()
    {
        QFETCH(QString, model);
        QFETCH(QString, layer);
        auto m = lx::Model::load(lxtest::fixture(model.toStdString()));
        const int l = m->requireLayer(layer.toStdString());
        const lx::LatentSampler sampler(m->card().latentShape);
        const lx::Array rows = sampler.sample({0, 1, 2}), cols = sampler.sample({10, 11, 12, 13});
        lx::HybridGrid grid(*m);
        grid.setInputs(l, rows, cols);
        const lx::HybridGridResult none = grid.compute({});
        const lx::HybridGridResult all = grid.compute(allChannels(m->layers()[size_t(l)].channels()));
        QCOMPARE(none.rows(), int64_t(3));
        QCOMPARE(none.cols(), int64_t(4));
        std::vector<int64_t> shape = m->outputShape();
        shape.insert(shape.begin(), {3, 4});
        QCOMPARE(none.hybrids.shape(), shape);
        for (int64_t i = 0; i < 3; ++i) {
            for (int64_t j = 0; j < 4; ++j) {
                // Bit for bit: no channel gives the row's original, every channel the column's donor.
                QCOMPARE(none.cell(i, j), none.originals.row(i));
                QCOMPARE(all.cell(i, j), all.donors.row(j));
            }
        }
        QCOMPARE(none.originals, all.originals);
        QCOMPARE(none.donors, all.donors);
        // The originals and donors are the model's own images (up to batch-size rounding).
        QVERIFY(lxtest::maxAbsDiff(none.originals, m->generate(rows)) < 1e-5f);
        QVERIFY(lxtest::maxAbsDiff(none.donors, m->generate(cols)) < 1e-5f);
    }
    void moduleCellsMatchTheDefinition()
    {
        auto m = lx::Model::load(lxtest::fixture("dcgan_tutorial.pt"));
        const int l = m->requireLayer("main.5");
        const lx::LatentSampler sampler(m->card().latentShape);
        const lx::Array rows = sampler.sample({3, 4}), cols = sampler.sample({20, 21, 22});
        const std::vector<int> module{1, 7, 30, 31, 32, 100, 255};
        const lx::HybridGridResult r = lx::HybridGrid::compute(*m, l, module, rows, cols);
        QCOMPARE(r.channels, module);
        QCOMPARE(r.layer, l);
        for (int64_t i = 0; i < 2; ++i)
            for (int64_t j = 0; j < 3; ++j) {
                const lx::Array want = hybridByDefinition(*m, l, module, rows.rows(i, i + 1), cols.rows(j, j + 1));
                QVERIFY(lxtest::maxAbsDiff(r.cell(i, j), want) < 1e-5f);
            }
        // A module changes the picture (the test would pass vacuously otherwise).
        QVERIFY(lxtest::maxAbsDiff(r.cell(0, 0), r.originals.row(0)) > 1e-3f);
    }
    void quadrantModuleSwapsOneQuadrant()
    {
        // Channels 2q, 2q+1 of the quadrant generator write only to quadrant q: swapping module {2, 3}
        // puts z2's quadrant 1 (top right) into z1's image and leaves the other three untouched.
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        const lx::LatentSampler sampler({8});
        const lx::HybridGridResult r = lx::HybridGrid::compute(*m, m->requireLayer("main.1"), {2, 3},
                                                               sampler.sample({0, 1}), sampler.sample({5, 6, 7}));
        for (int64_t i = 0; i < 2; ++i)
            for (int64_t j = 0; j < 3; ++j) {
                const lx::Array cell = r.cell(i, j), x1 = r.originals.row(i), x2 = r.donors.row(j);
                for (int y = 0; y < 4; ++y)
                    for (int x = 0; x < 4; ++x) {
                        const size_t at = size_t(y * 4 + x);
                        const bool topRight = y < 2 && x >= 2;
                        QVERIFY(std::fabs(cell.data()[at] - (topRight ? x2 : x1).data()[at]) < 1e-6f);
                    }
            }
    }
    void changingTheModuleReusesThePrefixes()
    {
        auto m = lx::Model::load(lxtest::fixture("dcgan_tutorial.pt"));
        const int l = m->requireLayer("main.8");
        const lx::LatentSampler sampler(m->card().latentShape);
        const lx::Array rows = sampler.sample({0, 1}), cols = sampler.sample({2, 3});
        lx::HybridGrid grid(*m);
        std::vector<long long> ticks;
        grid.setInputs(l, rows, cols, [&](long long done, long long total) { ticks.push_back(done * 100 + total); });
        QCOMPARE(ticks, (std::vector<long long>{102, 202}));
        ticks.clear();
        grid.setInputs(l, rows, cols, [&](long long done, long long total) { ticks.push_back(done); });
        QVERIFY(ticks.empty()); // same inputs: nothing recomputed
        for (const std::vector<int>& module : {std::vector<int>{0, 5}, std::vector<int>{60, 61, 62}}) {
            const lx::HybridGridResult cached = grid.compute(module);
            QCOMPARE(cached.hybrids, lx::HybridGrid::compute(*m, l, module, rows, cols).hybrids);
        }
    }
    void figureTilesLayout()
    {
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        const lx::LatentSampler sampler({8});
        const lx::HybridGridResult r =
            lx::HybridGrid::compute(*m, 1, {0}, sampler.sample({0, 1}), sampler.sample({2, 3, 4}));
        const std::vector<lx::Array> tiles = r.figureTiles();
        QCOMPARE(tiles.size(), size_t(3 * 4));
        QVERIFY(tiles[0].empty());
        for (int64_t j = 0; j < 3; ++j)
            QCOMPARE(tiles[size_t(1 + j)], r.donors.row(j));
        for (int64_t i = 0; i < 2; ++i) {
            QCOMPARE(tiles[size_t((i + 1) * 4)], r.originals.row(i));
            for (int64_t j = 0; j < 3; ++j)
                QCOMPARE(tiles[size_t((i + 1) * 4 + 1 + j)], r.cell(i, j));
        }
    }
    void errors()
    {
        auto m = lx::Model::load(lxtest::fixture("quadrant_gen.pt"));
        const lx::LatentSampler sampler({8});
        const lx::Array z = sampler.sample({0, 1});
        lx::HybridGrid grid(*m);
        LX_VERIFY_ERROR(grid.compute({0}), "no layer and latents set");
        LX_VERIFY_ERROR(grid.setInputs(9, z, z), "layer index 9 out of range");
        LX_VERIFY_ERROR(grid.setInputs(1, lx::Array({2, 5}), z), "hybrid grid rows");
        LX_VERIFY_ERROR(grid.setInputs(1, z, lx::Array({0, 8})), "hybrid grid columns");
        grid.setInputs(1, z, z);
        LX_VERIFY_ERROR(grid.compute({8}), "8");
        lx::CancelToken cancel;
        cancel.cancel();
        bool cancelled = false;
        try {
            lx::HybridGrid::compute(*m, 1, {0}, z, sampler.sample({4, 5}), {}, &cancel);
        } catch (const lx::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
    }
};

QTEST_APPLESS_MAIN(TestHybridGrid)
#include "test_HybridGrid.moc"
