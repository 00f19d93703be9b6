// Classifiers (card kind "classifier"): the card, loading, the range mapping, logits, errors.
#include "TestSupport.h"

#include "lx/Card.h"
#include "lx/Classifier.h"
#include "lx/Model.h"

#include <array>
#include <cmath>

namespace {

// A [n, 1, 4, 4] batch whose image k has value v[k][q] on quadrant q (r, s) = divmod(q, 2).
lx::Array quadrantImages(const std::vector<std::array<float, 4>>& v)
{
    lx::Array x({int64_t(v.size()), 1, 4, 4});
    for (size_t k = 0; k < v.size(); ++k)
        for (int y = 0; y < 4; ++y)
            for (int c = 0; c < 4; ++c)
                x.data()[k * 16 + size_t(y * 4 + c)] = v[k][size_t((y / 2) * 2 + c / 2)];
    return x;
}

} // namespace

class TestClassifier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void card()
    {
        const lx::Card c = lx::Card::fromJson(
            R"({"kind": "classifier", "input_shape": [1, 32, 32], "input_range": [-1, 1], "classes": ["a", "b"], "name": "n"})");
        QVERIFY(c.kind == lx::ModelKind::Classifier);
        QCOMPARE(c.inputShape, (std::vector<int64_t>{1, 32, 32}));
        QCOMPARE(c.inputLow, -1.0);
        QCOMPARE(c.inputHigh, 1.0);
        QCOMPARE(c.classes, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(lx::Card::kindName(c.kind), std::string("classifier"));
        const lx::Card again = lx::Card::fromJson(c.toJson());
        QCOMPARE(again.inputShape, c.inputShape);
        QCOMPARE(again.inputLow, -1.0);
        QCOMPARE(again.classes, c.classes);
        QVERIFY(!lxtest::contains(c.toJson(), "latent_shape"));
        LX_VERIFY_ERROR(lx::Card::fromJson(R"({"kind": "classifier", "input_range": [0, 1], "classes": ["a"]})"),
                        "missing required key 'input_shape' (kind classifier)");
        LX_VERIFY_ERROR(lx::Card::fromJson(R"({"kind": "classifier", "input_shape": [1, 4, 4], "classes": ["a"]})"),
                        "missing required key 'input_range'");
        LX_VERIFY_ERROR(
            lx::Card::fromJson(R"({"kind": "classifier", "input_shape": [1, 4, 4], "input_range": [0, 1]})"),
            "missing required key 'classes'");
        LX_VERIFY_ERROR(
            lx::Card::fromJson(
                R"({"kind": "classifier", "input_shape": [1, 4, 4], "input_range": [1, 0], "classes": ["a"]})"),
            "'input_range' must be [low, high] with low < high");
        LX_VERIFY_ERROR(
            lx::Card::fromJson(
                R"({"kind": "classifier", "input_shape": [1, 4, 4], "input_range": [0, 1], "classes": []})"),
            "'classes' must be a non-empty list of class names");
        LX_VERIFY_ERROR(
            lx::Card::fromJson(
                R"({"kind": "classifier", "input_shape": [0, 4], "input_range": [0, 1], "classes": ["a"]})"),
            "'input_shape' must be");
    }
    void quadrantLogits()
    {
        auto c = lx::Classifier::load(lxtest::fixture("quadrant_clf.pt"));
        QCOMPARE(c->classCount(), 4);
        QCOMPARE(c->inputShape(), (std::vector<int64_t>{1, 4, 4}));
        QCOMPARE(c->card().classes[3], std::string("q3"));
        QCOMPARE(c->card().inputLow, 0.0);
        // Images in [-1, 1] are mapped onto the classifier's [0, 1]; it maps them back and returns the
        // quadrant means plus 0.001 q.
        const lx::Array x = quadrantImages({{0.5f, -0.25f, 0.0f, 0.75f}, {-1.0f, 1.0f, 0.2f, -0.4f}, {0, 0, 0, 0}});
        const lx::Array logits = c->logits(x, -1.0, 1.0);
        QCOMPARE(logits.shape(), (std::vector<int64_t>{3, 4}));
        const float want[3][4] = {
            {0.5f, -0.249f, 0.002f, 0.753f}, {-1.0f, 1.001f, 0.202f, -0.397f}, {0, 0.001f, 0.002f, 0.003f}};
        for (int k = 0; k < 3; ++k)
            for (int q = 0; q < 4; ++q)
                QVERIFY2(
                    std::fabs(logits.data()[size_t(k * 4 + q)] - want[k][q]) < 1e-6f,
                    qPrintable(QString("image %1 class %2: %3").arg(k).arg(q).arg(logits.data()[size_t(k * 4 + q)])));
        QCOMPARE(lx::Classifier::argmax(logits), (std::vector<int>{3, 1, 3}));
        // Another image range, the same pictures: the same logits.
        lx::Array bytes = x;
        for (float& v : bytes.data())
            v = (v + 1.0f) * 127.5f;
        QVERIFY(lxtest::maxAbsDiff(c->logits(bytes, 0.0, 255.0), logits) < 1e-6f);
        // Batches larger than one pass (256) give the same rows.
        std::vector<std::array<float, 4>> many(600, {0.1f, 0.2f, -0.3f, 0.0f});
        many[599] = {0.9f, 0.0f, 0.0f, 0.0f};
        const std::vector<int> best = lx::Classifier::argmax(c->logits(quadrantImages(many), -1, 1));
        QCOMPARE(best.size(), size_t(600));
        QCOMPARE(best[0], 1);
        QCOMPARE(best[599], 0);
    }
    void argmaxAndConfidence()
    {
        const lx::Array logits({2, 3}, {0.0f, float(std::log(3.0)), 0.0f, 2.0f, 2.0f, 1.0f});
        QCOMPARE(lx::Classifier::argmax(logits), (std::vector<int>{1, 0})); // first maximum on ties
        const std::vector<double> p = lx::Classifier::confidence(logits);
        QVERIFY(std::fabs(p[0] - 0.6) < 1e-6); // 3 / (1 + 3 + 1)
        QVERIFY(std::fabs(p[1] - std::exp(2.0) / (2 * std::exp(2.0) + std::exp(1.0))) < 1e-6);
        LX_VERIFY_ERROR(lx::Classifier::argmax(lx::Array({4})), "expected logits [N, K]");
    }
    void errors()
    {
        LX_VERIFY_ERROR(lx::Classifier::load("/no/such.pt"), "cannot open classifier /no/such.pt: no such file");
        LX_VERIFY_ERROR(lx::Classifier::load(lxtest::fixture("quadrant_gen.pt")),
                        "the card says generator, not classifier");
        LX_VERIFY_ERROR(lx::Classifier::load(lxtest::fixture("generator_card_clf.pt")),
                        "the card says generator, not classifier");
        LX_VERIFY_ERROR(lx::Classifier::load(lxtest::fixture("nocard_clf.pt")), "no model card");
        LX_VERIFY_ERROR(lx::Classifier::load(lxtest::fixture("count_clf.pt")),
                        "returns [2, 4], expected logits [N, 3]");
        LX_VERIFY_ERROR(lx::Classifier::load(lxtest::fixture("quadrant_clf.pt"), "tpu"), "unknown device 'tpu'");
        LX_VERIFY_ERROR(lx::Classifier::load(lxtest::fixture("tiny_gen.z.npy")), "not a readable TorchScript model");

        auto wide = lx::Classifier::load(lxtest::fixture("wide_clf.pt"));
        LX_VERIFY_ERROR(wide->requireImageShape({1, 4, 4}), "expects images [1, 8, 8], the generator makes [1, 4, 4]");
        LX_VERIFY_ERROR(wide->logits(lx::Array({2, 1, 4, 4}), -1, 1), "expects images [1, 8, 8]");

        auto c = lx::Classifier::load(lxtest::fixture("quadrant_clf.pt"));
        lx::Array x({1, 1, 4, 4});
        x.data()[5] = std::nanf("");
        LX_VERIFY_ERROR(c->logits(x, -1, 1), "classifier input images: contains NaN or Inf");
        LX_VERIFY_ERROR(c->logits(lx::Array({1, 1, 4, 4}), 1, 1), "low < high");

        // Opened as a model to explore, a classifier is refused with the reason.
        LX_VERIFY_ERROR(lx::Model::load(lxtest::fixture("quadrant_clf.pt")),
                        "a classifier is not a generator or autoencoder");

        auto nan = lx::Classifier::load(lxtest::fixture("nan_clf.pt"));
        LX_VERIFY_ERROR(nan->logits(lx::Array({2, 1, 4, 4}), -1, 1), "the classifier returned NaN or Inf logits");
    }
};

QTEST_APPLESS_MAIN(TestClassifier)
#include "test_Classifier.moc"
