// Layers from the model's own TorchScript graph (ModelGraph / GraphCut through lx::Model): hybrids and
// influence maps of models that are not one nn.Sequential, against eager-PyTorch references made with
// forward hooks by tests/fixtures/make_graph_fixtures.py.
#include "TestSupport.h"

#include "lx/Exploration.h"
#include "lx/HybridEngine.h"
#include "lx/HybridGrid.h"
#include "lx/InfluenceEngine.h"
#include "lx/Model.h"
#include "lx/Npy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace {

using lxtest::fixture;

QJsonObject manifest()
{
    QFile f(QString::fromStdString(fixture("graph_fixtures.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// a on top of b along axis 0.
lx::Array concatRows(const lx::Array& a, const lx::Array& b)
{
    std::vector<int64_t> shape = a.shape();
    shape[0] += b.dim(0);
    std::vector<float> data = a.data();
    data.insert(data.end(), b.data().begin(), b.data().end());
    return lx::Array(shape, data);
}

float maxAbs(const lx::Array& a)
{
    float m = 0.0f;
    for (float v : a.data())
        m = std::max(m, std::fabs(v));
    return m;
}

// |got - want| <= tol * max(1, max|want|), with the numbers in the failure message.
#define LX_VERIFY_CLOSE(got, want, tol, what)                                                                          \
    do {                                                                                                               \
        const float lxDiff = lxtest::maxAbsDiff(got, want);                                                            \
        const float lxBound = (tol)*std::max(1.0f, maxAbs(want));                                                      \
        QVERIFY2(lxDiff <= lxBound,                                                                                    \
                 qPrintable(QString("%1: max |diff| %2 > %3")                                                          \
                                .arg(QString::fromStdString(std::string(what)))                                        \
                                .arg(lxDiff)                                                                           \
                                .arg(lxBound)));                                                                       \
    } while (false)

struct Case {
    std::unique_ptr<lx::Model> model;
    lx::Array z1, z2, c1, c2, out;
    QJsonObject entry;
};

Case load(const QString& name)
{
    Case c;
    c.entry = manifest().value(name).toObject();
    c.model = lx::Model::load(fixture(c.entry.value("model").toString().toStdString()), {lx::DeviceChoice::Cpu, 0});
    const lx::Array z = lx::Npy::read(fixture(c.entry.value("latents").toString().toStdString()));
    const int64_t n = z.dim(0) / 2;
    c.z1 = z.rows(0, n);
    c.z2 = z.rows(n, 2 * n);
    if (c.entry.contains("classes")) {
        const lx::Array classes = lx::Npy::read(fixture(c.entry.value("classes").toString().toStdString()));
        c.c1 = classes.rows(0, n);
        c.c2 = classes.rows(n, 2 * n);
    }
    c.out = lx::Npy::read(fixture(c.entry.value("output").toString().toStdString()));
    return c;
}

std::vector<int> intsOf(const QJsonArray& a)
{
    std::vector<int> out;
    for (const QJsonValue& v : a)
        out.push_back(v.toInt());
    return out;
}

std::vector<std::string> names(const lx::Model& m)
{
    std::vector<std::string> out;
    for (const lx::LayerInfo& l : m.layers())
        out.push_back(l.name);
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& name)
{
    return std::find(list.begin(), list.end(), name) != list.end();
}

} // namespace

class TestModelGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (manifest().isEmpty())
            QFAIL("graph_fixtures.json is missing: run the make_graph_fixtures CTest fixture");
    }

    void hybridsMatchForwardHooks_data()
    {
        QTest::addColumn<QString>("name");
        // The shared_* models are the third-party checkpoints of ../shared, opened by their importers.
        for (const char* n :
             {"graph_cond_dcgan", "graph_biggan", "graph_stylegan", "graph_burgess_vae", "graph_traced", "graph_twice",
              "graph_phase_convs", "graph_phase_narrow", "shared_btcvae_celeba", "shared_cgan_mnist"})
            QTest::newRow(n) << n;
    }
    void hybridsMatchForwardHooks()
    {
        QFETCH(QString, name);
        if (!manifest().contains(name))
            QSKIP("the third-party checkpoint is not in ../shared/checkpoints: skipped");
        Case c = load(name);
        QCOMPARE(c.model->discovery().method, std::string("graph"));
        const lx::Array both =
            c.model->generate(concatRows(c.z1, c.z2), c.c1.numel() ? concatRows(c.c1, c.c2) : lx::Array());
        LX_VERIFY_CLOSE(both, c.out, 1e-5f, "generate");
        lx::HybridEngine engine(*c.model);
        for (const QJsonValue& v : c.entry.value("layers").toArray()) {
            const QJsonObject layer = v.toObject();
            const std::string layerName = layer.value("name").toString().toStdString();
            const int index = c.model->requireLayer(layerName);
            engine.setInputs(index, c.z1, c.z2, c.c1, c.c2);
            const lx::Array want = lx::Npy::read(fixture(layer.value("hybrid").toString().toStdString()));
            LX_VERIFY_CLOSE(engine.hybrid(intsOf(layer.value("channels").toArray())), want, 1e-5f, layerName);
            // The empty set is the base image through the same suffix, bit for bit, and equals the model's own.
            QVERIFY2(engine.hybrid({}) == engine.original1(), layerName.c_str());
            LX_VERIFY_CLOSE(engine.original1(), both.rows(0, c.z1.dim(0)), 1e-5f, layerName + " original1");
            // The CLI's pair convenience gives the same.
            const lx::Array pairs = lx::HybridEngine::hybridPairs(
                *c.model, index, intsOf(layer.value("channels").toArray()), concatRows(c.z1, c.z2), 2,
                c.c1.numel() ? concatRows(c.c1, c.c2) : lx::Array());
            LX_VERIFY_CLOSE(pairs, want, 1e-5f, layerName + " hybridPairs");
        }
    }

    void influenceMapsMatchDefinition_data() { hybridsMatchForwardHooks_data(); }
    void influenceMapsMatchDefinition()
    {
        QFETCH(QString, name);
        if (!manifest().contains(name))
            QSKIP("the third-party checkpoint is not in ../shared/checkpoints: skipped");
        Case c = load(name);
        const QJsonObject inf = c.entry.value("influence").toObject();
        const int layer = c.model->requireLayer(inf.value("layer").toString().toStdString());
        const lx::Array want = lx::Npy::read(fixture(inf.value("maps").toString().toStdString()));
        const lx::Array z = concatRows(c.z1, c.z2);
        const lx::Array classes = c.c1.numel() ? concatRows(c.c1, c.c2) : lx::Array();
        for (const bool shortcut : {true, false}) {
            lx::InfluenceOptions options;
            options.linearShortcut = shortcut;
            options.pairChunk = 2; // two chunks of pairs, batched channels
            const lx::Array got = lx::InfluenceEngine::elementaryMaps(*c.model, layer, z, classes, options);
            QCOMPARE(got.shape(), want.shape());
            LX_VERIFY_CLOSE(got, want, 1e-5f, std::string(shortcut ? "fast path" : "generic path"));
        }
        LX_VERIFY_CLOSE(lx::InfluenceEngine::elementaryMapsPlain(*c.model, layer, z, 2, nullptr, classes), want, 1e-5f,
                        std::string("plain"));
    }

    void layerNamesFollowTheModuleTree()
    {
        Case s = load("graph_stylegan");
        const auto st = names(*s.model);
        for (const char* n : {"mapping.0", "mapping.3", "conv0", "conv0.affine", "act", "act@2", "rgb0",
                              "blocks.0.conv_up", "blocks.0.torgb", "blocks.1.conv"})
            QVERIFY2(has(st, n), n);
        // A container is a layer too, before its children, even where its value is its last child's;
        // a block returning (x, rgb) is no layer, and says why.
        QVERIFY(has(st, "mapping"));
        QVERIFY(std::find(st.begin(), st.end(), "mapping") < std::find(st.begin(), st.end(), "mapping.0"));
        QVERIFY(!has(st, "blocks.0"));
        const auto said = [](const lx::Model& m, const std::string& line) {
            for (const std::string& why : m.discovery().rejected) {
                if (why == line)
                    return true;
            }
            return false;
        };
        QVERIFY(said(*s.model, "blocks.0: does not return a tensor"));
        // The last act call's result is never used.
        QVERIFY(!has(st, "act@3"));
        QVERIFY(said(*s.model, "act@3: does not reach the output"));
        const lx::LayerInfo& up = s.model->layers()[size_t(s.model->requireLayer("blocks.0.conv_up"))];
        QCOMPARE(up.type, std::string("ModConv"));
        QCOMPARE(up.shape, (std::vector<int64_t>{8, 8, 8}));

        Case b = load("graph_biggan");
        const auto bg = names(*b.model);
        for (const char* n : {"shared", "linear", "blocks.0", "blocks.0.bn1", "blocks.0.bn1.bn", "blocks.0.conv1",
                              "blocks.2.skip", "out_bn", "out_conv"})
            QVERIFY2(has(bg, n), n);
        QCOMPARE(b.model->layers()[size_t(b.model->requireLayer("blocks.1"))].shape, (std::vector<int64_t>{8, 16, 16}));

        Case t = load("graph_twice");
        QCOMPARE(names(*t.model), (std::vector<std::string>{"fc", "block", "block@2", "out"}));

        // Traced: the same attribute paths.
        Case r = load("graph_traced");
        QCOMPARE(names(*r.model), (std::vector<std::string>{"fc", "up", "bn", "conv", "out"}));
        QCOMPARE(r.model->layers()[1].type, std::string("ConvTranspose2d"));

        Case v = load("graph_burgess_vae");
        QCOMPARE(v.model->discovery().path, std::string("decode"));
        QCOMPARE(names(*v.model), (std::vector<std::string>{"lin1", "lin2", "lin3", "convT1", "convT2", "convT3"}));
    }

    void crossClassHybrid()
    {
        Case b = load("graph_biggan");
        const QJsonObject cross = b.entry.value("cross_class").toObject();
        lx::HybridEngine engine(*b.model);
        engine.setInputs(b.model->requireLayer(cross.value("layer").toString().toStdString()), b.z1, b.z2, b.c1, b.c2);
        const lx::Array base = engine.hybrid({});
        engine.setClassSource(lx::HybridEngine::ClassSource::Donor);
        const lx::Array donor = engine.hybrid({});
        LX_VERIFY_CLOSE(donor, lx::Npy::read(fixture(cross.value("hybrid").toString().toStdString())), 1e-5f,
                        std::string("donor class after blocks.0"));
        QVERIFY(lxtest::maxAbsDiff(donor, base) > 1e-3f);

        // In the conditional DCGAN the class enters before main.0 only: the donor's class changes nothing there.
        Case d = load("graph_cond_dcgan");
        lx::HybridEngine dc(*d.model);
        dc.setInputs(d.model->requireLayer("main.0"), d.z1, d.z2, d.c1, d.c2);
        const lx::Array before = dc.hybrid({1, 2});
        dc.setClassSource(lx::HybridEngine::ClassSource::Donor);
        QVERIFY(dc.hybrid({1, 2}) == before);
    }

    void classInputErrors()
    {
        Case d = load("graph_cond_dcgan");
        lx::Model& m = *d.model;
        LX_VERIFY_ERROR(m.generate(d.z1),
                        "class-conditional (card class_input, 4 classes): give one class index per latent");
        LX_VERIFY_ERROR(m.generate(d.z1, lx::Array({3}, {0.0f, 4.0f, 1.0f})), "class 4 (at 1) is out of range [0, 4)");
        LX_VERIFY_ERROR(m.generate(d.z1, lx::Array({3}, {0.0f, 1.5f, 1.0f})), "is not a whole number");
        LX_VERIFY_ERROR(m.generate(d.z1, lx::Array({2}, {0.0f, 1.0f})), "2 class indices for 3 latents");
        QCOMPARE(m.card().inputClasses, (std::vector<std::string>{"a", "b", "c", "d"}));
        // lx_export.py writes class_input into the card: the same weights give the same images.
        auto exported = lx::Model::load(fixture("graph_cond_dcgan_export.pt"));
        QVERIFY(exported->card().classEncoding == lx::ClassEncoding::Index);
        QCOMPARE(exported->card().inputClasses, m.card().inputClasses);
        QVERIFY(lxtest::maxAbsDiff(exported->generate(d.z1, d.c1), m.generate(d.z1, d.c1)) < 1e-6f);
        auto plain = lx::Model::load(fixture("graph_twice.pt"));
        LX_VERIFY_ERROR(plain->generate(lx::Array({1, 8}), lx::Array({1}, {0.0f})), "not class-conditional");
    }

    void classMixtures()
    {
        Case b = load("graph_biggan");
        lx::Model& m = *b.model;
        const QJsonObject mix = b.entry.value("mixture").toObject();
        const lx::Array w = lx::Npy::read(fixture(mix.value("weights").toString().toStdString()));
        // Class weights go to a one-hot model as y unchanged: the eager model's output for them.
        LX_VERIFY_CLOSE(m.generate(b.z1, w), lx::Npy::read(fixture(mix.value("output").toString().toStdString())),
                        1e-5f, std::string("generate with class weights"));
        // The path's ends are the classes themselves, bit for bit; its middle is what the eager model makes
        // of (1 - t) e_1 + t e_3 (t = 0.5 is the fixture's second row).
        const lx::Array path = lx::Exploration::classPath(5, 1, 3, 3);
        QCOMPARE(path.shape(), (std::vector<int64_t>{3, 5}));
        QCOMPARE(path.row(0).data(), (std::vector<float>{0, 1, 0, 0, 0}));
        QCOMPARE(path.row(2).data(), (std::vector<float>{0, 0, 0, 1, 0}));
        QCOMPARE(path.row(1).data(), w.row(1).data());
        const lx::Array z0 = b.z1.rows(0, 1);
        QVERIFY(m.generate(z0, path.rows(0, 1)) == m.generate(z0, lx::Array({1}, {1.0f})));
        QVERIFY(m.generate(z0, path.rows(2, 3)) == m.generate(z0, lx::Array({1}, {3.0f})));
        // A hybrid of mixed classes with no channel swapped is the base image of its mixture.
        lx::HybridEngine engine(m);
        engine.setInputs(m.requireLayer("blocks.1"), b.z1, b.z2, w, b.c2);
        LX_VERIFY_CLOSE(engine.hybrid({}), m.generate(b.z1, w), 1e-6f, std::string("hybrid({}) of mixtures"));

        LX_VERIFY_ERROR(lx::Exploration::classAt(5, 1, 5, 0.5), "class 5 is out of range [0, 5)");
        LX_VERIFY_ERROR(lx::Exploration::classAt(5, 1, 2, 1.5), "t must lie in [0, 1]");
        LX_VERIFY_ERROR(m.generate(z0, lx::Array({1, 5}, {0.5f, 0.6f, 0, 0, 0})), "sum to 1.1");
        LX_VERIFY_ERROR(m.generate(z0, lx::Array({1, 5}, {1.5f, -0.5f, 0, 0, 0})), "is negative");
        LX_VERIFY_ERROR(m.generate(z0, lx::Array({1, 4}, {1, 0, 0, 0})), "class weights of shape [1, 5]");
        Case d = load("graph_cond_dcgan");
        LX_VERIFY_ERROR(d.model->generate(d.z1.rows(0, 1), lx::Array({1, 4}, {1, 0, 0, 0})),
                        "class weights need a model with class_input encoding \"onehot\"");
    }

    // The module grid and the Explore transform of a class-conditional model: cell (i, i) of a grid whose
    // rows are z1 (classes c1) and columns z2 (classes c2) is pair i's hybrid, the eager hook reference.
    void gridsAndTransformsTakeClasses()
    {
        Case d = load("graph_cond_dcgan");
        lx::Model& m = *d.model;
        const QJsonObject layer = d.entry.value("layers").toArray().at(1).toObject(); // main.0
        const int l = m.requireLayer(layer.value("name").toString().toStdString());
        const std::vector<int> channels = intsOf(layer.value("channels").toArray());
        const lx::Array want = lx::Npy::read(fixture(layer.value("hybrid").toString().toStdString()));
        lx::ClassInputs classes{d.c1, d.c2};
        const lx::HybridGridResult grid = lx::HybridGrid::compute(m, l, channels, d.z1, d.z2, {}, nullptr, classes);
        for (int64_t i = 0; i < d.z1.dim(0); ++i)
            LX_VERIFY_CLOSE(grid.cell(i, i), want.row(i), 1e-5f, "grid cell " + std::to_string(i));
        QVERIFY(grid.originals == m.generate(d.z1, d.c1));
        QVERIFY(grid.donors == m.generate(d.z2, d.c2));
        // Exploration::transformed: the same hybrids, one donor per row.
        const lx::Array t =
            lx::Exploration::transformed(m, l, d.z1, d.z2, channels, lx::LayerEdit{}, {}, nullptr, classes);
        LX_VERIFY_CLOSE(t, want, 1e-5f, std::string("transformed"));
        QVERIFY(lx::Exploration::transformed(m, l, d.z1, d.z2, {}, lx::LayerEdit{}, {}, nullptr, classes)
                == m.generate(d.z1, d.c1));

        LX_VERIFY_ERROR(lx::HybridGrid::compute(m, l, channels, d.z1, d.z2),
                        "give one class per row (3) and per column (3)");
        lx::ClassInputs few{d.c1.rows(0, 2), d.c2};
        LX_VERIFY_ERROR(lx::HybridGrid::compute(m, l, channels, d.z1, d.z2, {}, nullptr, few), "not 2 and 3");
        auto plain = lx::Model::load(fixture("graph_twice.pt"));
        const lx::Array z = lx::Array({1, 8});
        LX_VERIFY_ERROR(lx::HybridGrid::compute(*plain, 0, {0}, z, z, {}, nullptr,
                                                lx::ClassInputs{lx::Array({1}, {0.0f}), lx::Array({1}, {0.0f})}),
                        "not class-conditional");
    }

    void modelWithoutSubmodulesSaysWhy()
    {
        auto m = lx::Model::load(fixture("graph_no_modules.pt"));
        QVERIFY(m->layers().empty());
        QVERIFY(!m->discovery().rejected.empty());
        QVERIFY(lxtest::contains(m->discovery().rejected.back(), "no submodule call"));
    }
};

QTEST_APPLESS_MAIN(TestModelGraph)
#include "test_ModelGraph.moc"
