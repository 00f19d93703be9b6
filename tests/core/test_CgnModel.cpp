// lx::CgnModel on the hand-built CGNs of tests/fixtures/make_cgn_fixtures.py, whose outputs are known in
// closed form (see the comment block at the top of that script).
#include "TestSupport.h"

#include "lx/CgnModel.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"

#include <cmath>
#include <set>

namespace {

using lxtest::fixture;
constexpr int kH = 8, kW = 8;
const int kRows[3] = {2, 4, 6};
const double kFg[3][3] = {{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
const double kBg[3][3] = {{-1, 1, 1}, {1, -1, 1}, {1, 1, -1}};
const float kLow = 1e-4f, kHigh = 0.9999f;

lx::CgnMechanismInput pure(int k, uint64_t seed) { return {k, k, 0.0, seed}; }

lx::CgnRequest request(int shape, int texture, int background, uint64_t s0, uint64_t s1, uint64_t s2)
{
    return {pure(shape, s0), pure(texture, s1), pure(background, s2)};
}

// t = tanh(u[0]) for the mechanism's noise.
double tOf(uint64_t seed) { return std::tanh(double(lx::LatentSampler({4}).sample({seed}).ptr()[0])); }

double weight(const lx::CgnMechanismInput& in, int k)
{
    return (in.classA == k ? 1.0 - in.mix : 0.0) + (in.classB == k ? in.mix : 0.0);
}

// The documented raw outputs (before clamping / shuffling).
double premaskAt(const lx::CgnMechanismInput& in, int r)
{
    double v = tOf(in.seed);
    for (int k = 0; k < 3; ++k)
        v += weight(in, k) * (r < kRows[k] ? 5.0 : -5.0);
    return v;
}
double foregroundAt(const lx::CgnMechanismInput& in, int ch, int r, int c)
{
    double v = 0.2 * (r * 8 + c) / 64.0 + 0.1 * tOf(in.seed);
    for (int k = 0; k < 3; ++k)
        v += weight(in, k) * 0.6 * kFg[k][ch];
    return v;
}
double backgroundAt(const lx::CgnMechanismInput& in, int ch, int r, int c)
{
    double v = 0.5 * c / 7.0 + 0.05 * r / 7.0 - 0.25 + 0.1 * tOf(in.seed);
    for (int k = 0; k < 3; ++k)
        v += weight(in, k) * 0.3 * kBg[k][ch];
    return v;
}

float at(const lx::Array& a, int64_t n, int64_t ch, int r, int c)
{
    return a.ptr()[((n * a.dim(1) + ch) * kH + r) * kW + c];
}

// The shuffler by hand: shown[ch, r, c] = raw[ch, (r + dy) % H, (c + dx) % W].
lx::Array roll(const lx::Array& raw, const std::vector<uint64_t>& seeds)
{
    lx::Array out(raw.shape());
    for (int64_t n = 0; n < raw.dim(0); ++n) {
        const auto [dy, dx] = lx::CgnModel::shuffleOffset(seeds[size_t(n)], kH, kW);
        for (int64_t ch = 0; ch < raw.dim(1); ++ch)
            for (int r = 0; r < kH; ++r)
                for (int c = 0; c < kW; ++c)
                    out.ptr()[((n * raw.dim(1) + ch) * kH + r) * kW + c] = at(raw, n, ch, (r + dy) % kH, (c + dx) % kW);
    }
    return out;
}

} // namespace

class TestCgnModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsKnownModel()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known.pt"));
        QCOMPARE(m->classCount(), 3);
        QCOMPARE(m->latentSize(), int64_t(4));
        QCOMPARE(m->imageShape(), (std::vector<int64_t>{3, 8, 8}));
        QCOMPARE(m->card().classes, (std::vector<std::string>{"top2", "top4", "top6"}));
        QVERIFY(m->card().shuffle == lx::CgnShuffle::Tile2x2);
        QCOMPARE(m->card().maskLow, 1e-4);
        QCOMPARE(m->path(), fixture("cgn_known.pt"));
        QVERIFY(!m->deviceName().empty());
        QVERIFY(lx::Model::readCard(fixture("cgn_known.pt")).kind == lx::ModelKind::Cgn);
        // The sidecar variant.
        auto plain = lx::CgnModel::load(fixture("cgn_known_noshuffle.pt"));
        QVERIFY(plain->card().shuffle == lx::CgnShuffle::None);
        QCOMPARE(plain->card().name, std::string("known CGN, no shuffler"));
    }

