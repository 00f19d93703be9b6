// lx::VqModel on the hand-built VQ-VAEs of tests/fixtures/make_vq_fixtures.py, whose codes, transition,
// adjacency and retrieval probabilities are known in closed form (see the docstring of that script),
// and, when it is in the checkout, on the bundled CT-VAE models/ctvae_shapes.pt.
#include "TestSupport.h"

#include "lx/Model.h"
#include "lx/ShapesDataset.h"
#include "lx/SplitMix64.h"
#include "lx/VqModel.h"
#include "lx/VqPairs.h"

#include <QFileInfo>

#include <cmath>
#include <set>

namespace {

using lxtest::fixture;
constexpr int64_t kB = 2, kRows = 3, kCols = 4, kM = kB * kRows * kCols, kK = 5, kF = 3, kA = 6;

float& code(lx::Array& c, int64_t n, int64_t b, int64_t i, int64_t j)
{
    return c.ptr()[((n * kB + b) * kRows + i) * kCols + j];
}
float code(const lx::Array& c, int64_t n, int64_t b, int64_t i, int64_t j)
{
    return c.ptr()[((n * kB + b) * kRows + i) * kCols + j];
}

lx::Array randomCodes(int64_t n, uint64_t seed)
{
    lx::SplitMix64 rng(seed);
    lx::Array c({n, kB, kRows, kCols});
    for (float& v : c.data())
        v = float(rng.below(kK));
    return c;
}

// The documented transition: action a moves row a mod F by +s in code map 0 and -s in code map 1
// (s = +1 for a < F, -1 otherwise), mod K; kIdentity changes nothing.
lx::Array expectedApply(const lx::Array& codes, const std::vector<int>& actions)
{
    lx::Array out = codes;
    for (int64_t n = 0; n < codes.dim(0); ++n) {
        const int a = actions[size_t(n)];
        if (a < 0)
            continue;
        const int64_t row = a % kF, s = a < kF ? 1 : -1;
        for (int64_t j = 0; j < kCols; ++j) {
            code(out, n, 0, row, j) = float((int64_t(code(codes, n, 0, row, j)) + s + kK) % kK);
            code(out, n, 1, row, j) = float((int64_t(code(codes, n, 1, row, j)) - s + kK) % kK);
        }
    }
    return out;
}

// The documented adjacency: 0.5 on the diagonal, w (1 for +, 0.75 for -) between distinct nodes of row a mod F.
lx::Array expectedAdjacency(int a)
{
    lx::Array adj({kM, kM});
    for (int64_t i = 0; i < kM; ++i) {
        adj.ptr()[i * kM + i] = 0.5f;
        if (a < 0)
            continue;
        for (int64_t j = 0; j < kM; ++j) {
            const bool inRow = (i / kCols) % kRows == a % kF && (j / kCols) % kRows == a % kF;
            if (i != j && inRow)
                adj.ptr()[i * kM + j] = a < kF ? 1.0f : 0.75f;
        }
    }
    return adj;
}

std::string bundled() { return lxtest::sourceDir() + "/models/ctvae_shapes.pt"; }

} // namespace

class TestVqModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsKnownModel()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        QCOMPARE(m->imageShape(), (std::vector<int64_t>{2, 24, 32}));
        QCOMPARE(m->gridShape(), (std::vector<int64_t>{2, 3, 4}));
        QCOMPARE(m->codebookSize(), kK);
        QCOMPARE(m->nodeCount(), kM);
        QVERIFY(m->hasTransition());
        QCOMPARE(m->actionCount(), int(kA));
        QCOMPARE(m->factorCount(), int(kF));
        QCOMPARE(m->actionNames(),
                 (std::vector<std::string>{"top+", "middle+", "bottom+", "top-", "middle-", "bottom-"}));
        QCOMPARE(m->actionIndex("middle+"), 1);
        QCOMPARE(m->actionIndex("bottom-"), 5);
        QCOMPARE(m->actionIndex("4"), 4);
        QCOMPARE(m->actionIndex("identity"), lx::VqModel::kIdentity);
        QCOMPARE(m->actionIndex("-1"), lx::VqModel::kIdentity);
        QCOMPARE(m->actionName(3), std::string("top-"));
        QCOMPARE(m->actionName(-1), std::string("identity"));
        QCOMPARE(m->card().factors, (std::vector<std::string>{"top", "middle", "bottom"}));
        QCOMPARE(m->card().outputHigh, 1.0);
        QCOMPARE(m->path(), fixture("vq_known.pt"));
        QVERIFY(!m->deviceName().empty());
        QVERIFY(lx::Model::readCard(fixture("vq_known.pt")).kind == lx::ModelKind::VqVae);

        // The sidecar card of a VQ-VAE without a transition.
        auto plain = lx::VqModel::load(fixture("vq_plain.pt"));
        QVERIFY(!plain->hasTransition());
        QCOMPARE(plain->actionCount(), 0);
        QCOMPARE(plain->card().name, std::string("known VQ, no transition"));
    }

    // Patch means quantised to the 5 levels, whatever the texture inside a patch.
    void encodesKnownImages()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        lx::Array x({2, 2, 24, 32});
        lx::Array want({2, kB, kRows, kCols});
        for (int64_t n = 0; n < 2; ++n) {
            for (int64_t b = 0; b < kB; ++b) {
                for (int64_t i = 0; i < kRows; ++i) {
                    for (int64_t j = 0; j < kCols; ++j) {
                        const int64_t k = (n * 7 + b * 12 + i * 4 + j) % kK;
                        code(want, n, b, i, j) = float(k);
                        const float level = float(k) / 4.0f;
                        const float d = level > 0.0f && level < 1.0f ? 0.1f : 0.0f; // a checkerboard keeps the mean
                        for (int64_t r = 0; r < 8; ++r)
                            for (int64_t c = 0; c < 8; ++c)
                                x.ptr()[((n * 2 + b) * 24 + i * 8 + r) * 32 + j * 8 + c] =
                                    level + ((r + c) % 2 ? d : -d);
                    }
                }
            }
        }
        QVERIFY(m->encode(x) == want);
        QCOMPARE(m->encode(lx::Array({0, 2, 24, 32})).shape(), (std::vector<int64_t>{0, 2, 3, 4}));
    }

    // decode fills each patch with its level; encode(decode(c)) == c exactly, across batch boundaries.
    void roundTrip()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        const lx::Array c = randomCodes(300, 7); // more than one batch of 256
        const lx::Array x = m->decode(c);
        QCOMPARE(x.shape(), (std::vector<int64_t>{300, 2, 24, 32}));
        for (int64_t n : {0, 255, 256, 299}) {
            for (int64_t b = 0; b < kB; ++b)
                for (int64_t r = 0; r < 24; ++r)
                    for (int64_t col = 0; col < 32; ++col)
                        QCOMPARE(x.ptr()[((n * 2 + b) * 24 + r) * 32 + col], code(c, n, b, r / 8, col / 8) / 4.0f);
        }
        QVERIFY(m->encode(x) == c);
        QVERIFY(m->decode(m->encode(x)) == x);
    }

    // A manual hard intervention changes that code only, and the decoded image in that patch only.
    void setCodeChangesOnlyThatPatch()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        const lx::Array c = randomCodes(3, 11);
        const int64_t was = int64_t(code(c, 1, 1, 2, 3)), now = (was + 2) % kK;
        const lx::Array edited = m->setCode(c, 1, 1, 2, 3, now);
        const std::vector<lx::VqCodeChange> changes = lx::VqModel::changedCodes(c, edited);
        QCOMPARE(changes.size(), size_t(1));
        QCOMPARE(changes[0].sample, int64_t(1));
        QCOMPARE(changes[0].node, int64_t(1 * 12 + 2 * 4 + 3));
        QCOMPARE(changes[0].codebook, int64_t(1));
        QCOMPARE(changes[0].row, int64_t(2));
        QCOMPARE(changes[0].col, int64_t(3));
        QCOMPARE(changes[0].before, was);
        QCOMPARE(changes[0].after, now);
        QVERIFY(m->setCode(c, 1, 1, 2, 3, was) == c);

        const lx::Array x = m->decode(c), y = m->decode(edited);
        int changed = 0;
        for (int64_t k = 0; k < x.numel(); ++k) {
            if (x.ptr()[k] == y.ptr()[k])
                continue;
            ++changed;
            const int64_t n = k / (2 * 24 * 32), ch = (k / (24 * 32)) % 2, r = (k / 32) % 24, col = k % 32;
            QVERIFY(n == 1 && ch == 1 && r >= 16 && col >= 24);
            QCOMPARE(y.ptr()[k], float(now) / 4.0f);
        }
        QCOMPARE(changed, 64);
        QVERIFY(lx::VqModel::changedCodes(c, c).empty());
    }

    void identityLeavesCodesUnchanged()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        const lx::Array c = randomCodes(270, 3);
        QVERIFY(m->apply(c, lx::VqModel::kIdentity) == c);
        const lx::Array t = m->trajectory(c.rows(0, 4), lx::VqModel::kIdentity, 3);
        QCOMPARE(t.shape(), (std::vector<int64_t>{4, 4, 2, 3, 4}));
        for (int64_t n = 0; n < 4; ++n)
            for (int64_t s = 0; s < 4; ++s)
                for (int64_t k = 0; k < kM; ++k)
                    QCOMPARE(t.ptr()[(n * 4 + s) * kM + k], c.ptr()[n * kM + k]);
    }

    // Each action changes exactly the 8 nodes of its row, by the documented amounts.
    void actionChangesKnownNodes()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        const lx::Array c = randomCodes(260, 5);
        for (int a = 0; a < kA; ++a) {
            const lx::Array after = m->apply(c, a);
            QVERIFY(after == expectedApply(c, std::vector<int>(260, a)));
            const std::vector<lx::VqCodeChange> changes = lx::VqModel::changedCodes(c, after);
            QCOMPARE(changes.size(), size_t(260 * 8));
            for (const lx::VqCodeChange& ch : changes)
                QCOMPARE(ch.row, int64_t(a % kF));
        }
        // One action per sample, identity included.
        std::vector<int> mixed;
        for (int n = 0; n < 260; ++n)
            mixed.push_back(n % 7 - 1);
        QVERIFY(m->apply(c, mixed) == expectedApply(c, mixed));
        // The logits themselves: 4 at the new code, 0 elsewhere.
        const lx::Array logits = m->transitionLogits(c.rows(0, 2), {1, -1});
        QCOMPARE(logits.shape(), (std::vector<int64_t>{2, 2, 3, 4, 5}));
        const lx::Array want = expectedApply(c.rows(0, 2), {1, -1});
        for (int64_t node = 0; node < 2 * kM; ++node)
            for (int64_t k = 0; k < kK; ++k)
                QCOMPARE(logits.ptr()[node * kK + k], want.ptr()[node] == float(k) ? 4.0f : 0.0f);
        // A trajectory of K steps comes back to the start (mod K); step s is s applications.
        const lx::Array t = m->trajectory(c.rows(0, 3), 2, 5);
        QCOMPARE(t.shape(), (std::vector<int64_t>{3, 6, 2, 3, 4}));
        lx::Array step = c.rows(0, 3);
        for (int64_t s = 0; s <= 5; ++s) {
            for (int64_t n = 0; n < 3; ++n)
                for (int64_t k = 0; k < kM; ++k)
                    QCOMPARE(t.ptr()[(n * 6 + s) * kM + k], step.ptr()[n * kM + k]);
            step = expectedApply(step, {2, 2, 2});
        }
        QVERIFY(step.rows(0, 3) == expectedApply(c.rows(0, 3), {2, 2, 2}));
        for (int64_t k = 0; k < 3 * kM; ++k)
            QCOMPARE(t.ptr()[(k / kM * 6 + 5) * kM + k % kM], c.ptr()[k]);
    }

    void adjacencyIsTheKnownMatrix()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        for (int a = -1; a < kA; ++a) {
            const lx::Array adj = m->adjacency(a);
            QCOMPARE(adj.shape(), (std::vector<int64_t>{kM, kM}));
            QVERIFY2(adj == expectedAdjacency(a), qPrintable(QString("action %1").arg(a)));
        }
        double sum = 0.0;
        const lx::Array top = m->adjacency(0);
        for (float v : top.data())
            sum += v;
        QCOMPARE(sum, 24 * 0.5 + 8 * 7 * 1.0);
    }

    // Retrieval on pairs (x, apply(x, t)) picks t; p matches the closed form and rows sum to 1.
    void retrievalPicksTrueAction()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        const int64_t n = 300;
        const lx::Array cx = randomCodes(n, 9);
        std::vector<int> truth;
        for (int64_t i = 0; i < n; ++i)
            truth.push_back(int((i * 5) % kA));
        const lx::Array cy = expectedApply(cx, truth);
        const lx::Array p = m->retrieval(m->decode(cx), m->decode(cy));
        QCOMPARE(p.shape(), (std::vector<int64_t>{n, kA}));
        const double c0 = std::log(1.0 + 4.0 * std::exp(-4.0));
        double worst = 0.0, worstSum = 0.0;
        for (int64_t i = 0; i < n; ++i) {
            const int t = truth[size_t(i)];
            double ce[kA], z = 0.0, sum = 0.0;
            for (int a = 0; a < kA; ++a) {
                const int mismatches = a == t ? 0 : a % kF == t % kF ? 8 : 16;
                ce[a] = c0 + 4.0 * mismatches / double(kM);
                z += std::exp(-ce[a]);
            }
            for (int a = 0; a < kA; ++a) {
                worst = std::max(worst, std::fabs(p.ptr()[i * kA + a] - std::exp(-ce[a]) / z));
                sum += p.ptr()[i * kA + a];
            }
            worstSum = std::max(worstSum, std::fabs(sum - 1.0));
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString("max deviation from the closed form %1").arg(worst)));
        QVERIFY(worstSum < 1e-5);
        QVERIFY(lx::VqModel::predictedActions(p) == truth);
        const lx::VqEvaluation e = lx::VqPairs::score(p, truth, m->factorCount());
        QCOMPARE(e.actionAccuracy, 1.0);
        QCOMPARE(e.factorAccuracy, 1.0);
        QVERIFY(m->retrievalFromCodes(cx, cy) == p);
    }

    void badInputs()
    {
        auto m = lx::VqModel::load(fixture("vq_known.pt"));
        const lx::Array c = randomCodes(2, 1);
        lx::Array bad = c;
        bad.ptr()[13] = NAN;
        LX_VERIFY_ERROR(m->decode(bad), "vq decode: codes: nan at [0, 1, 0, 1] is not a code index");
        bad.ptr()[13] = 2.5f;
        LX_VERIFY_ERROR(m->decode(bad), "codes: 2.5 at [0, 1, 0, 1] is not an integer code index");
        bad.ptr()[13] = 5.0f;
        LX_VERIFY_ERROR(m->apply(bad, 0),
                        "vq apply: codes: code 5 at [0, 1, 0, 1] is outside [0, 5) (card codebook_size)");
        bad.ptr()[13] = -1.0f;
        LX_VERIFY_ERROR(m->retrievalFromCodes(c, bad),
                        "vq retrieval: codes of y: code -1 at [0, 1, 0, 1] is outside [0, 5)");
        LX_VERIFY_ERROR(m->decode(lx::Array({2, 3, 4})),
                        "expected code indices [N, 2, 3, 4] (card grid_shape), got [2, 3, 4]");
        LX_VERIFY_ERROR(m->decode(lx::Array({2, 2, 4, 3})), "got [2, 2, 4, 3]");
        LX_VERIFY_ERROR(m->encode(lx::Array({1, 1, 24, 32})),
                        "vq encode: expected images [N, 2, 24, 32] (card input_shape), got [1, 1, 24, 32]");
        lx::Array x({1, 2, 24, 32});
        x.ptr()[5] = INFINITY;
        LX_VERIFY_ERROR(m->encode(x), "vq encode: images: contains NaN or Inf");
        LX_VERIFY_ERROR(m->apply(c, 6), "vq apply: action 6 outside [0, 6) (or -1 for the identity)");
        LX_VERIFY_ERROR(m->apply(c, -2), "action -2 outside [0, 6)");
        LX_VERIFY_ERROR(m->apply(c, std::vector<int>{0}), "vq apply: 1 actions for 2 samples");
        LX_VERIFY_ERROR(m->transitionLogits(c, {0, 9}), "vq transition: action 9 outside");
        LX_VERIFY_ERROR(m->adjacency(6), "vq adjacency: action 6 outside [0, 6)");
        LX_VERIFY_ERROR(m->trajectory(c, 0, -1), "vq trajectory: steps -1 outside");
        LX_VERIFY_ERROR(m->retrieval(lx::Array({2, 2, 24, 32}), lx::Array({1, 2, 24, 32})),
                        "vq retrieval: x [2, 2, 24, 32] and y [1, 2, 24, 32] differ in shape");
        LX_VERIFY_ERROR(m->retrievalFromCodes(c, c.rows(0, 1)), "vq retrieval: 2 codes of x but 1 of y");
        LX_VERIFY_ERROR(m->setCode(c, 0, 0, 0, 0, 5), "vq set code: code 5 outside [0, 5)");
        LX_VERIFY_ERROR(m->setCode(c, 0, 0, 0, 0, -1), "vq set code: code -1 outside [0, 5)");
        LX_VERIFY_ERROR(m->setCode(c, 0, 2, 0, 0, 1),
                        "position (codebook 2, row 0, column 0) outside the grid [2, 3, 4]");
        LX_VERIFY_ERROR(m->setCode(c, 0, 0, 3, 0, 1), "(codebook 0, row 3, column 0) outside the grid");
        LX_VERIFY_ERROR(m->setCode(c, 0, 0, 0, -1, 1), "column -1) outside the grid");
        LX_VERIFY_ERROR(m->setCode(c, 2, 0, 0, 0, 1), "vq set code: sample 2 outside [0, 2)");
        LX_VERIFY_ERROR(m->setCode(bad, 0, 0, 0, 0, 1), "vq set code: codes: code -1");
        LX_VERIFY_ERROR(lx::VqModel::changedCodes(c, c.rows(0, 1)),
                        "vq changed codes: expected two code arrays of one shape");
        LX_VERIFY_ERROR(m->actionIndex("sideways"),
                        "unknown action 'sideways' (actions: top+, middle+, bottom+, top-, middle-, bottom-");
        LX_VERIFY_ERROR(m->actionIndex("6"), "unknown action '6'");
        LX_VERIFY_ERROR(m->actionName(7), "action 7 outside [0, 6)");
        LX_VERIFY_ERROR(lx::VqModel::predictedActions(lx::Array({3})), "expected p [N, A]");

        auto plain = lx::VqModel::load(fixture("vq_plain.pt"));
        QVERIFY(plain->decode(c) == m->decode(c));
        LX_VERIFY_ERROR(plain->apply(c, 0),
                        "vq apply: " + fixture("vq_plain.pt") + " has no transition (its card lists no actions)");
        LX_VERIFY_ERROR(plain->adjacency(0), "has no transition");
        LX_VERIFY_ERROR(plain->retrieval(m->decode(c), m->decode(c)), "vq retrieval: ");
        LX_VERIFY_ERROR(plain->actionIndex("top+"), "has no transition");
    }

    void badModels()
    {
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_nodecode.pt")),
                        "model has no method 'decode' (a vqvae needs encode and decode)");
        LX_VERIFY_ERROR(
            lx::VqModel::load(fixture("vq_noadjacency.pt")),
            "model has no method 'adjacency' (the card lists 6 actions, so it needs transition_logits and adjacency)");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_undeclared.pt")),
                        "model has a 'transition_logits' method but its card lists no actions");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_gridmismatch.pt")),
                        "encode returns [2, 2, 3, 4], expected [2, 2, 4, 4] (card grid_shape [2, 4, 4])");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_floatcodes.pt")),
                        "encode returns Float values, expected int64 code indices");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_wronglogits.pt")),
                        "transition_logits returns [2, 2, 3, 4, 4], expected [2, 2, 3, 4, 5]");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_notidentity.pt")),
                        "transition_logits with an all-zero (identity) action row changes 24 of 24 codes");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_badadjacency.pt")), "adjacency returns values outside [0, 1]");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("vq_badcard.pt")),
                        "card: 'actions' must be 2F = 6 names for the 3 factors (one + and one - per factor), not 5");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("tiny_gen.pt")), "the card says generator, not vqvae");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("cgn_known.pt")), "the card says cgn, not vqvae");
        LX_VERIFY_ERROR(lx::VqModel::load(fixture("no_such_vq.pt")), "no such file");
        LX_VERIFY_ERROR(lx::Model::load(fixture("vq_known.pt")), "the card says vqvae");
    }

    // The bundled CT-VAE (models/ctvae_shapes.pt, trained on lx-shapes), when it is in the checkout.
    void bundledShapesModel()
    {
        if (!QFileInfo::exists(QString::fromStdString(bundled())))
            QSKIP(
                "models/ctvae_shapes.pt is not in this checkout (round trip, identity and retrieval on it not "
                "checked)");
        auto m = lx::VqModel::load(bundled());
        const lx::ShapesDataset data;
        QCOMPARE(m->imageShape(), data.imageShape());
        QVERIFY(m->hasTransition());
        QCOMPARE(m->actionCount(), int(2 * data.factorCount()));

        // Round trip: decode -> encode keeps the codes of real images, and of decoded images, at least as
        // well as models/lx_export.py's export check demands (75 %; typically far more).
        std::vector<int64_t> indices;
        lx::SplitMix64 rng(99);
        for (int i = 0; i < 64; ++i)
            indices.push_back(int64_t(rng.below(uint64_t(data.size()))));
        const lx::Array c = m->encode(lx::VqPairs::imagesFor(*m, data, indices));
        const lx::Array again = m->encode(m->decode(c));
        const lx::Array twice = m->encode(m->decode(again));
        const double agree = 1.0 - double(lx::VqModel::changedCodes(c, again).size()) / double(c.numel());
        const double stable = 1.0 - double(lx::VqModel::changedCodes(again, twice).size()) / double(c.numel());
        qInfo("ctvae_shapes: decode -> encode keeps %.4f of the codes of dataset images, %.4f on decoded images", agree,
              stable);
        // Measured with this test (CPU, 2026-12-03): 0.8926 and 0.9392; +-0.03 allows other BLAS builds.
        QVERIFY2(std::abs(agree - 0.8926) <= 0.03,
                 qPrintable(QString("%1 of codes survive decode -> encode, measured 0.8926").arg(agree)));
        QVERIFY2(std::abs(stable - 0.9392) <= 0.03,
                 qPrintable(QString("%1 of codes stable on decoded images, measured 0.9392").arg(stable)));

        // The identity action gives the codes back exactly (the contract's guarantee).
        QVERIFY(m->apply(c, lx::VqModel::kIdentity) == c);

        // Retrieval on 500 pairs from a seed of VqPairs that training never used (models/train_ctvae.py draws
        // its pairs with numpy). Measured with this test (CPU, 2026-12-03): action 0.790, factor 0.930 (the
        // README's 0.812 / 0.941 are over 3,000 held-out pairs of training's own). The pairs are fixed by the seed, so the margin +-0.05
        // (about 3 standard errors at 500 pairs) only allows for other BLAS builds and devices.
        const lx::VqEvaluation e = lx::VqPairs::evaluate(*m, data, 500, 20230361);
        qInfo("ctvae_shapes: action accuracy %.3f (chance %.3f), factor accuracy %.3f (chance %.3f) on %lld pairs",
              e.actionAccuracy, e.actionChance, e.factorAccuracy, e.factorChance, static_cast<long long>(e.pairs));
        QCOMPARE(e.pairs, int64_t(500));
        QCOMPARE(e.actionChance, 0.1);
        QCOMPARE(e.factorChance, 0.2);
        QVERIFY2(std::abs(e.actionAccuracy - 0.790) <= 0.05,
                 qPrintable(QString("action accuracy %1, measured 0.790").arg(e.actionAccuracy)));
        QVERIFY2(std::abs(e.factorAccuracy - 0.930) <= 0.05,
                 qPrintable(QString("factor accuracy %1, measured 0.930").arg(e.factorAccuracy)));
        QVERIFY(e.factorAccuracy >= e.actionAccuracy);
    }
};

QTEST_APPLESS_MAIN(TestVqModel)
#include "test_VqModel.moc"