    // Every part of a render against the closed form, shuffler included.
    void knownOutputs()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known.pt"));
        const std::vector<lx::CgnRequest> requests{request(1, 0, 2, 5, 6, 7), request(0, 2, 1, 11, 12, 13),
                                                   request(2, 1, 0, 0, 1, 2)};
        const lx::CgnImages x = m->render(requests);
        QCOMPARE(x.premask.shape(), (std::vector<int64_t>{3, 1, 8, 8}));
        QCOMPARE(x.mask.shape(), (std::vector<int64_t>{3, 1, 8, 8}));
        QCOMPARE(x.foreground.shape(), (std::vector<int64_t>{3, 3, 8, 8}));
        QCOMPARE(x.background.shape(), (std::vector<int64_t>{3, 3, 8, 8}));
        QCOMPARE(x.composite.shape(), (std::vector<int64_t>{3, 3, 8, 8}));
        double worst = 0.0;
        for (int64_t n = 0; n < 3; ++n) {
            const lx::CgnRequest& q = requests[size_t(n)];
            const auto [fy, fx] = lx::CgnModel::shuffleOffset(q.texture.seed, kH, kW);
            const auto [by, bx] = lx::CgnModel::shuffleOffset(q.background.seed, kH, kW);
            for (int r = 0; r < kH; ++r) {
                for (int c = 0; c < kW; ++c) {
                    worst = std::max(worst, std::fabs(at(x.premask, n, 0, r, c) - premaskAt(q.shape, r)));
                    const float m01 = r < kRows[q.shape.classA] ? kHigh : kLow;
                    QCOMPARE(at(x.mask, n, 0, r, c), m01); // exact: the clamp bounds themselves
                    for (int ch = 0; ch < 3; ++ch) {
                        const double f = foregroundAt(q.texture, ch, (r + fy) % kH, (c + fx) % kW);
                        const double b = backgroundAt(q.background, ch, (r + by) % kH, (c + bx) % kW);
                        worst = std::max(worst, std::fabs(at(x.foreground, n, ch, r, c) - f));
                        worst = std::max(worst, std::fabs(at(x.background, n, ch, r, c) - b));
                        worst = std::max(worst, std::fabs(at(x.composite, n, ch, r, c) - (m01 * f + (1.0 - m01) * b)));
                    }
                }
            }
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString("max deviation from the closed form %1").arg(worst)));
    }

    void compositeIdentity()
    {
        lx::Array f({2, 3, 4, 5}), b({2, 3, 4, 5});
        for (int64_t i = 0; i < f.numel(); ++i) {
            f.data()[size_t(i)] = std::sin(0.37f * float(i));
            b.data()[size_t(i)] = std::cos(0.11f * float(i)) - 0.5f;
        }
        lx::Array ones({2, 1, 4, 5}), zeros({2, 1, 4, 5}), half({2, 1, 4, 5});
        std::fill(ones.data().begin(), ones.data().end(), 1.0f);
        std::fill(half.data().begin(), half.data().end(), 0.25f);
        QVERIFY(lx::CgnModel::composite(ones, f, b) == f);
        QVERIFY(lx::CgnModel::composite(zeros, f, b) == b);
        const lx::Array q = lx::CgnModel::composite(half, f, b);
        for (int64_t i = 0; i < f.numel(); ++i)
            QVERIFY(std::fabs(q.data()[size_t(i)] - (0.25f * f.data()[size_t(i)] + 0.75f * b.data()[size_t(i)]))
                    < 1e-7f);
        LX_VERIFY_ERROR(lx::CgnModel::composite(lx::Array({2, 3, 4, 5}), f, b), "expected mask [N, 1, H, W]");
        LX_VERIFY_ERROR(lx::CgnModel::composite(ones, f, lx::Array({2, 3, 4, 4})), "expected mask [N, 1, H, W]");
        LX_VERIFY_ERROR(lx::CgnModel::composite(lx::Array({1, 1, 4, 5}), f, b), "expected mask [N, 1, H, W]");
    }

    // Changing one mechanism's class or seed changes nothing of the others.
    void mechanismsAreIndependent()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known.pt"));
        const lx::CgnImages a = m->render({request(1, 0, 0, 3, 4, 5)});
        const lx::CgnImages bgChanged = m->render({request(1, 0, 2, 3, 4, 99)});
        QVERIFY(bgChanged.premask == a.premask);
        QVERIFY(bgChanged.mask == a.mask);
        QVERIFY(bgChanged.foreground == a.foreground);
        QVERIFY(bgChanged.background != a.background);
        const lx::CgnImages fgChanged = m->render({request(1, 2, 0, 3, 77, 5)});
        QVERIFY(fgChanged.mask == a.mask);
        QVERIFY(fgChanged.background == a.background);
        QVERIFY(fgChanged.foreground != a.foreground);
        const lx::CgnImages shapeChanged = m->render({request(2, 0, 0, 8, 4, 5)});
        QVERIFY(shapeChanged.foreground == a.foreground);
        QVERIFY(shapeChanged.background == a.background);
        QVERIFY(shapeChanged.mask != a.mask);
    }

    // Same request, same pixels, alone or in a batch that spans chunks; another seed differs.
    void deterministicPerSeed()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known.pt"));
        std::vector<lx::CgnRequest> many;
        for (int i = 0; i < 300; ++i)
            many.push_back(
                request(i % 3, (i / 3) % 3, (i / 9) % 3, uint64_t(i), uint64_t(1000 + i), uint64_t(2000 + i)));
        const lx::CgnImages batch = m->render(many);
        for (int i : {0, 1, 255, 256, 299}) {
            const lx::CgnImages one = m->render({many[size_t(i)]});
            QVERIFY(one.composite == lx::Array(batch.composite.row(i)).reshaped({1, 3, 8, 8}));
            QVERIFY(one.mask == lx::Array(batch.mask.row(i)).reshaped({1, 1, 8, 8}));
        }
        QVERIFY(m->render({many[7]}).composite == m->render({many[7]}).composite);
        lx::CgnRequest other = many[7];
        other.texture.seed += 1;
        QVERIFY(m->render({other}).foreground != m->render({many[7]}).foreground);
        QCOMPARE(m->render({}).composite.shape(), (std::vector<int64_t>{0, 3, 8, 8}));
    }

    // A class mix between the clamp bounds: rows where the classes disagree get clamp(t) exactly.
    void clampIsExact()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known.pt"));
        int interior = 0; // seeds whose t lies strictly inside the clamp range
        for (uint64_t seed = 0; seed < 12; ++seed) {
            lx::CgnRequest q = request(0, 0, 0, seed, 1, 2);
            q.shape = {0, 2, 0.5, seed};
            const lx::CgnImages x = m->render({q});
            const float t = float(tOf(seed));
            interior += t > kLow && t < kHigh;
            for (int r = 0; r < kH; ++r) {
                const float want = r < 2 ? kHigh : r < 6 ? std::clamp(at(x.premask, 0, 0, r, 0), kLow, kHigh) : kLow;
                for (int c = 0; c < kW; ++c)
                    QCOMPARE(at(x.mask, 0, 0, r, c), want);
                if (r >= 2 && r < 6)
                    QVERIFY(std::fabs(at(x.premask, 0, 0, r, 0) - t) < 1e-6f);
            }
        }
        QVERIFY(interior >= 2);
    }

    // tile2x2 is a circular shift of what the same model gives without the shuffler.
    void shuffleIsCircularShift()
    {
        auto shuffled = lx::CgnModel::load(fixture("cgn_known.pt"));
        auto plain = lx::CgnModel::load(fixture("cgn_known_noshuffle.pt"));
        std::vector<lx::CgnRequest> requests;
        std::vector<uint64_t> fgSeeds, bgSeeds;
        for (uint64_t s = 0; s < 20; ++s) {
            requests.push_back(request(int(s % 3), int((s + 1) % 3), int((s + 2) % 3), s, 100 + s, 200 + s));
            fgSeeds.push_back(100 + s);
            bgSeeds.push_back(200 + s);
        }
        const lx::CgnImages a = shuffled->render(requests), b = plain->render(requests);
        QVERIFY(a.mask == b.mask);
        QVERIFY(a.foreground == roll(b.foreground, fgSeeds));
        QVERIFY(a.background == roll(b.background, bgSeeds));
        QVERIFY(a.foreground != b.foreground);
        QVERIFY(a.composite
                == lx::CgnModel::composite(b.mask, roll(b.foreground, fgSeeds), roll(b.background, bgSeeds)));
        // Offsets: deterministic, in range, and varied.
        std::set<std::pair<int, int>> seen;
        for (uint64_t s = 0; s < 64; ++s) {
            const auto o = lx::CgnModel::shuffleOffset(s, kH, kW);
            QVERIFY(o == lx::CgnModel::shuffleOffset(s, kH, kW));
            QVERIFY(o.first >= 0 && o.first < kH && o.second >= 0 && o.second < kW);
            seen.insert(o);
        }
        QVERIFY(seen.size() > 30);
        QVERIFY(lx::CgnModel::shuffleOffset(5, 1, 1) == std::make_pair(0, 0));
        LX_VERIFY_ERROR(lx::CgnModel::shuffleOffset(5, 0, 8), "is empty");
    }

    // Mix 0 and 1 are the pure classes; 0.5 is the model's output for the averaged class weights.
    void classMix()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known_noshuffle.pt"));
        const lx::CgnRequest a = request(0, 0, 0, 3, 4, 5), b = request(2, 1, 1, 3, 4, 5);
        lx::CgnRequest at0 = a, at1 = a, half = a;
        for (auto* q : {&at0, &at1, &half}) {
            q->shape.classB = 2;
            q->texture.classB = 1;
            q->background.classB = 1;
        }
        at0.shape.mix = at0.texture.mix = at0.background.mix = 0.0;
        at1.shape.mix = at1.texture.mix = at1.background.mix = 1.0;
        half.shape.mix = half.texture.mix = half.background.mix = 0.5;
        const lx::CgnImages pa = m->render({a}), pb = m->render({b}), x0 = m->render({at0}), x1 = m->render({at1});
        QVERIFY(x0.composite == pa.composite && x0.premask == pa.premask);
        QVERIFY(x1.composite == pb.composite && x1.premask == pb.premask);

        const lx::CgnImages xh = m->render({half});
        // The model's own output for y = (onehot(0) + onehot(2)) / 2 with the shape seed's noise.
        const lx::Array u = lx::LatentSampler({4}).sample({3});
        const lx::CgnImages shared = m->renderShared(u, lx::Array({1, 3}, {0.5f, 0.0f, 0.5f}));
        QVERIFY(xh.premask == shared.premask);
        QVERIFY(xh.mask == shared.mask);
        // Linear in y: the midpoint of the pure outputs.
        lx::Array mid = pa.premask;
        for (int64_t i = 0; i < mid.numel(); ++i)
            mid.data()[size_t(i)] = 0.5f * (pa.premask.data()[size_t(i)] + pb.premask.data()[size_t(i)]);
        QVERIFY(lxtest::maxAbsDiff(xh.premask, mid) < 1e-6f);
        QVERIFY(std::fabs(at(xh.foreground, 0, 0, 0, 0) - foregroundAt(half.texture, 0, 0, 0)) < 1e-6);
    }

    void renderSharedMatchesClosedForm()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known.pt"));
        const lx::Array u = lx::LatentSampler({4}).sample({9, 10});
        const lx::Array y({2, 3}, {0, 1, 0, 0.25f, 0, 0.75f});
        const lx::CgnImages x = m->renderShared(u, y); // no shuffler here
        const lx::CgnMechanismInput in0{1, 1, 0.0, 9}, in1{0, 2, 0.75, 10};
        double worst = 0.0;
        for (int r = 0; r < kH; ++r) {
            for (int c = 0; c < kW; ++c) {
                worst = std::max(worst, std::fabs(at(x.premask, 0, 0, r, c) - premaskAt(in0, r)));
                worst = std::max(worst, std::fabs(at(x.premask, 1, 0, r, c) - premaskAt(in1, r)));
                worst = std::max(worst, std::fabs(at(x.foreground, 1, 2, r, c) - foregroundAt(in1, 2, r, c)));
                worst = std::max(worst, std::fabs(at(x.background, 0, 1, r, c) - backgroundAt(in0, 1, r, c)));
            }
        }
        QVERIFY(worst < 1e-5);
        QVERIFY(x.composite == lx::CgnModel::composite(x.mask, x.foreground, x.background));
        LX_VERIFY_ERROR(m->renderShared(lx::Array({2, 5}), y), "expected noise u [N, 4] and class weights y [N, 3]");
        LX_VERIFY_ERROR(m->renderShared(u, lx::Array({1, 3})), "expected noise u [N, 4]");
        lx::Array nan = u;
        nan.data()[1] = NAN;
        LX_VERIFY_ERROR(m->renderShared(nan, y), "NaN or Inf");
    }

    void errors()
    {
        auto m = lx::CgnModel::load(fixture("cgn_known.pt"));
        LX_VERIFY_ERROR(m->render({request(3, 0, 0, 0, 0, 0)}), "shape: class 3 out of range (the model has 3 classes");
        LX_VERIFY_ERROR(m->render({request(0, -1, 0, 0, 0, 0)}), "texture: class -1 out of range");
        lx::CgnRequest q = request(0, 0, 0, 0, 0, 0);
        q.background = {0, 1, 1.5, 0};
        LX_VERIFY_ERROR(m->render({q}), "background: class mix 1.5");
        q.background = {0, 1, NAN, 0};
        LX_VERIFY_ERROR(m->render({q}), "background: class mix nan outside [0, 1]");
        q.background = {0, 3, 0.5, 0};
        LX_VERIFY_ERROR(m->render({q}), "background: class 3 out of range");

        LX_VERIFY_ERROR(lx::CgnModel::load(fixture("cgn_nomethod.pt")),
                        "model has no method 'background' (a cgn needs premask, foreground, background)");
        LX_VERIFY_ERROR(lx::CgnModel::load(fixture("cgn_wrongshape.pt")),
                        "premask returns [2, 1, 4, 4], expected [2, 1, 8, 8] (card output_shape [3, 8, 8])");
        LX_VERIFY_ERROR(lx::CgnModel::load(fixture("cgn_classcount.pt")), "premask fails on u [2, 4] and y [2, 4]");
        LX_VERIFY_ERROR(lx::CgnModel::load(fixture("cgn_nocard.pt")), "no model card");
        LX_VERIFY_ERROR(lx::CgnModel::load(fixture("tiny_gen.pt")), "the card says generator, not cgn");
        LX_VERIFY_ERROR(lx::CgnModel::load(fixture("no_such_cgn.pt")), "no such file");
        LX_VERIFY_ERROR(lx::Model::load(fixture("cgn_known.pt")), "the card says cgn");

        // NaN only for background class 2: loading (probe with class 0) and other classes work.
        auto nan = lx::CgnModel::load(fixture("cgn_nan.pt"));
        QCOMPARE(nan->render({request(2, 2, 1, 0, 0, 0)}).composite.dim(0), int64_t(1));
        LX_VERIFY_ERROR(nan->render({request(0, 0, 1, 0, 0, 0), request(0, 0, 2, 0, 0, 41)}),
                        "background returned NaN or Inf (class 2, seed 41)");
    }
};

QTEST_APPLESS_MAIN(TestCgnModel)
#include "test_CgnModel.moc"
